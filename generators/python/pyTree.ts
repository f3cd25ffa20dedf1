/**
 * Small tree-sitter queries over one Python module, for the settings, models and Celery edits: the
 * top-level assignment of a name, the items of a list, the pairs of a dict, the imports.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { parsePython } from '../../server/core/python/pythonParser';

export interface PyModule {
  text: string;
  tree: Tree;
}

export async function parseModule(text: string): Promise<PyModule> {
  return { text, tree: await parsePython(text) };
}

/** The value of the last top-level `NAME = value` (a later assignment wins, as when Python runs the module). */
export function topLevelValue(module: PyModule, name: string): Node | null {
  let found: Node | null = null;
  for (const statement of module.tree.rootNode.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    if (left?.type === 'identifier' && left.text === name) found = assignment.childForFieldName('right');
  }
  return found;
}

/**
 * The value of `name = ...` assigned in a class body at a 1-based line (class-based settings: readthedocs'
 * `class CommunityBaseSettings(Settings): CELERY_BEAT_SCHEDULE = {...}`, exported into the module by a call).
 */
export function classAttributeValueAt(module: PyModule, name: string, line: number): Node | null {
  for (const statement of module.tree.rootNode.namedChildren) {
    const cls = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (cls?.type !== 'class_definition') continue;
    for (const member of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = member.type === 'expression_statement' ? member.namedChild(0) : null;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      if (left?.type === 'identifier' && left.text === name && assignment?.startPosition.row === line - 1) return assignment.childForFieldName('right');
    }
  }
  return null;
}

/**
 * The list a settings property returns, for a `def` at a 1-based line (readthedocs: `@property def
 * INSTALLED_APPS(self): apps = [...]; if ...: apps.append(...); return apps`): the literal it returns, or the
 * literal bound to the name it returns, or the list added last (`super().INSTALLED_APPS + [...]`). Null when the
 * body builds it any other way.
 */
export function propertyListAt(module: PyModule, line: number): Node | null {
  // Down from the module through the nodes that span the line, to the `def` that starts on it.
  let def: Node | null = null;
  for (let node: Node | undefined = module.tree.rootNode; node && !def; ) {
    if (node.type === 'function_definition' && node.startPosition.row === line - 1) def = node;
    node = node.namedChildren.find((child) => child !== null && child.startPosition.row <= line - 1 && child.endPosition.row >= line - 1) ?? undefined;
  }
  const body = def?.childForFieldName('body')?.namedChildren ?? [];
  const returned = body.find((statement) => statement.type === 'return_statement')?.namedChild(0) ?? null;
  if (returned?.type === 'list') return returned;
  // `return super().INSTALLED_APPS + ["notes"]`: the last literal of the sum is in the value too.
  if (returned?.type === 'binary_operator' && returned.childForFieldName('operator')?.text === '+') {
    const right = returned.childForFieldName('right');
    return right?.type === 'list' ? right : null;
  }
  if (returned?.type !== 'identifier') return null;
  let bound: Node | null = null;
  for (const statement of body) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (left?.type === 'identifier' && left.text === returned.text) bound = assignment?.childForFieldName('right') ?? null;
  }
  return bound?.type === 'list' ? bound : null;
}

/** The list/tuple/dict literal starting at a 1-based line and column (from the analyzer), if any. */
export function literalAt(module: PyModule, line: number, column: number): Node | null {
  const node = module.tree.rootNode.namedDescendantForPosition({ row: line - 1, column: column - 1 });
  for (let current: Node | null = node; current; current = current.parent) {
    if (['list', 'tuple', 'dictionary'].includes(current.type) && current.startPosition.row === line - 1) return current;
  }
  return null;
}

/** Elements of a list/tuple/dict literal, comments excluded. */
export function elementsOf(node: Node): Node[] {
  return node.namedChildren.filter((child) => child.type !== 'comment');
}

