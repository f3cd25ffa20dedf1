import type { Node } from 'web-tree-sitter';
import type { Loc, PyValue } from './pyIr';

/**
 * Keyword arguments read inside class bodies. Model fields carry many others (help_text, verbose_name,
 * choices...) that no reader uses; not converting them halves the cost of a big models file.
 */
export const CLASS_BODY_KWARGS: ReadonlySet<string> = new Set([
  'db_column', 'null', 'primary_key', 'to', 'auto_now_add', 'through',
  // A relation's reverse accessor (`user.events`): where the project writes rows through it (activityWrites.ts).
  'related_name',
  // django-configurations' values in class-based settings: where the value is read from.
  'default', 'environ', 'environ_name', 'environ_prefix', 'alias',
  // A dataclass field's default in a config class the settings build (`field(default_factory=dict)`).
  'default_factory',
]);

/**
 * Converts a tree-sitter expression node into a PyValue. `src` is the text the tree was parsed from.
 * With `kwargs`, calls keep only those keyword arguments' values (others become empty unknowns).
 */
export function toPyValue(node: Node | null, src: string, kwargs?: ReadonlySet<string>): PyValue {
  if (!node) return { k: 'unknown', text: '' };
  switch (node.type) {
    case 'identifier':
      return { k: 'ref', path: [src.slice(node.startIndex, node.endIndex)] };
    case 'attribute':
      return attributeValue(node, src);
    case 'string':
    case 'concatenated_string':
      return stringValue(node, src);
    case 'integer':
    case 'float':
      return numberValue(node, src);
    case 'true':
    case 'false':
      return { k: 'bool', v: node.type === 'true' };
    case 'none':
      return { k: 'none' };
    case 'list':
    case 'tuple':
    case 'set':
    case 'expression_list':
      return {
        k: node.type === 'expression_list' ? 'tuple' : node.type,
        items: valueChildren(node).map((c) => toPyValue(c, src)),
      };
    case 'dictionary':
      return dictValue(node, src);
    case 'call':
      return callValue(node, src, kwargs);
    case 'binary_operator':
      return {
        k: 'bin',
        op: node.childForFieldName('operator')?.type ?? '?',
        l: toPyValue(node.childForFieldName('left'), src),
        r: toPyValue(node.childForFieldName('right'), src),
      };
    case 'subscript':
      return { k: 'sub', obj: toPyValue(node.childForFieldName('value'), src), index: toPyValue(node.childForFieldName('subscript'), src) };
    case 'parenthesized_expression':
      return toPyValue(valueChildren(node)[0] ?? null, src);
    case 'list_splat':
    case 'dictionary_splat':
      return { k: 'splat', v: toPyValue(node.namedChildren[0] ?? null, src) };
    case 'unary_operator':
      return unaryValue(node, src);
    default:
      return unknown(node, src);
  }
}

/**
 * Named children that are values: tree-sitter also lists comments and `\` line continuations as named
 * children, and neither is an item of a list, an argument, or a part of a concatenated string.
 */
export function valueChildren(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment' && c.type !== 'line_continuation');
}

export function unknown(node: Node, src: string): PyValue {
  const text = src.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 120));
  return { k: 'unknown', text };
}

export function locOf(node: Node): Loc {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

function attributeValue(node: Node, src: string): PyValue {
  const obj = toPyValue(node.childForFieldName('object'), src);
  const name = node.childForFieldName('attribute');
  const attr = name ? src.slice(name.startIndex, name.endIndex) : '?';
  // Plain dotted names stay one ref so lookups (models.CharField, os.environ.get) are a join away.
  if (obj.k === 'ref') return { k: 'ref', path: [...obj.path, attr] };
  return { k: 'attr', obj, name: attr };
}

function callValue(node: Node, src: string, keep?: ReadonlySet<string>): PyValue {
  const fn = toPyValue(node.childForFieldName('function'), src);
  const args: PyValue[] = [];
  const kwargs: Record<string, PyValue> = {};
  const argList = node.childForFieldName('arguments');
  if (argList?.type !== 'argument_list') return { k: 'call', fn, args: argList ? [unknown(argList, src)] : [], kwargs };
  for (const arg of valueChildren(argList)) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      const key = name ? src.slice(name.startIndex, name.endIndex) : null;
      if (key !== null) kwargs[key] = !keep || keep.has(key) ? toPyValue(arg.childForFieldName('value'), src, keep) : SKIPPED;
    } else args.push(toPyValue(arg, src, keep));
  }
  return { k: 'call', fn, args, kwargs };
}

const SKIPPED: PyValue = { k: 'unknown', text: '' };

function dictValue(node: Node, src: string): PyValue {
  const entries: Array<[PyValue, PyValue]> = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair') {
      entries.push([toPyValue(child.childForFieldName('key'), src), toPyValue(child.childForFieldName('value'), src)]);
    } else if (child.type === 'dictionary_splat') {
      entries.push([{ k: 'splat', v: toPyValue(child.namedChildren[0] ?? null, src) }, { k: 'none' }]);
    }
  }
  return { k: 'dict', entries };
}

function numberValue(node: Node, src: string): PyValue {
  return numberText(src.slice(node.startIndex, node.endIndex));
}

/** A number literal's value (`1_000`, `0x1F`, `1e3`); complex and other forms stay unknown. */
export function numberText(literal: string): PyValue {
  const text = literal.includes('_') ? literal.replace(/_/g, '') : literal;
  const v = Number(text);
  return Number.isFinite(v) ? { k: 'num', v } : { k: 'unknown', text };
}

function unaryValue(node: Node, src: string): PyValue {
  const operand = toPyValue(node.childForFieldName('argument'), src);
  const op = node.childForFieldName('operator')?.type;
  if (operand.k === 'num' && op === '-') return { k: 'num', v: -operand.v };
  return unknown(node, src);
}

/** Literal strings (plain, raw, bytes, implicit concatenation); f-strings with `{}` are unknown. */
function stringValue(node: Node, src: string): PyValue {
  const parts = node.type === 'concatenated_string' ? valueChildren(node) : [node];
  let out = '';
  for (const part of parts) {
    if (!part) continue;
    const start = part.child(0);
    const end = part.child(part.childCount - 1);
    if (!start || !end || start.type !== 'string_start') return unknown(node, src);
    const prefix = src.slice(start.startIndex, start.endIndex).replace(/['"]/g, '').toLowerCase();
    for (const child of part.children) {
      if (child?.type === 'interpolation') return unknown(node, src);
    }
    const body = src.slice(start.endIndex, end.startIndex);
    out += prefix.includes('r') ? body : decodeEscapes(body);
  }
  return { k: 'str', v: out };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', '\n': '' };

export function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return SIMPLE_ESCAPES[esc] ?? whole;
  });
}
