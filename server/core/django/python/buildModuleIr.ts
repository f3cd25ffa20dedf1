import type { Node, Tree } from 'web-tree-sitter';
import { isSettingsProperty, type ImportedName, type ModuleIr, type Param, type PyValue, type Stmt } from './pyIr';
import { CLASS_BODY_KWARGS, locOf, toPyValue, unknown, valueChildren } from './toPyValue';

/** Callees we want to know about inside function bodies (bodies themselves are not kept). */
export const INTERESTING_CALLS = /\.(add_periodic_task)\s*\(/g;

/** Turns a parsed tree into the module's statement list. `src` must be the exact text the tree came from. */
export function buildModuleIr(tree: Tree, src: string): ModuleIr {
  return { body: statements(tree.rootNode.namedChildren, src, true), errorLines: tree.rootNode.hasError ? errorLines(tree.rootNode) : [] };
}

function statements(nodes: Array<Node | null>, src: string, moduleLevel = false, inClass = false): Stmt[] {
  const out: Stmt[] = [];
  for (const node of nodes) {
    if (!node) continue;
    // tree-sitter wraps what it could not parse in ERROR; the statements inside are often fine.
    if (node.type === 'ERROR') out.push(...statements(node.namedChildren, src, moduleLevel, inClass));
    else {
      const stmt = statement(node, src, moduleLevel, inClass);
      if (stmt) out.push(stmt);
    }
  }
  return out;
}

function blockBody(node: Node | null, src: string): Stmt[] {
  return node ? statements(node.namedChildren, src) : [];
}

function statement(node: Node, src: string, moduleLevel: boolean, inClass: boolean): Stmt | null {
  switch (node.type) {
    case 'expression_statement':
      return expressionStatement(node, src, inClass ? CLASS_BODY_KWARGS : undefined);
    case 'import_statement':
      return importStatement(node, src);
    case 'import_from_statement':
      return fromStatement(node, src);
    case 'class_definition':
      return classStatement(node, [], src);
    case 'function_definition':
      return defStatement(node, [], src, moduleLevel);
    case 'decorated_definition':
      return decorated(node, src, moduleLevel);
    case 'if_statement':
      return ifStatement(node, src);
    case 'try_statement':
      return tryStatement(node, src);
    case 'match_statement':
      return matchStatement(node, src);
    case 'return_statement': {
      const value = node.namedChildren[0];
      return { k: 'return', value: value ? toPyValue(value, src) : null, loc: locOf(node) };
    }
    case 'with_statement':
    case 'for_statement':
    case 'while_statement':
      return { k: 'block', kind: node.type.replace('_statement', ''), body: blockBody(node.childForFieldName('body'), src), loc: locOf(node) };
    default:
      return null;
  }
}

function expressionStatement(node: Node, src: string, kwargs: ReadonlySet<string> | undefined): Stmt | null {
  const expr = node.firstNamedChild;
  // Docstrings and other bare strings say nothing we read.
  if (!expr || expr.type === 'string' || expr.type === 'concatenated_string') return null;
  if (expr.type === 'assignment') {
    const targets: PyValue[] = [];
    let current: Node | null = expr;
    while (current?.type === 'assignment') {
      targets.push(toPyValue(current.childForFieldName('left'), src));
      current = current.childForFieldName('right');
    }
    if (!current) return null; // `x: int` declares without assigning
    return { k: 'assign', targets, value: toPyValue(current, src, kwargs), loc: locOf(node), valueLoc: locOf(current) };
  }
  if (expr.type === 'augmented_assignment') {
    const right = expr.childForFieldName('right');
    return {
      k: 'augassign',
      target: toPyValue(expr.childForFieldName('left'), src),
      op: expr.childForFieldName('operator')?.type ?? '?',
      value: toPyValue(right, src),
      loc: locOf(node),
      valueLoc: right ? locOf(right) : locOf(node),
    };
  }
  return { k: 'expr', value: toPyValue(expr, src), loc: locOf(node) };
}

function dotted(node: Node | null, src: string): string {
  return node ? src.slice(node.startIndex, node.endIndex).replace(/\s+/g, '') : '';
}

function importStatement(node: Node, src: string): Stmt | null {
  const first = node.namedChildren[0];
  if (!first) return null;
  // `import a, b` is rare in the files we read; the first name carries what matters (import stripe, os).
  if (first.type === 'aliased_import') {
    return { k: 'import', module: dotted(first.childForFieldName('name'), src), alias: dotted(first.childForFieldName('alias'), src), loc: locOf(node) };
  }
  return { k: 'import', module: dotted(first, src), alias: null, loc: locOf(node) };
}

function fromStatement(node: Node, src: string): Stmt {
  const moduleNode = node.childForFieldName('module_name');
  let level = 0;
  let module = '';
  if (moduleNode?.type === 'relative_import') {
    const prefix = moduleNode.namedChildren.find((c) => c?.type === 'import_prefix');
    level = prefix ? prefix.endIndex - prefix.startIndex : 1;
    module = dotted(moduleNode.namedChildren.find((c) => c?.type === 'dotted_name') ?? null, src);
  } else module = dotted(moduleNode, src);
  const isStar = node.namedChildren.some((c) => c?.type === 'wildcard_import');
  const names: ImportedName[] = [];
  for (const child of node.childrenForFieldName('name')) {
    if (child.type === 'aliased_import') {
      names.push({ name: dotted(child.childForFieldName('name'), src), alias: dotted(child.childForFieldName('alias'), src) });
    } else names.push({ name: dotted(child, src), alias: null });
  }
  return { k: 'from', module, level, names: isStar ? '*' : names, loc: locOf(node) };
}

function classStatement(node: Node, _decorators: PyValue[], src: string): Stmt {
  const bases: PyValue[] = [];
  const keywords: Record<string, PyValue> = {};
  const superclasses = node.childForFieldName('superclasses');
  for (const arg of superclasses ? valueChildren(superclasses) : []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      if (name) keywords[src.slice(name.startIndex, name.endIndex)] = toPyValue(arg.childForFieldName('value'), src);
    } else bases.push(toPyValue(arg, src));
  }
  const name = dotted(node.childForFieldName('name'), src);
  // A half-typed line can push part of the body into an ERROR child of the class: read those statements too.
  const body: Stmt[] = [];
  for (const child of node.namedChildren) {
    if (child?.type === 'block' || child?.type === 'ERROR') body.push(...statements(child.namedChildren, src, false, true));
  }
  return { k: 'class', name, bases, keywords, body, loc: locOf(node) };
}