/** The value of a plain string literal (no f-string interpolation), else null. */
export function stringValue(node: Node | null): string | null {
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  const match = /^[rRuUbB]*('''|"""|'|")([\s\S]*)\1$/.exec(node.text);
  return match ? match[2] ?? '' : null;
}

/** The module's own quote preference: most of its plain string literals (ties and none: double). */
export function moduleQuote(module: PyModule): '"' | "'" {
  return majorityQuote(module.tree.rootNode) ?? '"';
}

/**
 * The quote most plain string literals under `node` use, or null when none has one (or a tie). An edit into a
 * list takes its neighbours' quotes: a urls.py may write its routes with '' and the rest of the file with "".
 */
export function majorityQuote(node: Node): '"' | "'" | null {
  let single = 0;
  let double = 0;
  const visit = (current: Node) => {
    if (current.type === 'string') {
      if (/^[rRuUbB]*'(?!'')/.test(current.text)) single++;
      else if (/^[rRuUbB]*"(?!"")/.test(current.text)) double++;
      return;
    }
    for (const child of current.namedChildren) visit(child);
  };
  visit(node);
  return single > double ? "'" : double > single ? '"' : null;
}

/** The quote character the file's string literals prefer (the first string element decides). */
export function preferredQuote(nodes: Node[]): '"' | "'" {
  const first = nodes.find((n) => n.type === 'string');
  return first && /^[rRuUbB]*'/.test(first.text) ? "'" : '"';
}

/** Names bound by top-level imports: `from a import b as c` → c, `import a.b` → a. */
export function importedNames(module: PyModule): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of module.tree.rootNode.namedChildren) {
    if (statement.type === 'import_from_statement') {
      const from = statement.childForFieldName('module_name')?.text ?? '';
      for (const child of statement.childrenForFieldName('name')) {
        if (!child) continue;
        const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : null;
        const original = child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text;
        names.set(alias ?? original ?? '', `${from}.${original ?? ''}`);
      }
    } else if (statement.type === 'import_statement') {
      for (const child of statement.namedChildren) {
        const dotted = child.type === 'aliased_import' ? child.childForFieldName('name')?.text ?? '' : child.text;
        const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : null;
        names.set(alias ?? dotted.split('.')[0] ?? '', alias ? dotted : dotted.split('.')[0] ?? '');
      }
    }
  }
  return names;
}

/** Offset just after the last top-level import (or after the module docstring, or 0). */
export function afterImportsOffset(module: PyModule): number {
  let offset = 0;
  for (const statement of module.tree.rootNode.namedChildren) {
    if (statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement') offset = statement.endIndex;
    else if (offset === 0 && statement.type === 'expression_statement' && statement.namedChild(0)?.type === 'string') offset = statement.endIndex;
    else if (statement.type !== 'comment') break;
  }
  return offset;
}

/** The top-level class with this name. */
export function classNamed(module: PyModule, name: string): Node | null {
  for (const statement of module.tree.rootNode.namedChildren) {
    const cls = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (cls?.type === 'class_definition' && cls.childForFieldName('name')?.text === name) return cls;
  }
  return null;
}

/** An edit adding one import line after the module's imports (or at the top, followed by a blank line). */
export function importLineEdit(module: PyModule, line: string): { start: number; end: number; text: string } {
  const at = afterImportsOffset(module);
  const nl = module.text.includes('\r\n') ? '\r\n' : '\n';
  return { start: at, end: at, text: at ? `${nl}${line}` : `${line}${nl}${nl}` };
}

function mentions(node: Node, name: string): boolean {
  if (node.type === 'identifier' && node.text === name) return true;
  return node.namedChildren.some((child) => mentions(child, name));
}

/** The first list (or tuple) literal of `[...]`, or of a `+` chain of lists, names and calls. */
function leadingList(node: Node | null): Node | null {
  if (!node) return null;
  if (node.type === 'list' || node.type === 'tuple') return node;
  if (node.type === 'parenthesized_expression') return leadingList(node.namedChild(0));
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    return leadingList(node.childForFieldName('left')) ?? leadingList(node.childForFieldName('right'));
  }
  return null;
}

/**
 * The first list literal, at module level (so not inside `if settings.DEBUG:`), that ends up in the final value
 * of NAME: `NAME = [...] + static(...)`, `NAME = i18n_patterns(...)` then `NAME += [...]`, `NAME = [...]` then
 * `NAME = NAME + OTHER`. An assignment that does not read NAME starts over (what was assigned before is gone);
 * `NAME += [...]` and `NAME = f(NAME)` keep what was there.
 */
export function firstLiveList(module: PyModule, name: string): Node | null {
  let lists: Node[] = [];
  for (const statement of module.tree.rootNode.namedChildren) {
    const expression = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (expression?.type !== 'assignment' && expression?.type !== 'augmented_assignment') continue;
    const left = expression.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text !== name) continue;
    const right = expression.childForFieldName('right');
    if (!right) continue;
    if (expression.type === 'assignment' && !mentions(right, name)) lists = [];
    const operator = expression.type === 'augmented_assignment' ? expression.childForFieldName('operator')?.text : '=';
    const list = operator === '+=' || operator === '=' ? leadingList(right) : null;
    if (list) lists.push(list);
  }
  return lists[0] ?? null;
}
