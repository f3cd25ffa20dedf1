import { INTERESTING_CALLS } from '../buildModuleIr';
import { isSettingsProperty, type ImportedName, type Loc, type ModuleIr, type Param, type PyValue, type Stmt } from '../pyIr';
import { CLASS_BODY_KWARGS } from '../toPyValue';
import { ExprParser, tight, type Mark } from './parseExpression';
import { Decline, PyTokenizer, Tok } from './pyTokenizer';

/** The word every INTERESTING_CALLS match contains. */
const PERIODIC_WORD = 'add_periodic_task';
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=', '@=']);
const SKIPPED_STATEMENTS = new Set(['pass', 'break', 'continue', 'raise', 'del', 'global', 'nonlocal', 'assert']);
/** Soft keywords and Python 2 statements: leave them to tree-sitter unless they are plainly a name. */
const AMBIGUOUS = new Set(['match', 'case', 'type', 'print', 'exec']);

/**
 * The fast reader: the same ModuleIr `buildModuleIr` makes from a tree-sitter tree, built straight from
 * the text by a tokenizer and a small recursive-descent parser, skipping what no reader uses (method
 * bodies, unread keyword arguments of field declarations). It handles clean, ordinary Python only: it
 * returns null on anything else (syntax errors, Python 2 statements, tabs, soft keywords), and the caller
 * parses with tree-sitter, which recovers from errors. 5-10x faster than tree-sitter plus tree walking.
 */
export function fastModuleIr(text: string, firstLine = 0): ModuleIr | null {
  try {
    return { body: new StmtParser(text, firstLine).module(), errorLines: [] };
  } catch (error) {
    if (error instanceof Decline) return null;
    throw error;
  }
}

/** Why the fast reader declines a text (for tests and tuning); null when it reads it. */
export function whyDeclined(text: string): string | null {
  let parser: StmtParser | null = null;
  try {
    parser = new StmtParser(text);
    parser.module();
    return null;
  } catch (error) {
    if (error instanceof Decline) return `${error.message} (line ${(parser?.line ?? 0) + 1})`;
    throw error;
  }
}

class StmtParser {
  private readonly tok: PyTokenizer;
  private readonly x: ExprParser;
  /** Index of the first `add_periodic_task` at or after `periodicFrom` (-1: none). */
  private periodicAt = -1;
  private periodicFrom = Number.POSITIVE_INFINITY;

  constructor(
    private readonly src: string,
    firstLine = 0,
  ) {
    this.tok = new PyTokenizer(src, firstLine);
    this.x = new ExprParser(this.tok, src);
  }

  get line(): number {
    return this.tok.line;
  }

  module(): Stmt[] {
    const out: Stmt[] = [];
    while (this.tok.kind() !== Tok.End) this.statementInto(out, true, false);
    return tight(out);
  }

  private loc(m: Mark): Loc {
    return { line: m.line + 1, column: m.col + 1, endLine: this.tok.lastEndLine + 1, endColumn: this.tok.lastEndCol + 1 };
  }

  /** The statements of a block after `:` (indented, or simple statements on the same line). */
  private block(moduleLevel: boolean, inClass: boolean): Stmt[] {
    const out: Stmt[] = [];
    if (this.tok.kind() !== Tok.Newline) {
      this.simpleLine(out, inClass);
      return tight(out);
    }
    this.tok.next();
    if (this.tok.kind() !== Tok.Indent) throw new Decline('expected an indented block');
    this.tok.next();
    while (this.tok.kind() !== Tok.Dedent) {
      if (this.tok.kind() === Tok.End) throw new Decline('unterminated block');
      this.statementInto(out, moduleLevel, inClass);
    }
    this.tok.next();
    return tight(out);
  }

  /** Skips a block nobody reads (method bodies). */
  private skipBlock(): void {
    if (this.tok.kind() !== Tok.Newline) {
      while (this.tok.kind() !== Tok.Newline) {
        if (this.tok.kind() === Tok.End) throw new Decline('unterminated line');
        this.tok.next();
      }
      this.tok.next();
      return;
    }
    this.tok.skipIndentedBlock();
    this.tok.next();
  }

  private statementInto(out: Stmt[], moduleLevel: boolean, inClass: boolean): void {
    const t = this.tok;
    if (t.kind() === Tok.Name && COMPOUND.has(t.value)) {
      const stmt = this.compound(moduleLevel);
      if (stmt) out.push(stmt);
    } else if (t.kind() === Tok.Op && t.value === '@') {
      const stmt = this.decorated(moduleLevel);
      if (stmt) out.push(stmt);
    } else this.simpleLine(out, inClass);
  }

