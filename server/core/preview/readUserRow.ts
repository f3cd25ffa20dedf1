/**
 * One real user's row, as the runtime reads users for sequence steps (`to_jsonb` of the user table row, the same
 * SQL), in a read-only transaction with a short statement timeout. The row stays in this process.
 */
import pg from 'pg';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import { arrayLiteral, usersByIdSql } from '../../../sdk/runtime/pageQueries';

const TIMEOUT_MS = 5_000;

export class UserNotFound extends Error {}

export async function readUserRow(databaseUrl: string, loop: LoopManifest, userId: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: databaseUrl, statement_timeout: TIMEOUT_MS, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    const result = await client.query<{ skene_row: Record<string, unknown> }>(usersByIdSql(loop), [arrayLiteral([userId])]);
    await client.query('COMMIT');
    const row = result.rows[0]?.skene_row;
    if (!row) throw new UserNotFound(`no user with ${loop.userIdColumn} = ${userId} in ${loop.userTable}`);
    return row;
  } finally {
    await client.end().catch(() => undefined);
  }
}
