import * as path from 'node:path';
import type { PyValue } from '../python/pyIr';

/** A string setting, taking an environment read's default when there is one (what runs with no env set). */
export function asString(value: PyValue | null | undefined): string | null {
  if (!value) return null;
  if (value.k === 'str') return value.v;
  if (value.k === 'env' && value.default) return asString(value.default);
  return null;
}

/** The strings of a list/tuple setting; entries that are not literal strings are reported by index. */
export function asStringList(value: PyValue | null | undefined): { items: string[]; unknown: PyValue[] } | null {
  if (!value || (value.k !== 'list' && value.k !== 'tuple')) return null;
  const items: string[] = [];
  const unknown: PyValue[] = [];
  for (const item of value.items) {
    const text = asString(item);
    if (text === null) unknown.push(item);
    else items.push(text);
  }
  return { items, unknown };
}

export type JsonLike = string | number | boolean | null | JsonLike[] | { [key: string]: JsonLike };

/** Plain JSON for what can be shown (defaults of env reads); paths become root-relative. */
export function toJson(value: PyValue | null, root: string): JsonLike {
  if (!value) return null;
  switch (value.k) {
    case 'str':
    case 'num':
    case 'bool':
      return value.v;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.map((item) => toJson(item, root));
    case 'dict': {
      const out: Record<string, JsonLike> = {};
      for (const [key, val] of value.entries) if (key.k === 'str') out[key.v] = toJson(val, root);
      return out;
    }
    case 'path':
      return relativePath(root, value.abs);
    case 'env':
      return toJson(value.default, root);
    default:
      return null;
  }
}

export function relativePath(root: string, abs: string): string {
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

/** Every environment read inside a value (nested in dicts, lists, database URLs). */
export function envReads(value: PyValue, out: Array<Extract<PyValue, { k: 'env' }>> = []): Array<Extract<PyValue, { k: 'env' }>> {
  switch (value.k) {
    case 'env':
      out.push(value);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      for (const item of value.items) envReads(item, out);
      break;
    case 'dict':
      for (const [, val] of value.entries) envReads(val, out);
      break;
    case 'dburl':
      envReads(value.url, out);
      break;
    case 'bin':
      envReads(value.l, out);
      envReads(value.r, out);
      break;
    case 'call':
      for (const arg of value.args) envReads(arg, out);
      for (const arg of Object.values(value.kwargs)) envReads(arg, out);
      break;
    default:
      break;
  }
  return out;
}