function defStatement(node: Node, decorators: PyValue[], src: string, moduleLevel: boolean): Stmt {
  const text = src.slice(node.startIndex, node.endIndex);
  const calls = [...new Set([...text.matchAll(INTERESTING_CALLS)].map((m) => m[1] ?? ''))];
  const name = dotted(node.childForFieldName('name'), src);
  const keep = moduleLevel || isSettingsProperty(name, decorators);
  const body = keep ? blockBody(node.childForFieldName('body'), src) : null;
  const params = keep ? paramsOf(node.childForFieldName('parameters'), src) : [];
  return { k: 'def', name, decorators, calls, params, body, loc: locOf(node) };
}

/** `def f(a, b: int = 1, *rest, key=None, **extra)`: names, defaults and stars; `*` and `/` separators dropped. */
function paramsOf(node: Node | null, src: string): Param[] {
  const out: Param[] = [];
  for (const child of node ? valueChildren(node) : []) {
    let target: Node | null = child;
    let value: Node | null = null;
    if (child.type === 'default_parameter' || child.type === 'typed_default_parameter') {
      target = child.childForFieldName('name');
      value = child.childForFieldName('value');
    } else if (child.type === 'typed_parameter') target = child.namedChildren.find((c) => c !== null && c.type !== 'type') ?? null;
    if (!target) continue;
    const star = target.type === 'list_splat_pattern' ? '*' : target.type === 'dictionary_splat_pattern' ? '**' : '';
    const nameNode = star ? target.namedChildren[0] : target;
    if (nameNode?.type !== 'identifier') continue;
    out.push({ name: src.slice(nameNode.startIndex, nameNode.endIndex), default: value ? toPyValue(value, src) : null, star });
  }
  return out;
}

/**
 * A method of a class with its body and parameters kept (the module IR drops them): the settings reader runs
 * `__init__` and the method a setting calls on an instance of a project class (`Config(...).to_dict()`).
 */
export function keptMethod(node: Node, src: string): Extract<Stmt, { k: 'def' }> | null {
  if (node.type === 'function_definition') return defStatement(node, [], src, true) as Extract<Stmt, { k: 'def' }>;
  if (node.type !== 'decorated_definition') return null;
  const stmt = decorated(node, src, true);
  return stmt?.k === 'def' ? stmt : null;
}

function decorated(node: Node, src: string, moduleLevel: boolean): Stmt | null {
  const decorators = node.namedChildren
    .filter((c): c is Node => c?.type === 'decorator')
    .map((d) => (d.namedChildren[0] ? toPyValue(d.namedChildren[0], src) : unknown(d, src)));
  const definition = node.childForFieldName('definition');
  if (definition?.type === 'class_definition') return classStatement(definition, decorators, src);
  if (definition?.type === 'function_definition') return defStatement(definition, decorators, src, moduleLevel);
  return null;
}

/**
 * `match x:` as the if/elif chain it means for literal patterns: `case "a" | "b":` tests `x == "a" or x == "b"`
 * (source text, as the IR keeps comparisons), `case _:` is the else. A case with another pattern (a capture, a
 * class, a guard) tests text the settings reader cannot decide, so it and what follows are read as unknown
 * branches. Only tree-sitter reads `match` (the fast reader declines it).
 */
