/**
 * What `skene report` and the generated Django report view read: per step, emails sent and re-engaged,
 * and the holdout measured the same way. One SQL text for both runtimes (vectors: test/vectors/report.json).
 *
 * Re-engaged = activity after the send (held-out rows: after the holdout time) within the conversion
 * window. The activity is `converted_at` (the first activity a run saw after the row) or, for rows no run
 * has swept yet, the user's current last activity. For step n the holdout is compared at the time step n
 * would have gone out (holdout time + the step's delay), counting only held-out users still dormant then —
 * the same people step n reaches, since a user who came back leaves the sequence.
 */
import type { ActivityJoin } from './manifest';
import { quoteIdent, userSource } from './pageQueries';

export interface ReportSource {
  userTable: string;
  userIdColumn: string;
  activityColumn: string;
  activityJoin?: ActivityJoin | null;
}

export interface StepCounts {
  step: number;
  sent: number;
  sentConverted: number;
  /** Sent rows whose conversion window has not closed yet (their rate may still rise). */
  sentOpen: number;
  held: number;
  heldConverted: number;
}

/**
 * The `rows` CTE every report query starts from: the loop's sent and held-out rows with their time (`at`) and
 * the activity that counts as their conversion (`converted`). $1 is the loop id.
 */
export function reportRowsCte(source: ReportSource, marker: (n: number) => string = (n) => `$${n}`): string[] {
  const activity = `u.${quoteIdent(source.activityColumn)}`;
  return [
    'WITH rows AS (',
    '  SELECT l.step, l.status, COALESCE(l.sent_at, l.created_at) AS at,',
    `    COALESCE(l.converted_at, CASE WHEN ${activity} > COALESCE(l.sent_at, l.created_at) THEN ${activity} END) AS converted`,
    '  FROM skene_send_ledger AS l',
    `  LEFT JOIN ${userSource(source)} AS u ON u.${quoteIdent(source.userIdColumn)}::text = l.user_id`,
    `  WHERE l.loop_id = ${marker(1)} AND l.status IN ('sent', 'held_out')`,
  ];
}

/** Parameters: $1 loop id, $2 the report's now, $3 conversion window (s), $4 step indexes, $5 their delays (s). */
export function reportSql(source: ReportSource, marker: (n: number) => string = (n) => `$${n}`): string {
  const windowEnd = (from: string) => `${from} + ${marker(3)} * interval '1 second'`;
  const virtual = `r.at + s.delay_s * interval '1 second'`;
  const heldBase = `r.status = 'held_out' AND ${virtual} <= ${marker(2)}::timestamptz AND (r.converted IS NULL OR r.converted > ${virtual})`;
  return [
    ...reportRowsCte(source, marker),
    '), steps AS (',
    `  SELECT * FROM unnest(${marker(4)}::int[], ${marker(5)}::bigint[]) AS s(step, delay_s)`,
    ')',
    'SELECT s.step,',
    "  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step)::int AS sent,",
    `  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step AND r.converted > r.at AND r.converted <= ${windowEnd('r.at')})::int AS sent_converted,`,
    `  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step AND ${windowEnd('r.at')} > ${marker(2)}::timestamptz)::int AS sent_open,`,
    `  count(*) FILTER (WHERE ${heldBase})::int AS held,`,
    `  count(*) FILTER (WHERE ${heldBase} AND r.converted <= ${windowEnd(virtual)})::int AS held_converted`,
    'FROM steps AS s LEFT JOIN rows AS r ON true',
    'GROUP BY s.step',
    'ORDER BY s.step',
  ].join('\n');
}

interface Queryable {
  query<R>(sql: string, values: unknown[]): Promise<{ rows: R[] }>;
}

/** The counts of one loop's steps at `now`. */
export async function readStepCounts(client: Queryable, loopId: string, source: ReportSource, steps: Array<{ index: number; delaySeconds: number }>, conversionWindowSeconds: number, now: Date): Promise<StepCounts[]> {
  const result = await client.query<{ step: number; sent: number; sent_converted: number; sent_open: number; held: number; held_converted: number }>(reportSql(source), [loopId, now, conversionWindowSeconds, steps.map((s) => s.index), steps.map((s) => s.delaySeconds)]);
  return result.rows.map((r) => ({ step: r.step, sent: r.sent, sentConverted: r.sent_converted, sentOpen: r.sent_open, held: r.held, heldConverted: r.held_converted }));
}
