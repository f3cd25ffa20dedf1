/**
 * Insertions into list/tuple/dict literals that keep the user's layout: one new line at the element
 * indentation for a multi-line literal (adding the trailing comma the previous element lacked), `, item`
 * for a one-line literal. Comments stay where they are.
 */
import type { Node } from 'web-tree-sitter';
import { elementsOf } from './pyTree';
import { indentAt, lineEnd, lineStart, newlineOf, type TextEdit } from './textEdits';

function isMultiLine(node: Node): boolean {
  return node.startPosition.row !== node.endPosition.row;
}

/** The comma token right after `element`, if the literal has one. */
function commaAfter(element: Node): Node | null {
  const next = element.nextSibling;
  return next && next.type === ',' ? next : null;
}

/**
 * Inserts `item` (already-escaped Python code) after `elements[index]`, or at the end when index is
 * undefined or out of range. Returns the edits (one or two).
 */
export function insertElement(text: string, literal: Node, item: string, index?: number, maxLine?: number): TextEdit[] {
  const elements = elementsOf(literal);
  if (maxLine !== undefined && !isMultiLine(literal) && (index === undefined || index >= elements.length - 1)) {
    const exploded = explodeIfTooLong(text, literal, elements, item, maxLine);
    if (exploded) return [exploded];
  }
  const anchor = index !== undefined && index >= 0 && index < elements.length ? elements[index] : elements[elements.length - 1];
  const close = literal.lastChild;
  if (!close) return [];
  const nl = newlineOf(text);
  if (!anchor) {
    if (!isMultiLine(literal)) return [{ start: close.startIndex, end: close.startIndex, text: item }];
    const at = lineStart(text, close.startIndex);
    return [{ start: at, end: at, text: `${indentAt(text, literal.startIndex)}    ${item},${nl}` }];
  }
  const comma = commaAfter(anchor);
  if (!isMultiLine(literal)) {
    const at = comma ? comma.endIndex : anchor.endIndex;
    const tupleOfOne = literal.type === 'tuple' && elements.length === 1 && !comma;
    return [{ start: at, end: at, text: comma ? ` ${item},` : `, ${item}${tupleOfOne ? ',' : ''}` }];
  }
  const edits: TextEdit[] = [];
  if (!comma) edits.push({ start: anchor.endIndex, end: anchor.endIndex, text: ',' });
  const end = lineEnd(text, (comma ?? anchor).endIndex);
  const lineBreak = text[end - 1] === '\r' ? end - 1 : end;
  edits.push({ start: lineBreak, end: lineBreak, text: `${nl}${indentAt(text, anchor.startIndex)}${item},` });
  return edits;
}

/**
 * A one-line literal that the new item would push past the project's line length (linkding's
 * `urlpatterns = [path("", include(...))]`) becomes one element per line with a trailing comma, as black and
 * `ruff format` write it, instead of a line the formatter would rewrite.
 */
function explodeIfTooLong(text: string, literal: Node, elements: Node[], item: string, maxLine: number): TextEdit | null {
  const open = literal.firstChild;
  const close = literal.lastChild;
  if (!open || !close || !elements.length || literal.type === 'tuple') return null;
  const line = text.slice(lineStart(text, literal.startIndex), lineEnd(text, literal.endIndex)).replace(/\r?\n$/, '');
  if (line.length + item.length + 2 <= maxLine) return null;
  const nl = newlineOf(text);
  const base = indentAt(text, literal.startIndex);
  const inner = [...elements.map((e) => e.text), item].map((code) => `${nl}${base}    ${code},`).join('');
  return { start: open.endIndex, end: close.startIndex, text: `${inner}${nl}${base}` };
}

/** Replaces one element's code (for a dict pair: the whole `key: value`). */
export function replaceNode(node: Node, code: string): TextEdit {
  return { start: node.startIndex, end: node.endIndex, text: code };
}

/** Indentation of elements inside a multi-line literal (for multi-line item code). */
export function elementIndent(text: string, literal: Node): string {
  const first = elementsOf(literal)[0];
  return first && isMultiLine(literal) ? indentAt(text, first.startIndex) : `${indentAt(text, literal.startIndex)}    `;
}

/** Inserts `item` before `elements[index]`: on its own line at the element's indentation, or `item, ` inline. */
export function insertBefore(text: string, literal: Node, item: string, index: number): TextEdit[] {
  const element = elementsOf(literal)[index];
  if (!element) return insertElement(text, literal, item);
  if (!isMultiLine(literal)) return [{ start: element.startIndex, end: element.startIndex, text: `${item}, ` }];
  // Comments on the lines right above the element describe it: the new item goes above them.
  let first: Node = element;
  for (let prev = element.previousNamedSibling; prev?.type === 'comment' && prev.endPosition.row === first.startPosition.row - 1; prev = prev.previousNamedSibling) first = prev;
  const at = lineStart(text, first.startIndex);
  return [{ start: at, end: at, text: `${indentAt(text, element.startIndex)}${item},${newlineOf(text)}` }];
}

/**
 * Removes one element (with the comment above it that describes it, when given) from a literal. On lines of its own
 * in a multi-line literal, those whole lines go; inline, the element and its comma (or the comma before it, for the
 * last element) go.
 */
export function removeElement(text: string, element: Node, commentAbove: Node | null = null): TextEdit {
  const first = commentAbove ?? element;
  const comma = commaAfter(element);
  const last = comma ?? element;
  const start = lineStart(text, first.startIndex);
  const end = lineEnd(text, last.endIndex);
  if (!text.slice(start, first.startIndex).trim() && !text.slice(last.endIndex, end).trim()) {
    return { start, end: Math.min(end + 1, text.length), text: '' };
  }
  if (comma) return { start: first.startIndex, end: comma.endIndex + (/^[ \t]*/.exec(text.slice(comma.endIndex))?.[0].length ?? 0), text: '' };
  const before = element.previousSibling;
  return { start: before?.type === ',' ? before.startIndex : element.startIndex, end: element.endIndex, text: '' };
}