  /** Simple statements separated by `;` up to the end of the line. */
  private simpleLine(out: Stmt[], inClass: boolean): void {
    for (;;) {
      const stmt = this.simple(inClass);
      if (stmt) out.push(stmt);
      if (this.x.isOp(';')) {
        this.tok.next();
        if (this.tok.kind() !== Tok.Newline) continue;
      }
      if (this.tok.kind() !== Tok.Newline) throw new Decline('expected end of statement');
      this.tok.next();
      return;
    }
  }

  private compound(moduleLevel: boolean): Stmt | null {
    const m = this.x.mark();
    switch (this.tok.value) {
      case 'class':
        return this.classDef(m);
      case 'def':
        return this.funcDef(m, [], moduleLevel);
      case 'async':
        return this.asyncStatement(m, moduleLevel);
      case 'if':
        return this.ifStatement(m);
      case 'try':
        return this.tryStatement(m);
      default:
        return this.loopOrWith(m, this.tok.value);
    }
  }

  private asyncStatement(m: Mark, moduleLevel: boolean): Stmt {
    this.tok.next();
    const kind = this.tok.value;
    if (kind === 'def') return this.funcDef(m, [], moduleLevel);
    if (kind === 'for' || kind === 'with') return this.loopOrWith(m, kind);
    throw new Decline('async');
  }

  private simple(inClass: boolean): Stmt | null {
    const t = this.tok;
    if (t.kind() === Tok.Name) {
      if (t.value === 'import') return this.importStatement();
      if (t.value === 'from') return this.fromStatement();
      if (t.value === 'return') return this.returnStatement();
      if (SKIPPED_STATEMENTS.has(t.value)) return this.skipStatement();
      if (AMBIGUOUS.has(t.value) && !plainName(this.src, t.end, t.value)) throw new Decline(`statement starting with ${t.value}`);
    }
    return this.expressionStatement(inClass);
  }

  private returnStatement(): Stmt {
    const m = this.x.mark();
    this.tok.next();
    const atEnd = this.tok.kind() === Tok.Newline || this.x.isOp(';');
    const value = atEnd ? null : this.part().value;
    return { k: 'return', value, loc: this.loc(m) };
  }

  private skipStatement(): null {
    while (this.tok.kind() !== Tok.Newline && !(this.x.isOp(';') && this.tok.level === 0)) {
      if (this.tok.kind() === Tok.End) throw new Decline('unterminated statement');
      this.tok.next();
    }
    return null;
  }

  /** One side of an assignment chain or an expression statement, with what tree-sitter would call it. */
  private part(keep?: ReadonlySet<string>): Part {
    const mark = this.x.mark();
    const bracket = this.x.isOp('(') || this.x.isOp('[');
    const startsWithString = this.tok.kind() === Tok.String;
    const first = this.x.starOrTest();
    const stringOnly = startsWithString && this.x.lastStrings === mark.start && this.x.lastStringsEnd === this.tok.lastEnd;
    let value = first;
    let comma = false;
    if (this.x.isOp(',')) {
      comma = true;
      value = { k: 'tuple', items: this.x.restOfList(first) };
    } else if (keep && !bracket) keepKeywords(first, keep); // toPyValue does not filter inside parentheses
    const t = this.tok;
    return { value, first, mark, pattern: comma || bracket, stringOnly, endLine: t.lastEndLine, endCol: t.lastEndCol, endIndex: t.lastEnd };
  }

  private expressionStatement(inClass: boolean): Stmt | null {
    const keep = inClass ? CLASS_BODY_KWARGS : undefined;
    const head = this.part();
    const t = this.tok;
    if (t.kind() === Tok.Op && t.value === '=') return this.assignment(head, keep);
    if (t.kind() === Tok.Op && AUG_OPS.has(t.value)) {
      const op = t.value;
      if (head.pattern || !isTarget(head.first)) throw new Decline('cannot assign to this expression');
      t.next();
      const right = this.part();
      return { k: 'augassign', target: head.first, op, value: right.value, loc: this.loc(head.mark), valueLoc: partLoc(right) };
    }
    if (t.kind() === Tok.Op && t.value === ':') {
      t.next();
      this.x.test(); // the annotation
      if (!this.x.isOp('=')) return null;
      t.next();
      const right = this.part(keep);
      return { k: 'assign', targets: [this.target(head)], value: right.value, loc: this.loc(head.mark), valueLoc: partLoc(right) };
    }
    if (head.stringOnly) return null;
    return { k: 'expr', value: head.first, loc: this.loc(head.mark) };
  }

