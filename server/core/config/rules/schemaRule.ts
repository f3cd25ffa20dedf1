/**
 * Schema violations: the zod schema validates the literal value of the loop, and each zod issue is mapped
 * back to the exact text it concerns, with a stable code and fix edits. Issues under values that are not
 * known statically are dropped (those values get one "not checked statically" info instead).
 */
import type { z } from 'zod';
import { SKENE_CODE_PARAM, loopSchema } from '../../../../sdk/schema';
import type { Loop } from '../../../../sdk/types';
import { suggestDuration } from '../../../../sdk/duration';
import { didYouMean } from '../didYouMean';
import type { IssueCode, RawFix, RawIssue } from '../issue';
import { objectKeys, placeholderText, schemaAtPath } from '../schemaIntrospection';
import { insertPropertyFix, removePropertyFix, replaceFix, replaceStringFix } from '../textFixes';
import { isUnderUnknown, toPlainValue } from '../toPlainValue';
import { propertyOf, valueAt, type PathSegment, type Span, type ValueNode } from '../valueTree';
import type { LoopRoot } from '../readConfigSource';
import { pathLabel, type RuleContext } from './ruleContext';
import { missingKeyValue } from './missingKeyValues';

export interface SchemaResult {
  issues: RawIssue[];
  /** The parsed loop with defaults, when the whole loop is valid and known statically. */
  loop: Loop | null;
}

export function checkSchema(root: LoopRoot, ctx: RuleContext): SchemaResult {
  const data = toPlainValue(root.tree);
  const result = loopSchema.safeParse(data);
  if (result.success) return { issues: [], loop: result.data };
  const issues: RawIssue[] = [];
  for (const issue of result.error.issues) {
    issues.push(...mapZodIssue(issue, root, data, ctx));
  }
  return { issues, loop: null };
}

type ZodIssue = z.core.$ZodIssue;

function mapZodIssue(issue: ZodIssue, root: LoopRoot, data: unknown, ctx: RuleContext): RawIssue[] {
  const path = issue.path as PathSegment[];
  if (issue.code === 'unrecognized_keys') return unknownKeys(issue.keys, path, root, data, ctx);
  if (isUnderUnknown(root.tree, path)) return [];
  const node = valueAt(root.tree, path);
  const params = (issue as { params?: Record<string, unknown> }).params;
  if (!node || params?.[SKENE_CODE_PARAM] === 'missing-key') return missingKey(path, root, data, ctx, issue.message);
  switch (issue.code) {
    case 'invalid_type':
      return [wrongType(issue.expected, node, path, ctx)];
    case 'invalid_value':
      return [badEnum(issue.values.filter((v): v is string => typeof v === 'string'), node, path)];
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return [badEnum(options.filter((v): v is string => typeof v === 'string'), node, path)];
      return [plain('invalid-value', node.span, `${pathLabel(path)}: ${issue.message}`)];
    }
    case 'too_small':
    case 'too_big':
      return [outOfRange(issue, node, path)];
    case 'invalid_format':
      return [invalidFormat(issue.message, node, path)];
    case 'custom':
      return [customIssue((typeof params?.[SKENE_CODE_PARAM] === 'string' ? params[SKENE_CODE_PARAM] : 'invalid-value') as IssueCode, issue.message, node, path, root, ctx)];
    default:
      return [plain('invalid-value', node.span, `${pathLabel(path)}: ${issue.message}`)];
  }
}

function plain(code: IssueCode, span: Span, message: string, fixes?: RawFix[], data?: Record<string, unknown>): RawIssue {
  return { code, severity: 'error', message, start: span.start, end: span.end, ...(fixes?.length ? { fixes } : {}), ...(data ? { data } : {}) };
}

function unknownKeys(keys: string[], path: PathSegment[], root: LoopRoot, data: unknown, ctx: RuleContext): RawIssue[] {
  const object = valueAt(root.tree, path);
  const allowed = objectKeys(schemaAtPath(path, data));
  return keys.flatMap((key) => {
    const property = propertyOf(object, key);
    if (!property) return [];
    const candidates = didYouMean(key, allowed, 3);
    const fixes: RawFix[] = candidates.map((c) => replaceFix(`Rename to '${c}'`, property.keySpan.start, property.keySpan.end, c));
    fixes.push(removePropertyFix(`Remove '${key}'`, property, ctx.text));
    const where = path.length ? `in ${pathLabel(path)}` : 'in the loop';
    const hint = candidates[0] ? `Did you mean '${candidates[0]}'?` : `Allowed keys: ${allowed.join(', ')}.`;
    return [plain('unknown-key', property.keySpan, `Unknown key '${key}' ${where}. ${hint}`, fixes, { key, candidates, allowed })];
  });
}

/** Where to point at a missing key: the key of the object that lacks it, else the loop anchor. */
function ownerSpan(root: LoopRoot, objectPath: PathSegment[]): Span {
  const last = objectPath[objectPath.length - 1];
  if (typeof last === 'string') {
    const property = propertyOf(valueAt(root.tree, objectPath.slice(0, -1)), last);
    if (property) return property.keySpan;
  }
  const node = valueAt(root.tree, objectPath);
  if (node && objectPath.length) return { start: node.span.start, end: Math.min(node.span.end, node.span.start + 1) };
  return root.anchor;
}

