/**
 * A Python tokenizer for the fast reader (see fastModuleIr.ts): names, numbers, strings, operators,
 * NEWLINE / INDENT / DEDENT, with 0-based lines and UTF-16 columns like web-tree-sitter's positions.
 * Comments and blank lines are skipped. Anything it is not sure about throws `Decline`, and the caller
 * parses the text with tree-sitter instead: being fast is optional, being right is not.
 */

export class Decline extends Error {}

export const enum Tok {
  Name,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  End,
}

const OPS3 = ['**=', '//=', '>>=', '<<=', '...'];
const OPS2 = ['**', '//', '<<', '>>', '<=', '>=', '==', '!=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':='];
const OPS1 = ['+', '-', '*', '/', '%', '@', '|', '&', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '='];
/**
 * Operators by their character codes (one: `c`, two: `c * 128 + d`, three: `(c * 128 + d) * 128 + e`), so
 * that a token's operator is a shared string: scanning allocates nothing for operators.
 */
const OPS_BY_CODES = new Map<number, string>();
for (const op of [...OPS1, ...OPS2, ...OPS3]) {
  let key = 0;
  for (let i = 0; i < op.length; i++) key = key * 128 + op.charCodeAt(i);
  OPS_BY_CODES.set(key, op);
}
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[jJ]?/y;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

export class PyTokenizer {
  type: Tok = Tok.Newline;
  start = 0;
  end = 0;
  line = 0;
  col = 0;
  endLine = 0;
  endCol = 0;
  /** The value of the current Name / Op / Number token ('' inside a skipped block, see skipIndentedBlock). */
  value = '';
  /** The current String token: its prefix (lower case), where its body starts and ends, whether it has `{...}` parts. */
  strPrefix = '';
  strBodyStart = 0;
  strBodyEnd = 0;
  strInterpolated = false;
  /** End of the last name/number/string/operator token: where a node that ends before this token ends. */
  lastEnd = 0;
  lastEndLine = 0;
  lastEndCol = 0;

  private pos = 0;
  private curLine = 0;
  private lineStart = 0;
  private depth = 0;
  private atLineStart = true;
  private readonly indents: number[] = [0];
  private pendingDedents = 0;
  private tokenLevel = 0;
  /** Inside skipIndentedBlock: tokens are checked but their text is not taken (no allocation). */
  private skipping = false;
  /** The opening bracket at each open depth: `(` must be closed by `)`. */
  private readonly brackets: number[] = [];

  /** `firstLine`: the 0-based line the text starts at in its file (chunks of big files). */
  constructor(
    readonly text: string,
    firstLine = 0,
  ) {
    if (text.includes('\t') && /^[ ]*\t/m.test(text)) throw new Decline('tab indentation');
    this.curLine = firstLine;
    this.next();
  }

  /** The current token's type (a method, so that TypeScript does not narrow it across `next()` calls). */
  kind(): Tok {
    return this.type;
  }

  /** Advances to the next token. */
  next(): void {
    if (this.type !== Tok.Newline && this.type !== Tok.Indent && this.type !== Tok.Dedent && this.type !== Tok.End) {
      this.lastEnd = this.end;
      this.lastEndLine = this.endLine;
      this.lastEndCol = this.endCol;
    }
    if (this.pendingDedents > 0) {
      this.pendingDedents--;
      return this.emitEmpty(Tok.Dedent);
    }
    if (this.atLineStart && this.depth === 0 && this.lineStartToken()) return;
    this.skipSpace();
    this.scanToken();
  }

  /** Index of the next significant character after the current token (spaces, and line breaks inside brackets, skipped). */
  peekIndex(): number {
    let i = this.end;
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12 || (this.depth > 0 && (c === 10 || c === 13))) i++;
      else if (c === 92 && (t.charCodeAt(i + 1) === 10 || t.charCodeAt(i + 1) === 13)) i += 2;
      else if (c === 35 && this.depth > 0) while (i < t.length && t.charCodeAt(i) !== 10) i++;
      else return i;
    }
  }

  /** True when the next token is a single `=` (a keyword argument follows a name). */
  nextIsAssign(): boolean {
    const i = this.peekIndex();
    return this.text.charCodeAt(i) === 61 && this.text.charCodeAt(i + 1) !== 61;
  }

  /** Bracket nesting the current token sits at: `(` and its `)` are both at the outer level. */
  get level(): number {
    return this.tokenLevel;
  }

  private emitEmpty(type: Tok): void {
    this.tokenLevel = this.depth;
    this.type = type;
    this.start = this.end = this.pos;
    this.line = this.endLine = this.curLine;
    this.col = this.endCol = this.pos - this.lineStart;
    this.value = '';
  }

  /** At the start of a logical line: skips blank and comment lines, emits INDENT / DEDENT / End. */
  private lineStartToken(): boolean {
    const t = this.text;
    for (;;) {
      let i = this.pos;
      while (t.charCodeAt(i) === 32) i++;
      const c = t.charCodeAt(i);
      if (c === 12 || c === 9) throw new Decline('tab or form feed in indentation');
      if (i >= t.length) {
        this.pos = i;
        return this.endOfFile();
      }
      if (c === 35) while (i < t.length && t.charCodeAt(i) !== 10) i++;
      if (i >= t.length) {
        this.pos = i;
        return this.endOfFile();
      }
      const d = t.charCodeAt(i);
      if (d === 10 || d === 13) {
        this.pos = i;
        this.consumeNewline();
        continue;
      }
      if (d === 92) throw new Decline('line continuation at line start');
      this.atLineStart = false;
      return this.indentTo(i - this.pos, i);
    }
  }

  private indentTo(width: number, at: number): boolean {
    this.pos = at;
    const top = this.indents[this.indents.length - 1] as number;
    if (width > top) {
      this.indents.push(width);
      this.emitEmpty(Tok.Indent);
      return true;
    }
    if (width === top) return false;
    let dedents = 0;
    while ((this.indents[this.indents.length - 1] as number) > width) {
      this.indents.pop();
      dedents++;
    }
    if (this.indents[this.indents.length - 1] !== width) throw new Decline('inconsistent dedent');
    this.pendingDedents = dedents - 1;
    this.emitEmpty(Tok.Dedent);
    return true;
  }

  private endOfFile(): boolean {
    if (this.indents.length > 1) {
      this.indents.pop();
      this.emitEmpty(Tok.Dedent);
      return true;
    }
    this.emitEmpty(Tok.End);
    return true;
  }

  private consumeNewline(): void {
    if (this.text.charCodeAt(this.pos) === 13) {
      if (this.text.charCodeAt(this.pos + 1) !== 10) throw new Decline('lone carriage return');
      this.pos++;
    }
    this.pos++;
    this.curLine++;
    this.lineStart = this.pos;
  }

  private skipSpace(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 12) this.pos++;
      else if (c === 35) while (this.pos < t.length && t.charCodeAt(this.pos) !== 10 && t.charCodeAt(this.pos) !== 13) this.pos++;
      else if (c === 92 && (t.charCodeAt(this.pos + 1) === 10 || t.charCodeAt(this.pos + 1) === 13)) {
        this.pos++;
        this.consumeNewline();
      } else if ((c === 10 || c === 13) && this.depth > 0) this.consumeNewline();
      else return;
    }
  }

  private scanToken(): void {
    const t = this.text;
    const start = this.pos;
    this.start = start;
    this.line = this.curLine;
    this.col = start - this.lineStart;
    if (start >= t.length) {
      if (this.depth > 0) throw new Decline('unclosed bracket at the end of the file');
      // A last line without "\n": close it like Python does.
      this.atLineStart = true;
      return this.finish(Tok.Newline, start, '');
    }
    const c = t.charCodeAt(start);
    if (c === 10 || c === 13) {
      this.consumeNewline();
      this.atLineStart = true;
      this.type = Tok.Newline;
      this.end = start;
      this.endLine = this.line;
      this.endCol = this.col;
      return;
    }
    if (isNameStart(c)) return this.scanName(start);
    if ((c >= 48 && c <= 57) || (c === 46 && t.charCodeAt(start + 1) >= 48 && t.charCodeAt(start + 1) <= 57)) return this.scanNumber(start);
    if (c === 34 || c === 39) return this.scanString(start, start, '');
    this.scanOp(start);
  }

  private finish(type: Tok, end: number, value: string): void {
    if (type !== Tok.Op) this.tokenLevel = this.depth;
    this.type = type;
    this.pos = end;
    this.end = end;
    this.endLine = this.curLine;
    this.endCol = end - this.lineStart;
    this.value = value;
  }

  private scanName(start: number): void {
    const t = this.text;
    let hash = t.charCodeAt(start);
    let i = start + 1;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (!isNameChar(c)) break;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    const q = t.charCodeAt(i);
    if ((q === 34 || q === 39) && i - start <= 2) {
      const prefix = t.slice(start, i).toLowerCase();
      if (STRING_PREFIXES.has(prefix)) return this.scanString(start, i, prefix);
    }
    this.finish(Tok.Name, i, this.skipping ? '' : internName(t, start, i, hash));
  }

  private scanNumber(start: number): void {
    NUMBER.lastIndex = start;
    if (!NUMBER.test(this.text)) throw new Decline('number');
    const end = NUMBER.lastIndex;
    if (isNameChar(this.text.charCodeAt(end))) throw new Decline('number suffix (Python 2 long?)');
    this.finish(Tok.Number, end, this.skipping ? '' : this.text.slice(start, end));
  }

  private scanOp(start: number): void {
    const op = this.opAt(start);
    this.tokenLevel = this.depth;
    if (op === '(' || op === '[' || op === '{') this.brackets[this.depth++] = op.charCodeAt(0);
    else if (op === ')' || op === ']' || op === '}') {
      // `(` is 40 and `)` 41; `[` 91 / `]` 93; `{` 123 / `}` 125.
      const open = this.brackets[--this.depth];
      if (this.depth < 0 || open !== (op === ')' ? 40 : op === ']' ? 91 : 123)) throw new Decline('unbalanced bracket');
      this.tokenLevel = this.depth;
    }
    this.finish(Tok.Op, start + op.length, op);
  }

  /** The operator at `start`, longest first, as a shared string (nothing allocated). */
  private opAt(start: number): string {
    const t = this.text;
    const c = t.charCodeAt(start);
    const d = t.charCodeAt(start + 1);
    // Keys are unique only for ASCII codes; no operator has another character.
    if (c < 128 && d < 128 && (d === 61 || d === c || (c === 45 && d === 62) || (c === 58 && d === 61) || (c === 46 && d === 46))) {
      const e = t.charCodeAt(start + 2);
      const three = e < 128 ? OPS_BY_CODES.get((c * 128 + d) * 128 + e) : undefined;
      if (three !== undefined) return three;
      const two = OPS_BY_CODES.get(c * 128 + d);
      if (two !== undefined) return two;
    }
    const one = c < 128 ? OPS_BY_CODES.get(c) : undefined;
    if (one === undefined) throw new Decline(`character ${JSON.stringify(t[start])}`);
    return one;
  }

  /** A string literal starting at `start` (prefix included) whose quote is at `quoteAt`. */
  private scanString(start: number, quoteAt: number, prefix: string): void {
    const t = this.text;
    const quote = t.charCodeAt(quoteAt);
    const triple = t.charCodeAt(quoteAt + 1) === quote && t.charCodeAt(quoteAt + 2) === quote;
    const bodyStart = quoteAt + (triple ? 3 : 1);
    const isF = prefix.includes('f');
    let interpolated = false;
    let i = bodyStart;
    for (;;) {
      if (i >= t.length) throw new Decline('unterminated string');
      const c = t.charCodeAt(i);
      if (c === 92) {
        i += 2;
        if (t.charCodeAt(i - 1) === 10) this.lineAt(i);
        else if (t.charCodeAt(i - 1) === 13 && t.charCodeAt(i) === 10) this.lineAt(++i);
        continue;
      }
      if (c === quote && (!triple || (t.charCodeAt(i + 1) === quote && t.charCodeAt(i + 2) === quote))) break;
      if (c === 10) {
        if (!triple) throw new Decline('newline in a one-line string');
        this.lineAt(i + 1);
      } else if (isF && c === 123) {
        if (t.charCodeAt(i + 1) === 123) i++;
        else {
          interpolated = true;
          i = this.skipInterpolation(i + 1);
          continue;
        }
      }
      i++;
    }
    const end = i + (triple ? 3 : 1);
    this.strPrefix = prefix;
    this.strBodyStart = bodyStart;
    this.strBodyEnd = i;
    this.strInterpolated = interpolated;
    this.finish(Tok.String, end, '');
  }

  /** Skips `{expr!r:spec}` of an f-string (nested strings and brackets included); returns the index after `}`. */
  private skipInterpolation(from: number): number {
    const t = this.text;
    let depth = 0;
    for (let i = from; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) this.lineAt(i + 1);
      else if (c === 123 || c === 40 || c === 91) depth++;
      else if (c === 41 || c === 93) depth--;
      else if (c === 125) {
        if (depth === 0) return i + 1;
        depth--;
      } else if (c === 34 || c === 39) i = this.skipPlainString(i) - 1;
    }
    throw new Decline('unterminated f-string');
  }

  private skipPlainString(quoteAt: number): number {
    const t = this.text;
    const quote = t.charCodeAt(quoteAt);
    const triple = t.charCodeAt(quoteAt + 1) === quote && t.charCodeAt(quoteAt + 2) === quote;
    for (let i = quoteAt + (triple ? 3 : 1); i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 10) this.lineAt(i + 1);
      else if (c === quote && (!triple || (t.charCodeAt(i + 1) === quote && t.charCodeAt(i + 2) === quote))) return i + (triple ? 3 : 1);
    }
    throw new Decline('unterminated string in f-string');
  }

  /** A newline was passed inside a token: the line starting at `nextLineStart`. */
  private lineAt(nextLineStart: number): void {
    this.curLine++;
    this.lineStart = nextLineStart;
  }

  /**
   * Skips the indented block that follows a `:` at the end of a header line, without tokenizing it (method
   * bodies). Returns with the current token being the first one after the block. The block's last
   * significant character becomes `lastEnd`.
   */
  skipIndentedBlock(): void {
    if (this.kind() !== Tok.Newline) throw new Decline('block skip not at a newline');
    this.next();
    if (this.kind() !== Tok.Indent) throw new Decline('expected an indented block');
    // Count INDENT/DEDENT pairs: one physical dedent can close several blocks, one DEDENT token each.
    // Tokens are still scanned (what the tokenizer declines must decline here too), but not taken.
    let open = 1;
    this.skipping = true;
    try {
      while (open > 0) {
        this.next();
        const kind = this.kind();
        if (kind === Tok.Indent) open++;
        else if (kind === Tok.Dedent) open--;
        else if (kind === Tok.End) throw new Decline('unterminated block');
      }
    } finally {
      this.skipping = false;
    }
  }
}

