/**
 * The value tree: the literal value of a loop as written in skene.config.ts, where every value keeps the
 * text range it came from. Offsets are UTF-16 indices into the config text; `loc` repeats them as 1-based
 * line/column for CLI output and tests.
 */
export interface Span {
  start: number;
  end: number;
}

export interface Loc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface NodeBase {
  span: Span;
  loc: Loc;
}

export interface PropertyNode {
  key: string;
  keySpan: Span;
  /** The whole `key: value` text. */
  span: Span;
  value: ValueNode;
}

export interface ObjectNode extends NodeBase {
  kind: 'object';
  properties: PropertyNode[];
  /** Has a spread or computed key: which keys exist is not known statically. */
  opaque: boolean;
}

export interface ArrayNode extends NodeBase {
  kind: 'array';
  elements: ValueNode[];
  opaque: boolean;
}

export interface StringNode extends NodeBase {
  kind: 'string';
  value: string;
  /** Offset of the first character inside the quotes. */
  contentStart: number;
  /** Source offset of each value index (length value.length + 1) when escapes make them differ; else null. */
  offsetMap: number[] | null;
  template: boolean;
  quote: '"' | "'" | '`';
}

export interface NumberNode extends NodeBase {
  kind: 'number';
  value: number;
}

export interface BooleanNode extends NodeBase {
  kind: 'boolean';
  value: boolean;
}

export interface NullNode extends NodeBase {
  kind: 'null';
}

/** A value only known when the file runs (a variable, a call, `${}`): reported once, not checked. */
export interface ComputedNode extends NodeBase {
  kind: 'computed';
  text: string;
}

/** A value the parser expected but did not find (half-typed file); the syntax error covers it. */
export interface MissingNode extends NodeBase {
  kind: 'missing';
}

export type ValueNode =
  | ObjectNode
  | ArrayNode
  | StringNode
  | NumberNode
  | BooleanNode
  | NullNode
  | ComputedNode
  | MissingNode;

export type PathSegment = string | number;

/** Source offset of a character index inside a string node's value. */
export function stringOffset(node: StringNode, index: number): number {
  if (node.offsetMap) return node.offsetMap[Math.max(0, Math.min(index, node.offsetMap.length - 1))] ?? node.contentStart;
  return node.contentStart + Math.max(0, Math.min(index, node.value.length));
}

/** The property of an object with that key (the last one wins, as in JavaScript). */
export function propertyOf(node: ValueNode | undefined, key: string): PropertyNode | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) {
    const property = node.properties[i];
    if (property?.key === key) return property;
  }
  return undefined;
}

export function valueAt(root: ValueNode | undefined, path: readonly PathSegment[]): ValueNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.kind === 'array' ? node.elements[segment] : undefined;
    else node = propertyOf(node, segment)?.value;
  }
  return node;
}

export function stringAt(root: ValueNode | undefined, path: readonly PathSegment[]): StringNode | undefined {
  const node = valueAt(root, path);
  return node?.kind === 'string' ? node : undefined;
}