  private assignment(head: Part, keep?: ReadonlySet<string>): Stmt {
    const targets: PyValue[] = [];
    let current = head;
    while (this.x.isOp('=')) {
      targets.push(this.target(current));
      this.tok.next();
      current = this.part(keep);
    }
    return { k: 'assign', targets: tight(targets), value: current.value, loc: this.loc(head.mark), valueLoc: partLoc(current) };
  }

  /** An assignment target as toPyValue sees it: patterns (`a, b`, `(a)`, `[a]`) are unknown. */
  private target(part: Part): PyValue {
    if (!isTarget(part.value)) throw new Decline('cannot assign to this expression');
    return part.pattern ? { k: 'unknown', text: this.src.slice(part.mark.start, Math.min(part.mark.start + 120, part.endIndex)) } : part.first;
  }

  private dottedName(): string {
    if (this.tok.kind() !== Tok.Name || KEYWORDS.has(this.tok.value)) throw new Decline('module name');
    let name = this.tok.value;
    this.tok.next();
    while (this.x.isOp('.')) {
      this.tok.next();
      if (this.tok.kind() !== Tok.Name) throw new Decline('module name');
      name += `.${this.tok.value}`;
      this.tok.next();
    }
    return name;
  }

  private importStatement(): Stmt {
    const m = this.x.mark();
    this.tok.next();
    const module = this.dottedName();
    let alias: string | null = null;
    if (this.x.isName('as')) {
      this.tok.next();
      alias = this.dottedName();
    }
    while (this.x.isOp(',')) {
      this.tok.next();
      this.dottedName();
      if (this.x.isName('as')) {
        this.tok.next();
        this.dottedName();
      }
    }
    return { k: 'import', module, alias, loc: this.loc(m) };
  }

  private fromStatement(): Stmt | null {
    const m = this.x.mark();
    this.tok.next();
    let level = 0;
    while (this.x.isOp('.') || this.x.isOp('...')) {
      level += this.tok.value.length;
      this.tok.next();
    }
    const module = this.tok.kind() === Tok.Name && this.tok.value !== 'import' ? this.dottedName() : '';
    if (!this.x.isName('import')) throw new Decline('from without import');
    this.tok.next();
    if (level === 0 && module === '__future__') return this.skipStatement();
    if (this.x.isOp('*')) {
      this.tok.next();
      return { k: 'from', module, level, names: '*', loc: this.loc(m) };
    }
    const names = this.importedNames();
    return { k: 'from', module, level, names, loc: this.loc(m) };
  }

  private importedNames(): ImportedName[] {
    const paren = this.x.isOp('(');
    if (paren) this.tok.next();
    const names: ImportedName[] = [];
    while (this.tok.kind() === Tok.Name) {
      const name = this.dottedName();
      let alias: string | null = null;
      if (this.x.isName('as')) {
        this.tok.next();
        alias = this.dottedName();
      }
      names.push({ name, alias });
      if (!this.x.isOp(',')) break;
      this.tok.next();
    }
    if (paren) this.x.expectOp(')');
    if (!names.length) throw new Decline('import names');
    return tight(names);
  }

  private classDef(m: Mark): Stmt {
    this.tok.next();
    if (this.tok.kind() !== Tok.Name) throw new Decline('class name');
    const name = this.tok.value;
    this.tok.next();
    const bases: PyValue[] = [];
    const keywords: Record<string, PyValue> = {};
    if (this.x.isOp('(')) this.classArguments(bases, keywords);
    this.x.expectOp(':');
    const body = this.block(false, true);
    return { k: 'class', name, bases: tight(bases), keywords, body, loc: this.loc(m) };
  }

  private classArguments(bases: PyValue[], keywords: Record<string, PyValue>): void {
    this.tok.next();
    while (!this.x.isOp(')')) {
      if (this.x.isOp('*') || this.x.isOp('**')) {
        this.tok.next();
        bases.push({ k: 'splat', v: this.x.test() });
      } else if (this.tok.kind() === Tok.Name && this.tok.nextIsAssign()) {
        const key = this.tok.value;
        this.tok.next();
        this.tok.next();
        keywords[key] = this.x.test();
      } else bases.push(this.x.test());
      if (!this.x.isOp(',')) break;
      this.tok.next();
    }
    this.x.expectOp(')');
  }

