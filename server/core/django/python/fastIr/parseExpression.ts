import type { PyValue } from '../pyIr';
import { decodeEscapes, numberText } from '../toPyValue';
import { Decline, Tok, type PyTokenizer } from './pyTokenizer';

/** Where a value started: tokens are consumed as parsed, so the end is always `tok.lastEnd`. */
export interface Mark {
  start: number;
  line: number;
  col: number;
}

const BOOL_OPS = new Set(['<', '>', '==', '>=', '<=', '!=', '<>']);
const BOOL_WORDS = new Set(['and', 'or', 'in', 'is', 'not']);
/**
 * Binary operators by precedence, lowest first; `**` is handled with unary operators. As tree-sitter-python
 * has them, which puts `^` above `&` (Python has it the other way round; no setting we read mixes them).
 */
const LEVELS: ReadonlyArray<ReadonlySet<string>> = [new Set(['|']), new Set(['&']), new Set(['^']), new Set(['<<', '>>']), new Set(['+', '-']), new Set(['*', '/', '//', '%', '@'])];
/**
 * `items` in an array of its exact length. Arrays filled by push() keep room for more (17 slots after the
 * first push); the IR keeps hundreds of thousands of them, and their size is what garbage collection copies.
 */
export function tight<T>(items: T[]): T[] {
  return items.length ? items.slice() : [];
}

/** Binary operators' precedence levels, lowest first (see LEVELS). */
const BINARY_LEVEL = new Map<string, number>();
LEVELS.forEach((ops, level) => {
  for (const op of ops) BINARY_LEVEL.set(op, level);
});
const NOT_EXPRESSION = new Set(['else', 'for', 'in', 'if', 'elif', 'import', 'from', 'as', 'return', 'pass', 'class', 'def', 'del', 'global', 'with', 'while', 'try', 'except', 'finally', 'raise', 'assert', 'break', 'continue', 'nonlocal', 'is', 'and', 'or']);

/**
 * Expressions -> PyValue, exactly as `toPyValue` converts tree-sitter's nodes: what it models becomes a
 * value, anything else an `unknown` with the node's source text.
 */
export class ExprParser {
  constructor(
    readonly tok: PyTokenizer,
    readonly src: string,
  ) {}

  mark(): Mark {
    return { start: this.tok.start, line: this.tok.line, col: this.tok.col };
  }

  /** tree-sitter's `unknown(node)`: the node's text (at most 120 characters) from `start` to the last token. */
  unknownFrom(start: number): PyValue {
    return { k: 'unknown', text: this.src.slice(start, Math.min(this.tok.lastEnd, start + 120)) };
  }

  isOp(op: string): boolean {
    return this.tok.kind() === Tok.Op && this.tok.value === op;
  }

  isName(name: string): boolean {
    return this.tok.kind() === Tok.Name && this.tok.value === name;
  }

  expectOp(op: string): void {
    if (!this.isOp(op)) throw new Decline(`expected ${op}`);
    this.tok.next();
  }

  /** Start index and end of the last run of string literals parsed (docstrings are recognised by it). */
  lastStrings = -1;
  lastStringsEnd = -1;

  /** `a, b, *c` (a tuple when there is a comma). */
  exprList(): PyValue {
    const first = this.starOrTest();
    if (!this.isOp(',')) return first;
    return { k: 'tuple', items: this.restOfList(first) };
  }

  /** `first` and the items after it of an unbracketed comma list (the current token is the first comma). */
  restOfList(first: PyValue): PyValue[] {
    const items: PyValue[] = [first];
    while (this.isOp(',')) {
      this.tok.next();
      if (this.atExprListEnd()) break;
      items.push(this.starOrTest());
    }
    return tight(items);
  }

  private atExprListEnd(): boolean {
    const t = this.tok;
    return t.kind() === Tok.Newline || t.kind() === Tok.End || (t.kind() === Tok.Op && (t.value === '=' || t.value === ';' || t.value === ')' || t.value === ':' || t.value.endsWith('=')));
  }