function matchStatement(node: Node, src: string): Stmt | null {
  const subject = node.childForFieldName('subject') ?? node.namedChildren[0] ?? null;
  const block = node.namedChildren.find((c) => c?.type === 'block') ?? null;
  if (!subject || !block) return null;
  const subjectText = src.slice(subject.startIndex, subject.endIndex);
  const cases = block.namedChildren.filter((c): c is Node => c?.type === 'case_clause');
  const chain = (i: number): Stmt[] => {
    const clause = cases[i];
    if (!clause) return [];
    const body = blockBody(clause.namedChildren.find((c) => c?.type === 'block') ?? null, src);
    const pattern = clause.namedChildren.find((c) => c?.type === 'case_pattern') ?? null;
    const guard = clause.namedChildren.some((c) => c?.type === 'if_clause');
    const alternatives = pattern ? (pattern.namedChildren[0]?.type === 'union_pattern' ? valueChildren(pattern.namedChildren[0]) : valueChildren(pattern)) : [];
    if (!guard && pattern && !alternatives.length) return body; // `case _:`
    const literal = !guard && alternatives.every((a) => ['string', 'integer', 'float', 'true', 'false', 'none'].includes(a.type));
    const text = literal
      ? alternatives.map((a) => `${subjectText} == ${src.slice(a.startIndex, a.endIndex)}`).join(' or ')
      : `match ${src.slice(clause.startIndex, Math.min(clause.endIndex, clause.startIndex + 80)).split('\n')[0] ?? ''}`;
    return [{ k: 'if', test: { k: 'unknown', text }, body, orelse: chain(i + 1), loc: locOf(clause) }];
  };
  const [first] = chain(0);
  return first ? { ...first, loc: locOf(node) } : null;
}

function ifStatement(node: Node, src: string): Stmt {
  const alternatives = node.childrenForFieldName('alternative');
  return {
    k: 'if',
    test: toPyValue(node.childForFieldName('condition'), src),
    body: blockBody(node.childForFieldName('consequence'), src),
    orelse: elseChain(alternatives, src),
    loc: locOf(node),
  };
}

/** `elif` chains become nested ifs in orelse, as in Python's own AST. */
function elseChain(alternatives: Node[], src: string): Stmt[] {
  const [first, ...rest] = alternatives;
  if (!first) return [];
  if (first.type === 'else_clause') return blockBody(first.childForFieldName('body'), src);
  return [
    {
      k: 'if',
      test: toPyValue(first.childForFieldName('condition'), src),
      body: blockBody(first.childForFieldName('consequence'), src),
      orelse: elseChain(rest, src),
      loc: locOf(first),
    },
  ];
}

function tryStatement(node: Node, src: string): Stmt {
  const handlers: Stmt[][] = [];
  let orelse: Stmt[] = [];
  let final: Stmt[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    const block = child.namedChildren.find((c) => c?.type === 'block') ?? null;
    if (child.type === 'except_clause' || child.type === 'except_group_clause') handlers.push(blockBody(block, src));
    else if (child.type === 'else_clause') orelse = blockBody(child.childForFieldName('body'), src);
    else if (child.type === 'finally_clause') final = blockBody(block, src);
  }
  return { k: 'try', body: blockBody(node.childForFieldName('body'), src), handlers, orelse, final, loc: locOf(node) };
}

/**
 * Where an ERROR node goes wrong: tree-sitter often wraps the statements before an unclosed bracket into the
 * error (it starts at line 1), so complete statements at its head are skipped.
 */
function errorStart(node: Node): Node['startPosition'] {
  const children = node.children.filter((c): c is Node => c !== null);
  // An unclosed bracket: the error is where it opens (the last opening token nothing closes).
  if (node.isError) {
    let depth = 0;
    for (let i = children.length - 1; i >= 0; i--) {
      const type = (children[i] as Node).type;
      if (type === ')' || type === ']' || type === '}') depth++;
      else if (type === '(' || type === '[' || type === '{') {
        if (depth === 0) return (children[i] as Node).startPosition;
        depth--;
      }
    }
  }
  for (const child of children) {
    if (child.isMissing) return child.startPosition;
    if (child.hasError) return errorStart(child);
    if (!node.isError) continue;
    if (child.isNamed && COMPLETE.test(child.type)) continue;
    return child.startPosition;
  }
  return node.startPosition;
}

const COMPLETE = /(_statement|_definition|^comment)$/;

/** Lines of ERROR / MISSING nodes, descending only where errors are (first 20 are enough to report). */
function errorLines(root: Node): number[] {
  const lines = new Set<number>();
  const visit = (node: Node): void => {
    if (lines.size >= 20) return;
    if (node.isMissing) {
      lines.add(node.startPosition.row + 1);
      return;
    }
    if (node.isError) {
      lines.add(errorStart(node).row + 1);
      return;
    }
    for (const child of node.children) if (child?.hasError || child?.isMissing) visit(child);
  };
  visit(root);
  return [...lines].sort((a, b) => a - b);
}
