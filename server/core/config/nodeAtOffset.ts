/**
 * The value-tree node under a cursor, with its path from the loop root, for hovers and completions.
 * `onKey` says whether the offset is on a property's key rather than its value.
 */
import type { PathSegment, PropertyNode, ValueNode } from './valueTree';

export interface NodeHit {
  node: ValueNode;
  path: PathSegment[];
  /** The property whose key or value holds the offset, if any. */
  property: PropertyNode | null;
  onKey: boolean;
}

export function nodeAtOffset(root: ValueNode, offset: number): NodeHit | null {
  if (offset < root.span.start || offset > root.span.end) return null;
  let hit: NodeHit = { node: root, path: [], property: null, onKey: false };
  for (;;) {
    const next = childAt(hit, offset);
    if (!next) return hit;
    hit = next;
    if (hit.onKey) return hit;
  }
}

function childAt(hit: NodeHit, offset: number): NodeHit | null {
  const node = hit.node;
  if (node.kind === 'object') {
    for (const property of node.properties) {
      if (offset >= property.keySpan.start && offset <= property.keySpan.end) {
        return { node: property.value, path: [...hit.path, property.key], property, onKey: true };
      }
      if (offset >= property.value.span.start && offset <= property.value.span.end) {
        return { node: property.value, path: [...hit.path, property.key], property, onKey: false };
      }
    }
  }
  if (node.kind === 'array') {
    const index = node.elements.findIndex((e) => offset >= e.span.start && offset <= e.span.end);
    const element = node.elements[index];
    if (element) return { node: element, path: [...hit.path, index], property: null, onKey: false };
  }
  return null;
}
