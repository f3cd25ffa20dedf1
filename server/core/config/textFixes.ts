/**
 * Builders for the edits behind quick fixes, in offsets of the config text. Each keeps the user's
 * formatting: quotes are reused, inserted properties take the indentation of their neighbours.
 */
import type { RawFix } from './issue';
import type { ObjectNode, PropertyNode, StringNode, ValueNode } from './valueTree';

export function replaceFix(title: string, start: number, end: number, newText: string): RawFix {
  return { title, edits: [{ start, end, newText }] };
}

/** Replaces a value with a string literal, keeping the quote style already used there. */
export function replaceStringFix(title: string, node: ValueNode, value: string): RawFix {
  const quote = node.kind === 'string' ? node.quote : "'";
  return replaceFix(title, node.span.start, node.span.end, quoteString(value, quote));
}

export function quoteString(value: string, quote: StringNode['quote']): string {
  const escaped = value.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`);
  return `${quote}${quote === '`' ? escaped.replace(/\$\{/g, '\\${') : escaped}${quote}`;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Deletes a property with its comma; a property alone on its line takes the line with it. */
export function removePropertyFix(title: string, property: PropertyNode, text: string): RawFix {
  let end = property.span.end;
  const afterComma = /^[ \t]*,/.exec(text.slice(end));
  if (afterComma) end += afterComma[0].length;
  const lineStart = lineStartOf(text, property.span.start);
  const before = text.slice(lineStart, property.span.start);
  const rest = /^[ \t]*(\r?\n)?/.exec(text.slice(end))?.[0] ?? '';
  if (before.trim() === '' && rest.includes('\n')) return replaceFix(title, lineStart, end + rest.length, '');
  const trailing = /^[ \t]*/.exec(text.slice(end))?.[0] ?? '';
  return replaceFix(title, property.span.start, end + trailing.length, '');
}

/** Adds `key: value` as the last property of an object literal. */
export function insertPropertyFix(title: string, object: ObjectNode, key: string, valueText: string, text: string): RawFix {
  const entry = `${key}: ${valueText}`;
  const last = object.properties[object.properties.length - 1];
  if (!last) {
    const inner = text.slice(object.span.start + 1, object.span.end - 1);
    return replaceFix(title, object.span.start + 1, object.span.end - 1, inner.trim() === '' ? ` ${entry} ` : ` ${entry},${inner}`);
  }
  const comma = /^[ \t]*,/.exec(text.slice(last.span.end));
  const multiline = text.slice(object.span.start, last.span.start).includes('\n');
  const separator = multiline ? `\n${indentationAt(text, last.span.start)}` : ' ';
  if (comma) {
    const at = last.span.end + comma[0].length;
    return replaceFix(title, at, at, `${separator}${entry},`);
  }
  return replaceFix(title, last.span.end, last.span.end, `,${separator}${entry}`);
}
