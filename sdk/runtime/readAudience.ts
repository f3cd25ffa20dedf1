/**
 * Reads one keyset page of the audience (or of users' current rows) inside a READ ONLY transaction with
 * timeouts and a pinned search_path, rolled back afterwards, so a slow or hostile condition cannot write,
 * run forever, or leave a setting behind.
 */
import type { ClientBase } from 'pg';
import { conditionPageSql, FETCH_CONDITION_PAGE, NOT_ONE_SELECT, OPEN_CONDITION_CURSOR, SET_CONDITION_PAGE } from './conditionCursor';
import type { LoopManifest } from './manifest';
import { arrayLiteral, quoteIdent, usersByIdSql } from './pageQueries';
import { RunHalt, type RunContext } from './runTypes';

export interface AudienceRow {
  userId: string;
  email: string | null;
  cycle: string;
  row: Record<string, unknown>;
}

interface RawRow {
  skene_user_id: string | null;
  skene_email: string | null;
  skene_cycle: string;
  skene_row: Record<string, unknown>;
}

function explain(error: unknown, manifest: Pick<LoopManifest, 'id' | 'audience'>): string {
  const err = error as { code?: string; message?: string };
  if (err.code === '57014') return `audience query exceeded its timeout of ${manifest.audience.timeoutMs} ms (statement_timeout); add an index or raise the condition's timeout`;
  if (err.code === '25006') return `audience query tried to write in a read-only transaction: ${err.message}`;
  if (err.code === '42703') return `audience query: ${err.message} (its rows must include the user's id, email and last-activity columns)`;
  if (err.code === NOT_ONE_SELECT) return `the audience query of loop ${JSON.stringify(manifest.id)} is not one SELECT: PostgreSQL refused to run it (${err.message}); loops.json no longer holds the condition skene init sealed: run \`npx skene-django init\``;
  return `audience query of loop ${JSON.stringify(manifest.id)} failed: ${err.message ?? String(error)}`;
}

/**
 * The statements that open a condition's transaction (the same text in the Python runtime, vectors
 * `sql.json`): read only, bounded in time and lock waits, names resolved in pg_catalog and the user
 * table's schema only (a temporary table or a function earlier on the path cannot stand in).
 */
export function conditionTransactionSql(manifest: Pick<LoopManifest, 'audience' | 'userTable'>): string {
  const timeoutMs = Math.max(1, Math.floor(manifest.audience.timeoutMs));
  const dot = manifest.userTable.indexOf('.');
  const schema = dot > 0 ? manifest.userTable.slice(0, dot) : 'public';
  return [
    'BEGIN',
    'SET TRANSACTION READ ONLY',
    `SET LOCAL statement_timeout = ${timeoutMs}`,
    `SET LOCAL lock_timeout = ${Math.min(timeoutMs, LOCK_TIMEOUT_MS)}`,
    `SET LOCAL search_path = pg_catalog, ${quoteIdent(schema)}, pg_temp`,
    // The gate parsed the condition with standard strings; a cursor is planned for all its rows, not the first 10 %.
    'SET LOCAL standard_conforming_strings = on',
    'SET LOCAL cursor_tuple_fraction = 1',
  ].join('; ');
}

const LOCK_TIMEOUT_MS = 5000;

/**
 * Ends with ROLLBACK, never COMMIT: the page only read, and a rollback also undoes any session setting
 * made inside it (set_config(..., false), SET), so nothing a condition does outlives its page.
 */
async function readOnly(client: ClientBase, manifest: LoopManifest, read: () => Promise<RawRow[]>): Promise<RawRow[]> {
  await client.query(conditionTransactionSql(manifest));
  try {
    return await read();
  } catch (error) {
    throw new RunHalt('failed', explain(error, manifest));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** The condition's page through the cursor of conditionCursor.ts: PostgreSQL runs one statement or none. */
async function readConditionPage(client: ClientBase, manifest: LoopManifest, pageSql: string): Promise<RawRow[]> {
  return readOnly(client, manifest, async () => {
    await client.query(SET_CONDITION_PAGE, [pageSql]);
    await client.query(OPEN_CONDITION_CURSOR);
    return (await client.query<RawRow>(FETCH_CONDITION_PAGE)).rows;
  });
}

function toAudienceRows(rows: RawRow[]): AudienceRow[] {
  return rows.map((raw) => {
    if (raw.skene_user_id === null) throw new RunHalt('failed', 'audience query returned a row without a user id');
    return { userId: raw.skene_user_id, email: raw.skene_email, cycle: raw.skene_cycle, row: raw.skene_row };
  });
}

/** The page after `afterId` (null: the first page). */
export async function readAudiencePage(context: RunContext, afterId: string | null): Promise<AudienceRow[]> {
  const { manifest } = context;
  return toAudienceRows(await readConditionPage(context.client, manifest, conditionPageSql(manifest, afterId, manifest.pageSize)));
}

/**
 * The users' current rows read inside the caller's (claim) transaction, under the condition's timeout;
 * a dry run has no claim transaction and reads them read-only instead.
 */
export async function readUsersInClaim(context: RunContext, userIds: string[]): Promise<AudienceRow[]> {
  if (context.dryRun) return readUsersById(context, userIds);
  if (!userIds.length) return [];
  const { client, manifest } = context;
  const timeoutMs = manifest.audience.timeoutMs;
  await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    const result = await client.query<RawRow>(usersByIdSql(manifest), [arrayLiteral(userIds)]);
    await client.query('SET LOCAL statement_timeout TO DEFAULT');
    return toAudienceRows(result.rows);
  } catch (error) {
    throw new RunHalt('failed', explain(error, manifest));
  }
}

export async function readUsersById(context: RunContext, userIds: string[]): Promise<AudienceRow[]> {
  if (!userIds.length) return [];
  const { client, manifest } = context;
  const rows = await readOnly(client, manifest, async () => (await client.query<RawRow>(usersByIdSql(manifest), [arrayLiteral(userIds)])).rows);
  return toAudienceRows(rows);
}
