// A ledger with known numbers for the report lens, the report view and the e2e screenshots: step 1 sent to 100
// users 20 days ago (40 back the next day), 50 held out (10 back); a bare user table named by loops.json's facts.
import { ledgerSql } from '../../sdk/runtime/ledgerSchema';
import { queryRows } from '../unit/runtime/fixtures/runtimeFixture';

const DAY_MS = 86_400_000;

export interface LedgerFacts {
  userTable: string;
  userIdColumn: string;
  emailColumn: string;
  activityColumn: string;
}

export async function seedReportLedger(url: string, facts: LedgerFacts, loopId: string, now: number = Date.now()): Promise<void> {
  const sentAt = new Date(now - 20 * DAY_MS);
  const back = new Date(sentAt.getTime() + DAY_MS);
  const never = new Date(sentAt.getTime() - 30 * DAY_MS);
  const rows = [...Array<[string, Date]>(40).fill(['sent', back]), ...Array<[string, Date]>(60).fill(['sent', never]), ...Array<[string, Date]>(10).fill(['held_out', back]), ...Array<[string, Date]>(40).fill(['held_out', never])];
  const q = (name: string) => `"${name}"`;
  await queryRows(url, `CREATE TABLE ${q(facts.userTable)} (${q(facts.userIdColumn)} bigint PRIMARY KEY, ${q(facts.emailColumn)} text, ${q(facts.activityColumn)} timestamptz, first_name text)`);
  await queryRows(url, ledgerSql());
  await queryRows(url, `INSERT INTO ${q(facts.userTable)} SELECT g, 'u' || g || '@example.com', a, 'Real' || g FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(a, g)`, [rows.map((r) => r[1])]);
  await queryRows(
    url,
    `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, status, created_at, sent_at)
     SELECT $1, 0, g::text, '1', 'u' || g || '@example.com', 'k' || g, '', repeat('0', 64), st, $2, CASE WHEN st = 'sent' THEN $2::timestamptz END
     FROM unnest($3::text[]) WITH ORDINALITY AS t(st, g)`,
    [loopId, sentAt, rows.map((r) => r[0])],
  );
  await queryRows(url, `INSERT INTO skene_run (loop_id, runtime, status, expires_at, skipped) VALUES ($1, 'node', 'succeeded', now(), '{"no_email": 2, "suppressed": 3, "deferred:quiet_hours": 4}')`, [loopId]);
}
