// The ledger of `skene report`'s tests: a three-step loop with known conversions (step 1: 100 sent, 40 back;
// 50 held out, 10 back; step 2: 61 sent, 6 back, one still in its window), its config and loops.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ledgerSql } from '../../sdk/runtime/ledgerSchema';
import { queryRows } from '../unit/runtime/fixtures/runtimeFixture';

export const NOW = new Date('2024-07-01T00:00:00.000Z');
export const T = new Date('2024-06-01T00:00:00.000Z');
export const at = (days: number) => new Date(T.getTime() + days * 86_400_000);

export const CONFIG = `import { defineLoop } from '@skene/sdk';
export default defineLoop({
  id: 'winback',
  type: 'retention',
  opinion: 'Bring dormant users back',
  steps: [
    {
      trigger: { type: 'schedule', cron: '0 9 * * *', timezone: 'UTC' },
      condition: { type: 'query', query: 'SELECT id, email, last_activity_at FROM report_user' },
      action: { type: 'email', template: 'winback' },
    },
    { delay: '3d', action: { type: 'email', template: 'nudge' } },
    { delay: '7d', action: { type: 'email', template: 'last_call' } },
  ],
  tracking: { holdout: 0.1, conversionWindow: '14d' },
});
`;

export const LOOPS_JSON = { _generated: '', manifestVersion: 1, source: 'skene.config.ts', project: { userTable: 'report_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates' }, loops: [] };

export interface Row {
  step: number;
  status: 'sent' | 'held_out';
  at: Date;
  /** The user's current last activity. */
  activity: Date;
  convertedAt?: Date;
}

/** Users 1..n, one ledger row each. */
export function fixtureRows(): Row[] {
  const rows: Row[] = [];
  const add = (count: number, row: Row) => { for (let i = 0; i < count; i++) rows.push(row); };
  // Step 1 (day 0): 100 sent. 20 re-engaged seen by a run (converted_at; they came back again later), 20 seen only
  // live (activity on day 2), 10 came back after the 14-day window, 50 never.
  add(20, { step: 0, status: 'sent', at: at(0), activity: at(25), convertedAt: at(2) });
  add(20, { step: 0, status: 'sent', at: at(0), activity: at(2) });
  add(10, { step: 0, status: 'sent', at: at(0), activity: at(20) });
  add(50, { step: 0, status: 'sent', at: at(0), activity: at(-30) });
  // Holdout: 5 back on day 1, 5 back on day 5, 40 never.
  add(5, { step: 0, status: 'held_out', at: at(0), activity: at(1) });
  add(5, { step: 0, status: 'held_out', at: at(0), activity: at(5) });
  add(40, { step: 0, status: 'held_out', at: at(0), activity: at(-30) });
  // Step 2 (day 3): 60 sent, 6 back the next day.
  add(6, { step: 1, status: 'sent', at: at(3), activity: at(4) });
  add(54, { step: 1, status: 'sent', at: at(3), activity: at(-30) });
  // One email still inside its window (sent 2 days before the report), not back yet.
  add(1, { step: 1, status: 'sent', at: new Date(NOW.getTime() - 2 * 86_400_000), activity: at(-30) });
  return rows;
}

export async function seed(url: string): Promise<void> {
  await queryRows(url, 'CREATE TABLE report_user (id bigint PRIMARY KEY, email text, last_activity_at timestamptz)');
  await queryRows(url, ledgerSql());
  const rows = fixtureRows();
  await queryRows(url, `INSERT INTO report_user SELECT g, 'u' || g || '@example.com', a FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(a, g)`, [rows.map((r) => r.activity)]);
  await queryRows(
    url,
    `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, status, created_at, sent_at, converted_at)
     SELECT 'winback', s, g::text, '1', 'u' || g || '@example.com', 'k' || g, '', repeat('0', 64), st, a, CASE WHEN st = 'sent' THEN a END, c
     FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(s, st, a, c, g)`,
    [rows.map((r) => r.step), rows.map((r) => r.status), rows.map((r) => r.at), rows.map((r) => r.convertedAt ?? null)],
  );
}

/** Writes the config and loops.json into a project folder. */
export function writeReportProject(dir: string): void {
  writeFileSync(path.join(dir, 'skene.config.ts'), CONFIG);
  mkdirSync(path.join(dir, 'skene_retention'), { recursive: true });
  writeFileSync(path.join(dir, 'skene_retention', 'loops.json'), JSON.stringify(LOOPS_JSON));
}

/** Extra ledger rows at `loop`: `rows` appended after the users already there (ids continue). */
export async function addRows(url: string, loopId: string, rows: Row[]): Promise<void> {
  const max = (await queryRows<{ max: number }>(url, 'SELECT coalesce(max(id), 0)::int AS max FROM report_user'))[0]!.max;
  await queryRows(url, `INSERT INTO report_user SELECT $2::int + g, 'u' || ($2::int + g) || '@example.com', a FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(a, g)`, [rows.map((r) => r.activity), max]);
  await queryRows(
    url,
    `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, status, created_at, sent_at, converted_at)
     SELECT $6, s, ($5::int + g)::text, '1', 'u' || ($5::int + g) || '@example.com', $6 || 'k' || ($5::int + g), '', repeat('0', 64), st, a, CASE WHEN st = 'sent' THEN a END, c
     FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS t(s, st, a, c, g)`,
    [rows.map((r) => r.step), rows.map((r) => r.status), rows.map((r) => r.at), rows.map((r) => r.convertedAt ?? null), max, loopId],
  );
}