  private funcDef(m: Mark, decorators: PyValue[], moduleLevel: boolean): Stmt {
    this.tok.next();
    if (this.tok.kind() !== Tok.Name) throw new Decline('function name');
    const name = this.tok.value;
    this.tok.next();
    if (!this.x.isOp('(')) throw new Decline('parameters');
    this.tok.next();
    const keep = moduleLevel || isSettingsProperty(name, decorators);
    const params: Param[] = [];
    if (this.x.isOp(')')) this.tok.next();
    else if (keep) this.paramList(params);
    else this.x.skipToClose(')');
    while (!this.x.isOp(':') || this.tok.level !== 0) {
      if (this.tok.kind() === Tok.Newline || this.tok.kind() === Tok.End) throw new Decline('function header');
      this.tok.next();
    }
    this.tok.next();
    let body: Stmt[] | null = null;
    if (keep) body = this.block(false, false);
    else this.skipBlock();
    return { k: 'def', name, decorators, calls: this.interestingCalls(m.start, this.tok.lastEnd), params: tight(params), body, loc: this.loc(m) };
  }

  /**
   * INTERESTING_CALLS in `src[start, end)`. Every such call names `add_periodic_task`: where that word next
   * occurs is looked up once per stretch of text, so a file without it is searched once, not once per function.
   */
  private interestingCalls(start: number, end: number): string[] {
    // Nested functions finish first: a start before the last search (the outer function) searches again.
    if (start < this.periodicFrom || (this.periodicAt !== -1 && this.periodicAt < start)) {
      this.periodicAt = this.src.indexOf(PERIODIC_WORD, start);
      this.periodicFrom = start;
    }
    if (this.periodicAt === -1 || this.periodicAt >= end) return [];
    const text = this.src.slice(start, end);
    return [...new Set([...text.matchAll(INTERESTING_CALLS)].map((x) => x[1] ?? ''))];
  }

  /** Parameters up to the closing `)`: as buildModuleIr's paramsOf reads them (annotations dropped). */
  private paramList(out: Param[]): void {
    while (!this.x.isOp(')')) {
      let star: Param['star'] = '';
      if (this.x.isOp('*') || this.x.isOp('**')) {
        star = this.tok.value as '*' | '**';
        this.tok.next();
      } else if (this.x.isOp('/')) {
        this.tok.next();
      }
      if (this.tok.kind() === Tok.Name) {
        const name = this.tok.value;
        this.tok.next();
        if (this.x.isOp(':')) {
          this.tok.next();
          this.x.test();
        }
        let value: PyValue | null = null;
        if (this.x.isOp('=')) {
          this.tok.next();
          value = this.x.test();
        }
        out.push({ name, default: value, star });
      } else if (!star && !this.x.isOp(',') && !this.x.isOp(')')) throw new Decline('parameter');
      if (!this.x.isOp(',')) break;
      this.tok.next();
    }
    this.x.expectOp(')');
  }

  private decorated(moduleLevel: boolean): Stmt | null {
    const pushed: PyValue[] = [];
    while (this.x.isOp('@')) {
      this.tok.next();
      pushed.push(this.x.test());
      if (this.tok.kind() !== Tok.Newline) throw new Decline('decorator');
      this.tok.next();
    }
    const decorators = tight(pushed);
    const m = this.x.mark();
    if (this.x.isName('class')) return this.classDef(m);
    if (this.x.isName('def')) return this.funcDef(m, decorators, moduleLevel);
    if (this.x.isName('async')) {
      this.tok.next();
      if (!this.x.isName('def')) throw new Decline('decorated async');
      return this.funcDef(m, decorators, moduleLevel);
    }
    throw new Decline('decorated statement');
  }

  /** `if test:` block, `elif` chains nested in orelse as Python's AST does, `else:` block. */
  private ifStatement(m: Mark): Stmt {
    this.tok.next();
    const test = this.x.test();
    this.x.expectOp(':');
    const body = this.block(false, false);
    const orelse = this.elseChain();
    return { k: 'if', test, body, orelse, loc: this.loc(m) };
  }

  private elseChain(): Stmt[] {
    if (this.x.isName('else')) {
      this.tok.next();
      this.x.expectOp(':');
      return this.block(false, false);
    }
    if (!this.x.isName('elif')) return [];
    const m = this.x.mark();
    this.tok.next();
    const test = this.x.test();
    this.x.expectOp(':');
    const body = this.block(false, false);
    const loc = this.loc(m);
    return [{ k: 'if', test, body, orelse: this.elseChain(), loc }];
  }

