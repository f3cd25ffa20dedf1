/**
 * How an audience page runs, so that PostgreSQL itself refuses anything but one statement, whatever the
 * driver (node-postgres, psycopg2, psycopg 3, Django's cursors) and whatever loops.json holds.
 *
 * A driver that sends SQL text with the simple query protocol (psycopg2 always; psycopg 3 and node-postgres
 * when a query has no parameters; Django's psycopg 3 backend by default) runs every statement in it, so a
 * condition edited to `SELECT … ) AS q LIMIT 0; COMMIT; DELETE FROM t; SELECT … (` would close our wrapper and
 * the read-only transaction. Instead the page's text travels as a *value* (a bound parameter of set_config),
 * and a fixed DO block opens it as a cursor: PL/pgSQL's OPEN … FOR EXECUTE plans exactly one statement and
 * refuses anything else ("cannot open multi-query plan as cursor", "cannot open COMMIT query as cursor",
 * SQLSTATE 42P11) before running any of it. Both runtimes run these same statements (vectors: sql.json).
 */
import type { LoopManifest } from './manifest';
import { audiencePageSql, quoteLiteral } from './pageQueries';

export const CONDITION_CURSOR = 'skene_audience_page';

/** Hands the page's text to the server as data (transaction-local: gone at the page's ROLLBACK). */
export const SET_CONDITION_PAGE = `SELECT pg_catalog.set_config('skene.audience_page', $1, true)`;

/** Fixed text, no user input: opens the one statement in the setting as a cursor, or fails. */
export const OPEN_CONDITION_CURSOR = [
  'DO $skene$',
  `DECLARE page refcursor := '${CONDITION_CURSOR}';`,
  'BEGIN',
  "  OPEN page NO SCROLL FOR EXECUTE pg_catalog.current_setting('skene.audience_page');",
  'END',
  '$skene$',
].join('\n');

export const FETCH_CONDITION_PAGE = `FETCH ALL FROM ${CONDITION_CURSOR}`;

/** SQLSTATE invalid_cursor_definition: the text was not one statement that returns rows. */
export const NOT_ONE_SELECT = '42P11';

/**
 * The keyset page with its values written in (a cursor opened by EXECUTE takes no untyped parameters): the
 * last id as a string literal, which PostgreSQL casts to the id column's type as it did a parameter, and the
 * page size as a number. The transaction sets standard_conforming_strings on, so doubling quotes is the
 * whole of quoting (and the condition reads as the gate, which parses with it on, read it).
 */
export function conditionPageSql(manifest: LoopManifest, afterId: string | null, limit: number): string {
  const size = String(Math.max(1, Math.floor(limit)));
  if (afterId === null) return audiencePageSql(manifest, true, () => size);
  return audiencePageSql(manifest, false, (n) => (n === 1 ? quoteLiteral(afterId) : size));
}