  starOrTest(): PyValue {
    if (this.isOp('*')) {
      this.tok.next();
      return { k: 'splat', v: this.test() };
    }
    return this.test();
  }

  /** lambda, `a if b else c`, `a := b` and everything below. */
  test(): PyValue {
    const m = this.tok.start;
    if (this.isName('lambda')) {
      this.skipLambdaParams();
      this.test();
      return this.unknownFrom(m);
    }
    const value = this.boolish();
    if (this.isName('if')) {
      this.tok.next();
      this.boolish();
      if (!this.isName('else')) throw new Decline('conditional without else');
      this.tok.next();
      this.test();
      return this.unknownFrom(m);
    }
    if (this.isOp(':=')) {
      this.tok.next();
      this.test();
      return this.unknownFrom(m);
    }
    return value;
  }

  private skipLambdaParams(): void {
    this.tok.next();
    while (!this.isOp(':')) {
      if (this.tok.kind() === Tok.Newline || this.tok.kind() === Tok.End) throw new Decline('lambda');
      this.tok.next();
    }
    this.tok.next();
  }

  /** not / and / or / comparisons: tree-sitter nodes toPyValue does not model, so their text. */
  private boolish(): PyValue {
    const m = this.tok.start;
    if (this.isName('not')) {
      this.tok.next();
      this.boolish();
      return this.unknownFrom(m);
    }
    const left = this.binary(0);
    if (!this.atBoolOperator()) return left;
    while (this.atBoolOperator()) {
      this.tok.next();
      if (this.isName('not') || this.isName('in')) this.tok.next(); // `not in`, `is not`
      this.binary(0);
    }
    return this.unknownFrom(m);
  }

  private atBoolOperator(): boolean {
    const t = this.tok;
    return (t.kind() === Tok.Op && BOOL_OPS.has(t.value)) || (t.kind() === Tok.Name && BOOL_WORDS.has(t.value));
  }

  /**
   * Binary operators of level `minLevel` and above (precedence climbing: the same left-associative tree as
   * one function per level, without descending through every level for each operand).
   */
  private binary(minLevel: number): PyValue {
    let left = this.unary();
    for (;;) {
      const level = this.tok.kind() === Tok.Op ? BINARY_LEVEL.get(this.tok.value) : undefined;
      if (level === undefined || level < minLevel) return left;
      const op = this.tok.value;
      this.tok.next();
      left = { k: 'bin', op, l: left, r: this.binary(level + 1) };
    }
  }

  private unary(): PyValue {
    const t = this.tok;
    if (t.kind() === Tok.Op && (t.value === '-' || t.value === '+' || t.value === '~')) {
      const m = this.tok.start;
      const op = t.value;
      t.next();
      const operand = this.unary();
      if (op === '-' && operand.k === 'num') return { k: 'num', v: -operand.v };
      return this.unknownFrom(m);
    }
    return this.power();
  }

  private power(): PyValue {
    const m = this.tok.start;
    if (this.isName('await')) {
      this.tok.next();
      this.primary();
      return this.unknownFrom(m);
    }
    const base = this.primary();
    if (!this.isOp('**')) return base;
    this.tok.next();
    return { k: 'bin', op: '**', l: base, r: this.unary() };
  }

  /** An atom and its trailers: `.name`, `(args)`, `[index]`. */
  primary(): PyValue {
    let value = this.atom();
    if (value.k === 'ref' && this.isOp('.')) value = this.dottedRef(value.path);
    for (;;) {
      if (this.isOp('.')) {
        this.tok.next();
        if (this.tok.kind() !== Tok.Name) throw new Decline('attribute name');
        const name = this.tok.value;
        this.tok.next();
        // The ref was made just above by this parser and is not shared yet: extend it in place.
        if (value.k === 'ref') value.path.push(name);
        else value = { k: 'attr', obj: value, name };
      } else if (this.isOp('(')) value = this.call(value);
      else if (this.isOp('[')) value = this.subscript(value);
      else return value;
    }
  }

