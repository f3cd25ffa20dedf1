/**
 * The report over time, for the report view and `skene report --html` (the text report and the lens do not
 * need it): per day and step the emails sent and re-engaged and the held-out users, the first email's lift
 * with its 95 % interval as the cohorts accumulate, the runs' skips by reason and the ledger's exits. Every
 * count uses the same `rows` and conversion rules as the report's own query, so the days add up to its totals.
 */
import { liftStats } from '../../../sdk/runtime/liftStats';
import { reportRowsCte, type ReportSource } from '../../../sdk/runtime/reportQuery';
import type { DayCounts, LedgerOutcome, LiftPoint, LoopHistory } from './reportTypes';
import { groupSkips } from './skipReasons';

interface Queryable {
  query<R>(sql: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/** Parameters: $1 loop id, $2 the report's now, $3 conversion window (s). Held-out rows are step 0 rows. */
export function dailySql(source: ReportSource): string {
  const windowEnd = `r.at + $3 * interval '1 second'`;
  const held = `r.status = 'held_out' AND r.at <= $2::timestamptz AND (r.converted IS NULL OR r.converted > r.at)`;
  return [
    ...reportRowsCte(source),
    ')',
    `SELECT to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, r.step,`,
    "  count(*) FILTER (WHERE r.status = 'sent')::int AS sent,",
    `  count(*) FILTER (WHERE r.status = 'sent' AND r.converted > r.at AND r.converted <= ${windowEnd})::int AS sent_converted,`,
    `  count(*) FILTER (WHERE ${held})::int AS held,`,
    `  count(*) FILTER (WHERE ${held} AND r.converted <= ${windowEnd})::int AS held_converted`,
    'FROM rows AS r',
    'GROUP BY 1, 2',
    'ORDER BY 1, 2',
  ].join('\n');
}

export const RUN_SKIPS_SQL = `SELECT s.key, sum(s.value::numeric)::int AS count
FROM skene_run AS r, jsonb_each_text(r.skipped) AS s(key, value)
WHERE r.loop_id = $1
GROUP BY s.key
ORDER BY s.key`;

export const LEDGER_OUTCOMES_SQL = `SELECT step, status, COALESCE(reason, last_error, '') AS reason, count(*)::int AS count
FROM skene_send_ledger
WHERE loop_id = $1 AND status IN ('exited', 'deferred', 'failed')
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`;

/** Step 1's lift as its daily cohorts accumulate: the last point is the report's step 1. */
export function cumulativeLift(days: DayCounts[]): LiftPoint[] {
  const total = { sent: 0, sentConverted: 0, held: 0, heldConverted: 0 };
  const points: LiftPoint[] = [];
  for (const day of days) {
    if (day.step !== 0) continue;
    total.sent += day.sent;
    total.sentConverted += day.sentConverted;
    total.held += day.held;
    total.heldConverted += day.heldConverted;
    points.push({ day: day.day, ...total, ...liftStats(total) });
  }
  return points;
}

export async function readLoopHistory(client: Queryable, loopId: string, source: ReportSource, windowSeconds: number, now: Date): Promise<LoopHistory> {
  const daily = await client.query<{ day: string; step: number; sent: number; sent_converted: number; held: number; held_converted: number }>(dailySql(source), [loopId, now, windowSeconds]);
  const days = daily.rows.map((r) => ({ day: r.day, step: r.step, sent: r.sent, sentConverted: r.sent_converted, held: r.held, heldConverted: r.held_converted }));
  const skips = await client.query<{ key: string; count: number }>(RUN_SKIPS_SQL, [loopId]);
  const outcomes = await client.query<LedgerOutcome>(LEDGER_OUTCOMES_SQL, [loopId]);
  return { days, lift: cumulativeLift(days), skips: groupSkips(skips.rows), outcomes: outcomes.rows };
}
