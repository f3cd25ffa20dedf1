/**
 * `skene run --dry-run` lists who the run would consider. The engine's dry run reports counts only, so the
 * listing watches the rows its page queries return: every audience page (and every current-user read for
 * later steps) selects `skene_user_id` and `skene_email` (the column names test/vectors/sql.json pins for
 * both runtimes). The engine still does all the reading, read-only and guarded; this only looks.
 */
import pg, { type ClientBase, type QueryResult } from 'pg';

export type EngineClient = ClientBase & { end?: () => Promise<void> };

export interface Candidate {
  userId: string;
  email: string | null;
}

interface PageRow {
  skene_user_id?: unknown;
  skene_email?: unknown;
}

/** A connected pg client whose query results are shown to `onCandidate`, once per user id. */
export async function connectListingCandidates(databaseUrl: string, onCandidate: (candidate: Candidate) => void): Promise<EngineClient> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const seen = new Set<string>();
  const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<QueryResult>;
  const observed = async (text: string, values?: unknown[]): Promise<QueryResult> => {
    const result = await query(text, values);
    for (const row of (result.rows ?? []) as PageRow[]) {
      if (typeof row.skene_user_id !== 'string' || seen.has(row.skene_user_id)) continue;
      seen.add(row.skene_user_id);
      onCandidate({ userId: row.skene_user_id, email: typeof row.skene_email === 'string' ? row.skene_email : null });
    }
    return result;
  };
  (client as unknown as { query: typeof observed }).query = observed;
  return client;
}
