/**
 * SQL that Initialize writes into Python files (migrations, the middleware), with every line within 88 columns
 * (Black's and Ruff's default, the E501 limit most Django projects lint with). SQL does not care where its lines
 * break, so a long line is broken at a space outside quotes and continued four spaces further in; a `--` comment
 * is rewrapped as comment lines. Only whitespace changes: the statement PostgreSQL runs is the same.
 */
import { pyTripleQuoted } from './pySyntax';

export const PY_LINE_LENGTH = 88;

/** `NAME = """<sql>"""` with the SQL wrapped so that no line of the assignment passes PY_LINE_LENGTH. */
export function pySqlConstant(name: string, sql: string): string {
  return `${name} = ${pySqlLiteral(sql, name.length + 3)}`;
}

/** The triple-quoted literal of `sql`, wrapped; `used` columns of its first line come before the literal. */
export function pySqlLiteral(sql: string, used: number): string {
  return pyTripleQuoted(wrapSql(sql, PY_LINE_LENGTH, used + 3));
}

/** Lines of `sql` broken to fit `width`; the first line has `firstUsed` columns fewer (what precedes it). */
export function wrapSql(sql: string, width: number, firstUsed = 0): string {
  // The closing quotes follow the last line.
  const lines = sql.split('\n');
  return lines.map((line, i) => wrapLine(line, width - (i === 0 ? firstUsed : 0) - (i === lines.length - 1 ? 3 : 0), width).join('\n')).join('\n');
}

function wrapLine(line: string, firstRoom: number, room: number): string[] {
  if (line.length <= firstRoom) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const comment = /^\s*--\s?(.*)$/.exec(line);
  if (comment) return fill(comment[1]?.split(/\s+/) ?? [], `${indent}-- `, `${indent}-- `, firstRoom, room);
  return fill(sqlWords(line.slice(indent.length)), indent, `${indent}    `, firstRoom, room);
}

/** Greedy fill: a word that does not fit starts a new line (a word longer than a line stays whole). */
function fill(words: string[], firstLead: string, lead: string, firstRoom: number, room: number): string[] {
  const out: string[] = [];
  let current = firstLead;
  let started = false;
  for (const word of words) {
    const limit = out.length === 0 ? firstRoom : room;
    if (started && current.length + 1 + word.length > limit) {
      out.push(current);
      current = lead + word;
    } else {
      current += started ? ` ${word}` : word;
    }
    started = true;
  }
  out.push(current);
  return out;
}

/** Words split at spaces outside '…' and "…"; a trailing `-- comment` stays one word (a break would end it). */
function sqlWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote) {
      word += ch;
      if (ch === quote) quote = null;
    } else if (ch === '-' && text[i + 1] === '-') {
      word += text.slice(i);
      break;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word += ch;
    } else if (ch === ' ') {
      if (word) words.push(word);
      word = '';
    } else {
      word += ch;
    }
  }
  if (word) words.push(word);
  return words;
}
