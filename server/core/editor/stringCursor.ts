/** Cursor offsets in the config text <-> character indices inside a string literal's value. */
import type { StringNode } from '../config/valueTree';

/** The value index at a source offset inside the literal (between its quotes), or null outside it. */
export function stringIndexAt(node: StringNode, offset: number): number | null {
  if (offset < node.contentStart) return null;
  if (!node.offsetMap) {
    const index = offset - node.contentStart;
    return index <= node.value.length ? index : null;
  }
  let found: number | null = null;
  for (let i = 0; i < node.offsetMap.length; i++) {
    const at = node.offsetMap[i] ?? Number.POSITIVE_INFINITY;
    if (at > offset) break;
    found = i;
  }
  return found;
}
