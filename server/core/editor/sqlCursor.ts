/**
 * A light SQL reader for cursors: tokens (strings and comments skipped), the tables named after FROM /
 * JOIN with their aliases, and what the cursor is on. It works on half-typed queries, where PostgreSQL's
 * parser (used for diagnostics) would only report a syntax error.
 */

export interface SqlToken {
  kind: 'word' | 'quoted' | 'other';
  /** Lower-cased for words, unquoted for quoted identifiers. */
  text: string;
  start: number;
  end: number;
}

export interface FromTable {
  table: string;
  alias: string | null;
  /** Query indices of the table name (its last part when schema-qualified). */
  start: number;
  end: number;
}

const NOT_ALIASES = new Set([
  'where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'on', 'using', 'group', 'order',
  'limit', 'offset', 'having', 'union', 'intersect', 'except', 'window', 'fetch', 'for', 'lateral', 'as', 'and', 'or',
]);

export function tokenizeSql(query: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < query.length) {
    const rest = query.slice(i, i + 2);
    const ch = query[i] ?? '';
    if (/\s/.test(ch)) i++;
    else if (rest === '--') i = endOf(query, '\n', i + 2);
    else if (rest === '/*') i = endOf(query, '*/', i + 2);
    else if (ch === "'") i = endOfQuoted(query, "'", i);
    else if (ch === '"') {
      const end = endOfQuoted(query, '"', i);
      tokens.push({ kind: 'quoted', text: query.slice(i + 1, end - 1).replace(/""/g, '"'), start: i, end });
      i = end;
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(query.slice(i, i + 200))?.[0];
      const end = i + (word?.length || 1);
      tokens.push({ kind: word ? 'word' : 'other', text: word ? word.toLowerCase() : ch, start: i, end });
      i = end;
    }
  }
  return tokens;
}

function endOf(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  return at < 0 ? text.length : at + marker.length;
}

function endOfQuoted(text: string, quote: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote && text[i + 1] === quote) i += 2;
    else if (text[i] === quote) return i + 1;
    else i++;
  }
  return text.length;
}

const isName = (t: SqlToken | undefined): t is SqlToken => t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_ALIASES.has(t.text)));

/** `FROM a x JOIN b AS y, c` -> [{a, x}, {b, y}, {c, null}]; `schema.table` keeps the table part. */
export function fromTables(tokens: SqlToken[]): FromTable[] {
  const tables: FromTable[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const startsList = token?.kind === 'word' && (token.text === 'from' || token.text === 'join');
    if (!startsList) continue;
    let j = i + 1;
    for (;;) {
      const name = tokens[j];
      if (!isName(name)) break;
      let tableToken = name;
      for (let next = tokens[j + 2]; tokens[j + 1]?.text === '.' && isName(next); next = tokens[j + 2]) {
        j += 2;
        tableToken = next;
      }
      j++;
      if (tokens[j]?.text === 'as') j++;
      const aliasToken = tokens[j];
      const alias = isName(aliasToken) ? aliasToken.text : null;
      if (alias) j++;
      tables.push({ table: tableToken.text, alias, start: tableToken.start, end: tableToken.end });
      if (tokens[j]?.text !== ',') break;
      j++;
    }
  }
  return tables;
}

export type SqlCursor =
  | { kind: 'table'; partial: string; start: number; end: number }
  | { kind: 'column'; qualifier: string | null; partial: string; start: number; end: number };

/** What a name typed at `index` would be: a table (after FROM/JOIN) or a column (optionally `alias.`). */
export function sqlCursorAt(tokens: SqlToken[], index: number): SqlCursor {
  const current = tokens.find((t) => t.kind !== 'other' && t.start < index && index <= t.end);
  const start = current?.start ?? index;
  const end = current?.end ?? index;
  const partial = current ? current.text.slice(0, index - current.start) : '';
  const before = tokens.filter((t) => t.end <= start);
  const previous = before[before.length - 1];
  if (previous?.text === '.') {
    const qualifier = before[before.length - 2];
    return { kind: 'column', qualifier: qualifier ? qualifier.text : null, partial, start, end };
  }
  if (previous?.kind === 'word' && (previous.text === 'from' || previous.text === 'join')) return { kind: 'table', partial, start, end };
  if (previous?.text === ',' && inFromList(before)) return { kind: 'table', partial, start, end };
  return { kind: 'column', qualifier: null, partial, start, end };
}

/** Whether the last clause keyword before the cursor is FROM (a comma then continues the table list). */
function inFromList(before: SqlToken[]): boolean {
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i] as SqlToken;
    if (t.kind !== 'word') continue;
    if (t.text === 'from') return true;
    if (['select', 'where', 'on', 'group', 'order', 'having', 'limit'].includes(t.text)) return false;
  }
  return false;
}

/** The word or quoted name at `index`, with the qualifier before its dot, for hovers. */
export function sqlNameAt(tokens: SqlToken[], index: number): { name: string; qualifier: string | null; start: number; end: number } | null {
  const at = tokens.findIndex((t) => t.kind !== 'other' && t.start <= index && index <= t.end);
  const token = tokens[at];
  if (!token) return null;
  const dot = tokens[at - 1];
  const qualifier = dot?.text === '.' ? (tokens[at - 2]?.text ?? null) : null;
  return { name: token.text, qualifier, start: token.start, end: token.end };
}
