import type { Node } from 'web-tree-sitter';
import { keptMethod } from './buildModuleIr';
import type { PyValue, Stmt } from './pyIr';
import { toPyValue } from './toPyValue';

/**
 * What the module IR leaves out of a class and a settings file may need when it builds an instance of it
 * (`PostgresConfig(dbname=...).to_django_dict()`): its decorators (is it a dataclass?), its annotated fields
 * in order (`dbname: str` has no value, so the IR drops it), and its methods with their bodies.
 */
export interface ClassShape {
  decorators: PyValue[];
  /** Names of the annotated class attributes (`x: int` and `x: int = 1`), in source order: dataclass fields. */
  fields: string[];
  methods: Array<Extract<Stmt, { k: 'def' }>>;
}

/** The shape of the class whose `class` keyword is on `line` (1-based), or null when there is none. */
export function classShape(root: Node, src: string, line: number): ClassShape | null {
  const node = root.descendantsOfType('class_definition').find((c) => c !== null && c.startPosition.row + 1 === line);
  if (!node) return null;
  const decorators = node.parent?.type === 'decorated_definition'
    ? node.parent.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((d) => toPyValue(d.namedChildren[0] ?? null, src))
    : [];
  const fields: string[] = [];
  const methods: ClassShape['methods'] = [];
  for (const child of node.childForFieldName('body')?.namedChildren ?? []) {
    if (!child) continue;
    const assignment = child.type === 'expression_statement' ? child.namedChildren[0] : null;
    const left = assignment?.type === 'assignment' && assignment.childForFieldName('type') ? assignment.childForFieldName('left') : null;
    if (left?.type === 'identifier') fields.push(src.slice(left.startIndex, left.endIndex));
    const method = keptMethod(child, src);
    if (method) methods.push(method);
  }
  return { decorators, fields, methods };
}