/**
 * One string per distinct name, shared by every tokenizer: the IR keeps thousands of `models`, `CharField`,
 * `max_length`... and a shared string costs nothing per use. Looked up by hash and compared in place in the
 * text, so a name seen before allocates nothing. Open addressing; cleared when it grows large (a language
 * server reads many projects' worth of names over its life).
 */
const NAME_TABLE_MAX = 1 << 16;
let nameSlots = new Int32Array(1024).fill(-1);
let nameHashes = new Int32Array(1024);
let names: string[] = [];

function internName(text: string, start: number, end: number, hash: number): string {
  const length = end - start;
  let mask = nameSlots.length - 1;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const at = nameSlots[slot] as number;
    if (at === -1) break;
    if (nameHashes[slot] !== hash) continue;
    const known = names[at] as string;
    if (known.length === length && text.startsWith(known, start)) return known;
  }
  const name = text.slice(start, end);
  if ((names.length + 1) * 2 > nameSlots.length) {
    if (nameSlots.length >= NAME_TABLE_MAX) {
      nameSlots.fill(-1);
      names = [];
    } else growNames();
    mask = nameSlots.length - 1;
  }
  let slot = hash & mask;
  while (nameSlots[slot] !== -1) slot = (slot + 1) & mask;
  nameSlots[slot] = names.length;
  nameHashes[slot] = hash;
  names.push(name);
  return name;
}

function growNames(): void {
  const oldSlots = nameSlots;
  const oldHashes = nameHashes;
  nameSlots = new Int32Array(oldSlots.length * 2).fill(-1);
  nameHashes = new Int32Array(oldSlots.length * 2);
  const mask = nameSlots.length - 1;
  for (let i = 0; i < oldSlots.length; i++) {
    if (oldSlots[i] === -1) continue;
    let slot = (oldHashes[i] as number) & mask;
    while (nameSlots[slot] !== -1) slot = (slot + 1) & mask;
    nameSlots[slot] = oldSlots[i] as number;
    nameHashes[slot] = oldHashes[i] as number;
  }
}
