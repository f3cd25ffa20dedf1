/**
 * The normalised loop "manifest": plain JSON that both runtimes execute. The integrator maps the
 * zod-parsed config (sdk/schema.ts) to it; the Celery task receives the same object as a dict.
 * Every duration is already in milliseconds/seconds here, so neither runtime parses durations.
 */

import type { GlobalCap } from './frequencyCap';
import type { QuietHours } from './quietHours';

export type LoopKind = 'retention' | 'milestone';
export type ProviderName = 'resend' | 'smtp' | 'log';
export type BackoffKind = 'exponential' | 'fixed';

export interface ManifestStep {
  /** 0 for the first email; later steps form a sequence. */
  index: number;
  /** Seconds after the step-0 send of the same cycle (ignored for step 0). */
  delaySeconds: number;
  provider: ProviderName;
  /** Template name, for logs only; the contents are in subject/html/text. */
  template: string;
  subject: string;
  html: string;
  text: string;
  from: string;
  replyTo?: string;
  /** Placeholder name -> value; values may contain {{user.<column>}}. */
  personalization: Record<string, string>;
}

export interface ManifestAudience {
  /** One read-only SELECT, deparsed by `skene init` (conditionSeal.ts); its rows expose the user id, email
   *  and (retention) last activity. */
  query: string;
  /** sha256 of `query`: both runtimes refuse a condition that does not match it. */
  sha256: string;
  /** statement_timeout for each page of the query. */
  timeoutMs: number;
}

export interface ManifestRecovery {
  retries: number;
  backoff: BackoffKind;
  baseMs: number;
  capMs: number;
}

/**
 * Where last activity lives when the user table cannot take a column (Django's auth.User): one row per user
 * (`user_id` + the activity column), joined to the user table in each query. A view of the user table would do
 * the same, but every column it selects would then refuse `ALTER COLUMN TYPE` (Django's own auth migrations).
 */
export interface ActivityJoin {
  table: string;
  /** The user table's sign-up column, standing in for users with no activity row (null: none). */
  sinceColumn: string | null;
}

export interface LoopManifest {
  id: string;
  type: LoopKind;
  timezone: string;
  cron: string;
  audience: ManifestAudience;
  steps: ManifestStep[];
  recovery: ManifestRecovery;
  /** Provider requests per second (Resend default: 2); lowered at run time from ratelimit-* headers. */
  rateLimitPerSecond: number;
  /** Run lease: a run whose heartbeat stops renewing it for this long is considered dead (default 30 s). */
  leaseMs: number;
  /** Column names in the audience rows and in userTable. */
  userTable: string;
  userIdColumn: string;
  emailColumn: string;
  /** The last-activity column: its value is the dormancy cycle (retention loops). */
  activityColumn: string;
  /** Last activity kept in its own table, joined to userTable (absent: activityColumn is a userTable column). */
  activityJoin?: ActivityJoin | null;
  /** At most `max` new episodes (step-0 emails) per user within `perSeconds`. */
  frequencyCap: { max: number; perSeconds: number };
  /** Base URL of the one-click unsubscribe endpoint (token added as query string). */
  unsubscribeUrl: string;
  /** Emails per provider request (Resend batch: at most 100) and rows per audience page. */
  batchSize: number;
  pageSize: number;
  /** Share of new episodes held out (ledger row `held_out`, no email); 0 or absent = none. */
  holdout?: number;
  /** How long after a send (or holdout) activity counts as re-engaged (`skene report`, conversion sweep). */
  conversionWindowSeconds?: number;
  /** Across all loops, per user: at most perDay emails in 24 h and perWeek in 7 days (0 = no limit). */
  globalCap?: GlobalCap;
  /** Local hours with no sends, in the user's zone (timezoneColumn) else `timezone`; deferred, not dropped. */
  quietHours?: QuietHours | null;
  /** Column of the user's IANA time zone in the audience/user rows, when the model has one. */
  timezoneColumn?: string | null;
  /** Boolean column that marks active accounts (is_active); false = never emailed. */
  isActiveColumn?: string | null;
  /** Milestone loops: the milestone key (cycle `milestone:<key>`, or the row's `milestone` column). */
  milestone?: string | null;
}

export const MANIFEST_DEFAULTS = {
  rateLimitPerSecond: 2,
  batchSize: 100,
  pageSize: 1000,
  /** Short because a heartbeat renews it every leaseMs / 3: a killed run's rows are taken over within 30 s. */
  leaseMs: 30_000,
} as const;

export const MAX_BATCH_SIZE = 100;

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A short list of what is wrong with a manifest (empty when usable); both runtimes check the same things. */
export function manifestProblems(manifest: LoopManifest): string[] {
  const problems: string[] = [];
  const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
  for (const key of ['userIdColumn', 'emailColumn', 'activityColumn'] as const) {
    if (!identifier.test(manifest[key])) problems.push(`${key} must be a plain column name, got ${JSON.stringify(manifest[key])}`);
  }
  for (const key of ['timezoneColumn', 'isActiveColumn'] as const) {
    const value = manifest[key];
    if (value !== undefined && value !== null && !identifier.test(value)) problems.push(`${key} must be a plain column name, got ${JSON.stringify(value)}`);
  }
  const share = manifest.holdout ?? 0;
  if (!(share >= 0 && share <= 0.5)) problems.push('holdout must be between 0 and 0.5');
  const quiet = manifest.quietHours;
  if (quiet && !(CLOCK.test(quiet.start) && CLOCK.test(quiet.end))) problems.push('quietHours start and end must be "HH:MM"');
  const tableName = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
  if (!tableName.test(manifest.userTable)) problems.push(`userTable must be a table name, got ${JSON.stringify(manifest.userTable)}`);
  const join = manifest.activityJoin;
  if (join && !tableName.test(join.table)) problems.push(`activityJoin.table must be a table name, got ${JSON.stringify(join.table)}`);
  if (join?.sinceColumn && !identifier.test(join.sinceColumn)) problems.push(`activityJoin.sinceColumn must be a plain column name, got ${JSON.stringify(join.sinceColumn)}`);
  if (!manifest.steps.length) problems.push('a loop needs at least one step');
  manifest.steps.forEach((step, position) => {
    if (step.index !== position) problems.push(`steps[${position}].index must be ${position}`);
  });
  if (manifest.batchSize < 1 || manifest.batchSize > MAX_BATCH_SIZE) problems.push(`batchSize must be 1..${MAX_BATCH_SIZE}`);
  if (manifest.pageSize < 1) problems.push('pageSize must be at least 1');
  if (!(manifest.rateLimitPerSecond > 0)) problems.push('rateLimitPerSecond must be positive');
  return problems;
}
