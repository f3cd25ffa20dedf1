/**
 * The value tree as the plain value zod validates. Computed and missing values become a marker that fails
 * validation; the schema rule drops issues under those paths (they are reported once as "not checked").
 */
import type { PathSegment, ValueNode } from './valueTree';

export const NOT_STATIC: unique symbol = Symbol('not statically known');

export function toPlainValue(node: ValueNode): unknown {
  switch (node.kind) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const property of node.properties) value[property.key] = toPlainValue(property.value);
      return value;
    }
    case 'array':
      return node.elements.map(toPlainValue);
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    default:
      return NOT_STATIC;
  }
}

/** True when the path runs through a value that is not known statically (or an object with spreads). */
export function isUnderUnknown(root: ValueNode, path: readonly PathSegment[]): boolean {
  let node: ValueNode | undefined = root;
  for (const segment of path) {
    if (!node) return false;
    if (node.kind === 'computed' || node.kind === 'missing') return true;
    if (typeof segment === 'number') {
      if (node.kind !== 'array') return false;
      if (node.opaque) return true;
      node = node.elements[segment];
    } else {
      if (node.kind !== 'object') return false;
      const property: ValueNode | undefined = findLast(node.properties, segment);
      if (!property && node.opaque) return true;
      node = property;
    }
  }
  return node?.kind === 'computed' || node?.kind === 'missing';
}

function findLast(properties: Array<{ key: string; value: ValueNode }>, key: string): ValueNode | undefined {
  for (let i = properties.length - 1; i >= 0; i--) if (properties[i]?.key === key) return properties[i]?.value;
  return undefined;
}

/** Every computed value in the tree, once each, outermost first. */
export function computedNodes(node: ValueNode, out: ValueNode[] = []): ValueNode[] {
  if (node.kind === 'computed') out.push(node);
  else if (node.kind === 'object') for (const property of node.properties) computedNodes(property.value, out);
  else if (node.kind === 'array') for (const element of node.elements) computedNodes(element, out);
  return out;
}
