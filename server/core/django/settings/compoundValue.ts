import { fastModuleIr } from '../python/fastIr/fastModuleIr';
import type { PyValue } from '../python/pyIr';

/**
 * Boolean operators, conditional expressions and comparisons stay source text in the IR (`unknown`): both
 * readers keep them that way and no other reader needs them. Settings do (`os.getenv("DB_ENGINE") or
 * "django.db.backends.sqlite3"`, `DB_ENGINE if DB_ENGINE else "..."`, `engine is None`), so the settings
 * reader parses that text when it evaluates it: the text is split at its top-level operator and each operand
 * is parsed as an expression of its own. Texts cut at 120 characters by the readers do not parse and stay
 * unknown.
 */
export type Compound =
  | { k: 'ifexp'; body: PyValue; test: PyValue; orelse: PyValue }
  | { k: 'or' | 'and'; items: PyValue[] }
  | { k: 'not'; v: PyValue }
  | { k: 'cmp'; op: string; l: PyValue; r: PyValue };

const cache = new Map<string, Compound | null>();
const CACHE_LIMIT = 2000;

export function parseCompound(text: string): Compound | null {
  let found = cache.get(text);
  if (found === undefined) {
    found = parse(text.trim());
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, found);
  }
  return found;
}

function parse(text: string): Compound | null {
  if (!text || /^(lambda|yield|await)\b/.test(text)) return null;
  // `NAME := value` (a walrus in an `if`, djangopackages): the test is the value.
  const walrus = /^[A-Za-z_]\w*\s*:=\s*([\s\S]+)$/.exec(text);
  if (walrus?.[1]) {
    const value = operand(walrus[1]);
    return value ? { k: 'or', items: [value] } : null;
  }
  const ifAt = topLevelWord(text, 'if');
  if (ifAt > 0) {
    const elseAt = topLevelWord(text, 'else', ifAt);
    if (elseAt < 0) return null;
    const [body, test, orelse] = [text.slice(0, ifAt), text.slice(ifAt + 2, elseAt), text.slice(elseAt + 4)].map(operand);
    return body && test && orelse ? { k: 'ifexp', body, test, orelse } : null;
  }
  for (const op of ['or', 'and'] as const) {
    const parts = splitWord(text, op);
    if (parts.length > 1) {
      const items = parts.map(operand);
      return items.every((i): i is PyValue => i !== null) ? { k: op, items } : null;
    }
  }
  if (/^not\b/.test(text)) {
    const v = operand(text.slice(3));
    return v ? { k: 'not', v } : null;
  }
  const cmp = /\s(is\s+not|not\s+in|is|in)\s|(==|!=|<=|>=)/.exec(maskNested(text));
  if (cmp) {
    const op = (cmp[1] ?? cmp[2] ?? '').replace(/\s+/g, ' ');
    const l = operand(text.slice(0, cmp.index));
    const r = operand(text.slice(cmp.index + cmp[0].length));
    return l && r ? { k: 'cmp', op, l, r } : null;
  }
  return null;
}

/** One operand: a compound itself stays text (evaluated in turn), anything else is parsed by the fast reader. */
function operand(text: string): PyValue | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const masked = maskNested(trimmed);
  if (/\b(if|or|and|not|is|in)\b|==|!=|<=|>=/.test(masked)) return { k: 'unknown', text: trimmed };
  const ir = fastModuleIr(`_ = (\n${trimmed}\n)\n`);
  const stmt = ir?.body.length === 1 ? ir.body[0] : undefined;
  return stmt?.k === 'assign' ? stmt.value : null;
}

/** The text with strings and bracketed parts blanked (same length), so operators are found at top level only. */
function maskNested(text: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (text.startsWith(quote, i)) {
        out += ' '.repeat(quote.length);
        i += quote.length - 1;
        quote = null;
        continue;
      }
      out += ' ';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      out += ' '.repeat(quote.length);
      i += quote.length - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    out += depth > 0 || ')]}'.includes(c) ? ' ' : c;
  }
  return out;
}

function topLevelWord(text: string, word: string, from = 0): number {
  const re = new RegExp(`(^|\\s)${word}(?=\\s)`, 'g');
  re.lastIndex = from;
  const m = re.exec(maskNested(text));
  return m ? m.index + (m[1] ?? '').length : -1;
}

function splitWord(text: string, word: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let at = topLevelWord(text, word); at >= 0; at = topLevelWord(text, word, at + word.length)) {
    parts.push(text.slice(start, at));
    start = at + word.length;
  }
  parts.push(text.slice(start));
  return parts;
}