  private tryStatement(m: Mark): Stmt {
    this.tok.next();
    this.x.expectOp(':');
    const body = this.block(false, false);
    const handlers: Stmt[][] = [];
    let orelse: Stmt[] = [];
    let final: Stmt[] = [];
    for (;;) {
      if (this.x.isName('except')) {
        this.skipHeader();
        handlers.push(this.block(false, false));
      } else if (this.x.isName('else')) {
        this.skipHeader();
        orelse = this.block(false, false);
      } else if (this.x.isName('finally')) {
        this.skipHeader();
        final = this.block(false, false);
      } else break;
    }
    return { k: 'try', body, handlers: tight(handlers), orelse, final, loc: this.loc(m) };
  }

  /** Consumes a clause header through its `:` (the header's expressions are not read). */
  private skipHeader(): void {
    this.tok.next();
    while (!(this.x.isOp(':') && this.tok.level === 0)) {
      if (this.tok.kind() === Tok.Newline || this.tok.kind() === Tok.End) throw new Decline('clause header');
      if (this.x.isName('lambda')) throw new Decline('lambda in a header');
      this.tok.next();
    }
    this.tok.next();
  }

  /** for / while / with: the body is kept (as a block whose effect depends on run time); `else:` is skipped. */
  private loopOrWith(m: Mark, keyword: string): Stmt {
    if (keyword !== 'for' && keyword !== 'while' && keyword !== 'with') throw new Decline(keyword);
    this.skipHeader();
    const body = this.block(false, false);
    if (keyword !== 'with' && this.x.isName('else')) {
      this.skipHeader();
      this.block(false, false);
    }
    return { k: 'block', kind: keyword, body, loc: this.loc(m) };
  }
}

const SKIPPED: PyValue = { k: 'unknown', text: '' };

function partLoc(part: Part): Loc {
  return { line: part.mark.line + 1, column: part.mark.col + 1, endLine: part.endLine + 1, endColumn: part.endCol + 1 };
}

/** What Python accepts on the left of `=`: names, attributes, subscripts, and tuples / lists of them. */
function isTarget(value: PyValue): boolean {
  if (value.k === 'ref' || value.k === 'attr' || value.k === 'sub') return true;
  if (value.k === 'splat') return isTarget(value.v);
  return (value.k === 'tuple' || value.k === 'list') && value.items.every(isTarget);
}

/**
 * What toPyValue's `kwargs` filter does to a class-body assignment's value: a call keeps only the keyword
 * arguments readers use (others become empty unknowns), and so do calls directly among its arguments.
 */
function keepKeywords(value: PyValue, keep: ReadonlySet<string>): void {
  if (value.k !== 'call') return;
  for (const key of Object.keys(value.kwargs)) {
    if (keep.has(key)) keepKeywords(value.kwargs[key] as PyValue, keep);
    else value.kwargs[key] = SKIPPED;
  }
  for (const arg of value.args) keepKeywords(arg, keep);
}

const KEYWORDS = new Set(['def', 'class', 'import', 'from', 'as', 'if', 'else', 'for', 'in', 'return', 'lambda', 'with', 'while', 'try', 'except', 'not', 'and', 'or', 'is', 'None', 'True', 'False']);
const COMPOUND = new Set(['class', 'def', 'async', 'if', 'try', 'for', 'while', 'with']);

/** A soft keyword used as a plain name: followed by `=`, `:`, `.`, `,`, `)` or the end of the line. */
function plainName(src: string, end: number, name: string): boolean {
  const c = src.charCodeAt(end);
  if (c === 40) return name === 'print' || name === 'exec'; // print(...) is a call in Python 3
  let i = end;
  while (src.charCodeAt(i) === 32) i++;
  const d = src.charCodeAt(i);
  return d === 61 || d === 58 || d === 46 || d === 44 || d === 41 || d === 10 || d === 13 || Number.isNaN(d) || (d === 91 && i === end);
}

interface Part {
  value: PyValue;
  /** The first item: what an expression statement's value is (tree-sitter's firstNamedChild). */
  first: PyValue;
  mark: Mark;
  /** A target tree-sitter parses as a pattern (`a, b`, `(a, b)`, `[a]`): toPyValue makes it unknown. */
  pattern: boolean;
  /** Only string literals: a docstring or a bare string, which no reader needs. */
  stringOnly: boolean;
  /** Where it ends (0-based, like the tokenizer's): its Loc is made only for the part that is a statement's value. */
  endLine: number;
  endCol: number;
  endIndex: number;
}