function missingKey(path: PathSegment[], root: LoopRoot, data: unknown, ctx: RuleContext, reason: string): RawIssue[] {
  const key = path[path.length - 1];
  const objectPath = path.slice(0, -1);
  const object = valueAt(root.tree, objectPath);
  if (typeof key !== 'string' || object?.kind !== 'object' || object.opaque) return [];
  const valueText = missingKeyValue(key, objectPath, ctx) ?? placeholderText(schemaAtPath(path, data));
  const fix = insertPropertyFix(`Add '${key}: ${valueText.split('\n')[0]}'`, object, key, valueText, ctx.text);
  const where = objectPath.length ? pathLabel(objectPath) : 'the loop';
  const why = reason.startsWith('Invalid') ? '' : ` (${reason})`;
  return [plain('missing-key', ownerSpan(root, objectPath), `Missing required key '${key}' in ${where}${why}. Add ${key}: ${valueText}.`, [fix], { key, insertText: `${key}: ${valueText}` })];
}

function kindName(node: ValueNode): string {
  return node.kind === 'object' ? 'an object' : node.kind === 'array' ? 'an array' : `a ${node.kind}`;
}

function wrongType(expected: string, node: ValueNode, path: PathSegment[], ctx: RuleContext): RawIssue {
  const fixes: RawFix[] = [];
  const text = ctx.text.slice(node.span.start, node.span.end);
  if (expected === 'string' && (node.kind === 'number' || node.kind === 'boolean')) fixes.push(replaceFix(`Quote as '${text}'`, node.span.start, node.span.end, `'${text}'`));
  if (expected === 'number' && node.kind === 'string' && /^-?\d+(\.\d+)?$/.test(node.value.trim())) {
    fixes.push(replaceFix(`Use the number ${node.value.trim()}`, node.span.start, node.span.end, node.value.trim()));
  }
  const where = path.length ? pathLabel(path) : 'The default export';
  return plain('wrong-type', node.span, `${where} must be ${expected === 'object' && !path.length ? 'a loop object: defineLoop({ ... })' : `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`}, not ${kindName(node)}.`, fixes, { expected, received: node.kind });
}

function badEnum(values: string[], node: ValueNode, path: PathSegment[]): RawIssue {
  const written = node.kind === 'string' ? node.value : '';
  const close = didYouMean(written, values, values.length);
  const candidates = [...close, ...values.filter((v) => !close.includes(v))];
  const fixes = candidates.map((value) => replaceStringFix(`Use '${value}'`, node, value));
  const hint = close[0] ? ` Did you mean '${close[0]}'?` : '';
  const allowed = values.map((v) => `'${v}'`).join(', ');
  return plain('invalid-enum-value', node.span, `${pathLabel(path)} must be one of ${allowed}.${hint}`, fixes, { candidates, allowed: values });
}

function outOfRange(issue: ZodIssue, node: ValueNode, path: PathSegment[]): RawIssue {
  const bounds = issue as { origin?: string; minimum?: number | bigint; maximum?: number | bigint; code: string };
  if (bounds.origin !== 'number' || node.kind !== 'number') {
    const what = bounds.origin === 'array' ? 'at least one entry' : 'a value';
    return plain('empty-value', node.span, `${pathLabel(path)} needs ${what}.`);
  }
  const bound = Number(bounds.code === 'too_small' ? bounds.minimum : bounds.maximum);
  const fix = replaceFix(`Use ${bound}`, node.span.start, node.span.end, String(bound));
  const side = bounds.code === 'too_small' ? 'at least' : 'at most';
  return plain('out-of-range', node.span, `${pathLabel(path)} must be ${side} ${bound} (got ${node.value}).`, [fix], { bound });
}

function invalidFormat(message: string, node: ValueNode, path: PathSegment[]): RawIssue {
  const fixes: RawFix[] = [];
  if (node.kind === 'string' && path[path.length - 1] === 'template') {
    const stripped = node.value.replace(/^.*\//, '').replace(/\.(html|txt)$/i, '');
    if (/^[A-Za-z0-9_-]+$/.test(stripped)) fixes.push(replaceStringFix(`Use '${stripped}'`, node, stripped));
  }
  if (node.kind === 'string' && path[path.length - 1] === 'id') {
    const slug = node.value.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 63);
    if (slug) fixes.push(replaceStringFix(`Use '${slug}'`, node, slug));
  }
  return plain('invalid-format', node.span, `${pathLabel(path)}: ${message}.`, fixes);
}

function customIssue(code: IssueCode, message: string, node: ValueNode, path: PathSegment[], root: LoopRoot, ctx: RuleContext): RawIssue {
  if (code === 'invalid-duration') {
    const suggestion = node.kind === 'string' ? suggestDuration(node.value) : null;
    const fixes = suggestion ? [replaceStringFix(`Use '${suggestion}'`, node, suggestion)] : [];
    return plain(code, node.span, `${pathLabel(path)}: ${message}.`, fixes, suggestion ? { replacement: suggestion } : undefined);
  }
  if (code === 'invalid-sequence') {
    const key = path[path.length - 1];
    const property = typeof key === 'string' ? propertyOf(valueAt(root.tree, path.slice(0, -1)), key) : undefined;
    const fixes = property && key !== 'delay' ? [removePropertyFix(`Remove '${key}'`, property, ctx.text)] : [];
    const span = key === 'delay' || !property ? node.span : property.keySpan;
    return plain(code, span, `${pathLabel(path)}: ${message}.`, fixes);
  }
  return plain(code, node.span, `${pathLabel(path)}: ${message}.`);
}