  /** `a.b.c` after the atom `a` (its path `head`), as one ref whose path array is exactly as long as the name. */
  private dottedRef(head: string[]): PyValue {
    const path = head.slice();
    while (this.isOp('.')) {
      this.tok.next();
      if (this.tok.kind() !== Tok.Name) throw new Decline('attribute name');
      path.push(this.tok.value);
      this.tok.next();
    }
    return { k: 'ref', path: tight(path) };
  }

  private call(fn: PyValue): PyValue {
    const open = this.tok.start;
    this.tok.next();
    const args: PyValue[] = [];
    const kwargs: Record<string, PyValue> = {};
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) {
        this.tok.next();
        args.push({ k: 'splat', v: this.test() });
      } else if (this.tok.kind() === Tok.Name && this.tok.nextIsAssign()) {
        const key = this.tok.value;
        this.tok.next();
        this.tok.next();
        kwargs[key] = this.test();
      } else {
        args.push(this.test());
        if (this.isName('for') || this.isName('async')) {
          this.skipToClose(')');
          return { k: 'call', fn, args: [this.unknownFrom(open)], kwargs: {} };
        }
      }
      if (!this.isOp(',')) break;
      this.tok.next();
    }
    this.expectOp(')');
    return { k: 'call', fn, args: tight(args), kwargs };
  }

  /** Consumes tokens through the bracket that closes the one we are inside (comprehensions, generators). */
  skipToClose(close: string): void {
    const level = this.tok.level;
    while (!(this.tok.kind() === Tok.Op && this.tok.value === close && this.tok.level === level - 1)) {
      if (this.tok.kind() === Tok.End || this.tok.level < level - 1) throw new Decline('unterminated bracket');
      this.tok.next();
    }
    this.tok.next();
  }

  private subscript(obj: PyValue): PyValue {
    this.tok.next();
    const index = this.subscriptItem();
    while (this.isOp(',')) {
      this.tok.next();
      if (!this.isOp(']')) this.subscriptItem();
    }
    this.expectOp(']');
    return { k: 'sub', obj, index };
  }

  private subscriptItem(): PyValue {
    const m = this.tok.start;
    const value = this.isOp(':') ? null : this.starOrTest();
    if (!this.isOp(':')) {
      if (!value) throw new Decline('subscript');
      return value;
    }
    while (this.isOp(':')) {
      this.tok.next();
      if (!this.isOp(':') && !this.isOp(']') && !this.isOp(',')) this.test();
    }
    return this.unknownFrom(m);
  }

  private atom(): PyValue {
    const t = this.tok;
    switch (t.kind()) {
      case Tok.Name:
        return this.nameAtom();
      case Tok.Number: {
        const text = t.value;
        t.next();
        return numberText(text);
      }
      case Tok.String:
        return this.strings();
      case Tok.Op:
        return this.bracketAtom();
      default:
        throw new Decline('expression expected');
    }
  }

  private nameAtom(): PyValue {
    const t = this.tok;
    const name = t.value;
    if (NOT_EXPRESSION.has(name)) throw new Decline(`keyword ${name}`);
    if (name === 'yield' || name === 'lambda' || name === 'await') return this.keywordExpression();
    t.next();
    if (name === 'True' || name === 'False') return { k: 'bool', v: name === 'True' };
    if (name === 'None') return { k: 'none' };
    return { k: 'ref', path: [name] };
  }

  private keywordExpression(): PyValue {
    const m = this.tok.start;
    if (this.isName('yield')) {
      this.tok.next();
      if (this.isName('from')) this.tok.next();
      if (!this.atExprListEnd() && !this.isOp(']') && !this.isOp('}')) this.exprList();
      return this.unknownFrom(m);
    }
    this.test();
    return this.unknownFrom(m);
  }

  /** Adjacent string literals (implicit concatenation); an interpolated f-string makes the whole an unknown. */
  private strings(): PyValue {
    const m = this.tok.start;
    this.lastStrings = m;
    let out = '';
    let interpolated = false;
    while (this.tok.kind() === Tok.String) {
      const t = this.tok;
      if (t.strInterpolated) interpolated = true;
      else if (!interpolated) {
        const body = this.src.slice(t.strBodyStart, t.strBodyEnd);
        out += t.strPrefix.includes('r') ? body : decodeEscapes(body);
      }
      this.tok.next();
    }
    this.lastStringsEnd = this.tok.lastEnd;
    return interpolated ? this.unknownFrom(m) : { k: 'str', v: out };
  }

  private bracketAtom(): PyValue {
    const op = this.tok.value;
    if (op === '(') return this.parenthesized();
    if (op === '[') return this.listDisplay();
    if (op === '{') return this.braceDisplay();
    if (op === '...') {
      const m = this.tok.start;
      this.tok.next();
      return this.unknownFrom(m);
    }
    throw new Decline(`unexpected ${op}`);
  }

  private parenthesized(): PyValue {
    const m = this.tok.start;
    this.tok.next();
    if (this.isOp(')')) {
      this.tok.next();
      return { k: 'tuple', items: [] };
    }
    const first = this.isName('yield') ? this.keywordExpression() : this.starOrTest();
    if (this.isName('for') || this.isName('async')) {
      this.skipToClose(')');
      return this.unknownFrom(m);
    }
    if (this.isOp(')')) {
      this.tok.next();
      return first;
    }
    return { k: 'tuple', items: this.restItems(first, ')') };
  }

  /** `first` and the items after it up to `close`. */
  private restItems(first: PyValue, close: string): PyValue[] {
    const items: PyValue[] = [first];
    while (this.isOp(',')) {
      this.tok.next();
      if (this.isOp(close)) break;
      items.push(this.starOrTest());
    }
    this.expectOp(close);
    return tight(items);
  }

  private listDisplay(): PyValue {
    const m = this.tok.start;
    this.tok.next();
    if (this.isOp(']')) {
      this.tok.next();
      return { k: 'list', items: [] };
    }
    const first = this.starOrTest();
    if (this.isName('for') || this.isName('async')) {
      this.skipToClose(']');
      return this.unknownFrom(m);
    }
    return { k: 'list', items: this.restItems(first, ']') };
  }

  private braceDisplay(): PyValue {
    const m = this.tok.start;
    this.tok.next();
    if (this.isOp('}')) {
      this.tok.next();
      return { k: 'dict', entries: [] };
    }
    if (this.isOp('**')) return this.dictRest([]);
    const first = this.starOrTest();
    if (this.isName('for') || this.isName('async')) {
      this.skipToClose('}');
      return this.unknownFrom(m);
    }
    if (!this.isOp(':')) return { k: 'set', items: this.restItems(first, '}') };
    this.tok.next();
    const value = this.test();
    if (this.isName('for') || this.isName('async')) {
      this.skipToClose('}');
      return this.unknownFrom(m);
    }
    const entries: Array<[PyValue, PyValue]> = [[first, value]];
    if (!this.isOp(',')) {
      this.expectOp('}');
      return { k: 'dict', entries };
    }
    this.tok.next();
    return this.dictRest(entries);
  }

  private dictRest(entries: Array<[PyValue, PyValue]>): PyValue {
    while (!this.isOp('}')) {
      if (this.isOp('**')) {
        this.tok.next();
        entries.push([{ k: 'splat', v: this.binary(0) }, { k: 'none' }]);
      } else {
        const key = this.test();
        this.expectOp(':');
        entries.push([key, this.test()]);
      }
      if (!this.isOp(',')) break;
      this.tok.next();
    }
    this.expectOp('}');
    return { k: 'dict', entries: tight(entries) };
  }
}
