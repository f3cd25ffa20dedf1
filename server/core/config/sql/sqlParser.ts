/**
 * PostgreSQL's own parser (libpg-query, WASM). Loading is async and happens once per process;
 * parsing after that is synchronous (~0.03 ms for the seed query), which keeps checkConfig synchronous.
 */
import { loadModule, parseSync } from 'libpg-query';
import { codePointToIndex } from './queryPositions';

let ready = false;
let loading: Promise<void> | null = null;

/** Loads the WASM parser; call once at start-up (the CLI and the language server await it). */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    ready = true;
  });
  return loading;
}

export function isSqlParserReady(): boolean {
  return ready;
}

/** The parts of libpg-query's JSON tree we read; everything else is walked generically. */
export interface RawStmt {
  stmt: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

export type SqlParse =
  | { ok: true; stmts: RawStmt[] }
  | { ok: false; message: string; /** UTF-16 index in the query, or null when unknown. */ index: number | null };

export function parseSql(query: string): SqlParse {
  if (query.trim() === '') return { ok: false, message: 'the query is empty', index: 0 };
  try {
    const result = parseSync(query) as unknown as { stmts?: RawStmt[] };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const message = details?.message ?? (error as Error).message;
    // libpg-query reports the error cursor in code points (0-based); JavaScript strings index UTF-16 units.
    const position = details?.cursorPosition;
    return { ok: false, message, index: typeof position === 'number' && position >= 0 ? codePointToIndex(query, position) : null };
  }
}
