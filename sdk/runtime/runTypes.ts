/** Shapes shared by the engine's parts: options in, summary out, and the per-run context. */
import type { ClientBase } from 'pg';
import type { LeaseHeartbeat } from './leaseHeartbeat';
import type { LoopManifest } from './manifest';
import type { EmailProvider } from './providers/provider';
import type { Clock, RateLimiter } from './rateLimiter';

export type RunStatus = 'succeeded' | 'stopped' | 'failed' | 'skipped' | 'dry_run';

export interface RunSummary {
  loopId: string;
  runId: number | null;
  runtime: 'node';
  status: RunStatus;
  reason: string | null;
  scheduledAt: string;
  /** Audience rows read (step 0) plus sequence candidates (later steps). */
  candidates: number;
  /** Ledger rows this run inserted (dry run: rows it would insert). */
  claimed: number;
  /** Pending rows of dead runs this run took over. */
  resumed: number;
  sent: number;
  skipped: Record<string, number>;
  /** Rows this run leaves pending for a later run (stop, lease budget). */
  deferred: number;
  failed: number;
  /** Provider requests made (retries included). */
  requests: number;
  durationMs: number;
}

export interface RunOptions {
  /** PostgreSQL URL (defaults to DATABASE_URL) or a factory for a connected client the engine may end. */
  databaseUrl?: string;
  connect?: () => Promise<ClientBase & { end?: () => Promise<void> }>;
  provider: EmailProvider;
  /** Signs unsubscribe links (SKENE_SECRET; the Celery side uses Django's SECRET_KEY). */
  secret?: string;
  now?: Date;
  /** Overrides the tick computed from the cron (e.g. `skene run --once` uses now). */
  scheduledAt?: Date;
  dryRun?: boolean;
  random?: () => number;
  log?: (line: string) => void;
  clock?: Clock;
  /**
   * false = skip the tick claim and the lease (the run is recorded as non-exclusive). Only for proving that
   * the ledger alone prevents duplicates, and for deliberately sharded runners.
   */
  exclusive?: boolean;
  /** Create the ledger tables first (tests, demo); deployments apply them by migration. */
  ensureSchema?: boolean;
  /**
   * A second connection for the lease heartbeat (leaseHeartbeat.ts). Default: a new client on `databaseUrl`.
   * With `connect` and no `leaseConnect` (the embedded demo has one session) the lease is renewed between
   * pages only; `heartbeat: false` does the same in any case.
   */
  leaseConnect?: () => Promise<ClientBase & { end?: () => Promise<void> }>;
  heartbeat?: boolean;
}

export interface RunContext {
  client: ClientBase;
  manifest: LoopManifest;
  provider: EmailProvider;
  secret: string;
  nowMs: number;
  dryRun: boolean;
  random: () => number;
  log: (line: string) => void;
  clock: Clock;
  limiter: RateLimiter;
  runId: number | null;
  /** Keeps the lease alive between the run's own renewals; null for dry runs and runs without one. */
  heartbeat: LeaseHeartbeat | null;
  summary: RunSummary;
  /** clock.now() when the run started: the run's clock is nowMs + elapsed (see runNow). */
  startedAt: number;
}

/**
 * The run's clock: the `now` it was given plus the time elapsed since. Ledger times (claims, sends)
 * use it rather than the database's now(), so a frozen-clock run writes the times it reasons about.
 */
export function runNow(context: Pick<RunContext, 'nowMs' | 'clock' | 'startedAt'>): Date {
  return new Date(context.nowMs + Math.max(0, Math.round(context.clock.now() - context.startedAt)));
}

/** Thrown to end a run early; the run row records status and reason. */
export class RunHalt extends Error {
  constructor(readonly status: 'stopped' | 'failed', readonly reason: string) {
    super(reason);
  }
}

export function countSkip(summary: RunSummary, reason: string, count = 1): void {
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + count;
}
