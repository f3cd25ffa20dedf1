/**
 * One run of a loop: refuse a bad condition before touching the database, claim the lease and the tick,
 * resume what a dead run left pending, then page the audience → claim → send, step by step, and write the
 * summary row. A dry run reads the same pages and makes the same decisions, but writes and sends nothing.
 */
import pg, { type ClientBase } from 'pg';
import { checkCondition } from './conditionGuard';
import { verifySeal } from './conditionSeal';
import { ledgerSql } from './ledgerSchema';
import { manifestProblems, type LoopManifest } from './manifest';
import { sweepConversions } from './conversions';
import { processDeferred } from './processDeferred';
import { processFirstStep, processLaterStep } from './processSteps';
import { RateLimiter, realClock } from './rateLimiter';
import { resumePending } from './resumePending';
import { startLeaseHeartbeat, heartbeatIntervalMs, type LeaseHeartbeat } from './leaseHeartbeat';
import { finishRun, startRun } from './runLease';
import { RunHalt, type RunContext, type RunOptions, type RunSummary } from './runTypes';
import { scheduledTick } from './scheduledTick';
import { COUNT_DEFERRED } from './statements';

const MISSING_TABLES = "Skene's ledger tables are missing (apply Skene's migration, or sdk/runtime/ledger.sql)";

function emptySummary(manifest: LoopManifest, scheduledAt: Date): RunSummary {
  return { loopId: manifest.id, runId: null, runtime: 'node', status: 'succeeded', reason: null, scheduledAt: scheduledAt.toISOString(), candidates: 0, claimed: 0, resumed: 0, sent: 0, skipped: {}, deferred: 0, failed: 0, requests: 0, durationMs: 0 };
}

type EndableClient = ClientBase & { end?: () => Promise<void> };

function databaseUrl(options: RunOptions): string {
  const connectionString = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!connectionString) throw new Error('no database: pass databaseUrl or set DATABASE_URL');
  return connectionString;
}

async function openClient(options: RunOptions): Promise<EndableClient> {
  if (options.connect) return options.connect();
  const client = new pg.Client({ connectionString: databaseUrl(options) });
  await client.connect();
  return client;
}

/** The heartbeat's own connection (see leaseHeartbeat.ts), or null when the run has none. */
function leaseConnector(options: RunOptions, leaseMs: number): (() => Promise<EndableClient>) | null {
  if (options.heartbeat === false) return null;
  if (options.leaseConnect) return options.leaseConnect;
  if (options.connect) return null;
  const connectionString = databaseUrl(options);
  // A beat that hangs must not outlive the next one: bounded connect and query times.
  const bound = heartbeatIntervalMs(leaseMs);
  return async () => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: bound, query_timeout: bound });
    await client.connect();
    return client;
  };
}

function startHeartbeat(context: RunContext, options: RunOptions): LeaseHeartbeat | null {
  const open = leaseConnector(options, context.manifest.leaseMs);
  if (!open || context.runId === null) return null;
  return startLeaseHeartbeat(open, context.runId, context.manifest.leaseMs, context.log);
}

/** Problems that end the run before it touches the database (status failed, nothing written). */
async function preflight(manifest: LoopManifest, options: RunOptions): Promise<string | null> {
  const problems = manifestProblems(manifest);
  if (problems.length) return `invalid manifest: ${problems.join('; ')}`;
  const unsealed = verifySeal(manifest.audience.query, manifest.audience.sha256);
  if (unsealed) return `condition refused (seal): ${unsealed}`;
  const verdict = await checkCondition(manifest.audience.query);
  if (!verdict.accepted) return `condition refused (${verdict.code}): ${verdict.message}`;
  if (!options.dryRun && !(options.secret ?? process.env.SKENE_SECRET)) return 'SKENE_SECRET is not set: it signs the unsubscribe link every email carries';
  return null;
}

async function work(context: RunContext): Promise<void> {
  await sweepConversions(context);
  await resumePending(context);
  await processDeferred(context);
  await processFirstStep(context);
  for (let step = 1; step < context.manifest.steps.length; step++) await processLaterStep(context, step);
}

async function countDeferred(context: RunContext): Promise<number> {
  if (context.runId === null) return 0;
  const result = await context.client.query<{ n: number }>(COUNT_DEFERRED, [context.runId]);
  return result.rows[0]?.n ?? 0;
}

export async function runLoopOnce(manifest: LoopManifest, options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const scheduledAt = options.scheduledAt ?? scheduledTick(manifest.cron, manifest.timezone, now);
  const summary = emptySummary(manifest, scheduledAt);
  const refusal = await preflight(manifest, options);
  if (refusal) return { ...summary, status: 'failed', reason: refusal };
  const client = await openClient(options);
  const context: RunContext = {
    client, manifest, provider: options.provider, secret: options.secret ?? process.env.SKENE_SECRET ?? '', nowMs: now.getTime(), dryRun: options.dryRun ?? false,
    random: options.random ?? Math.random, log: options.log ?? (() => undefined), clock: options.clock ?? realClock,
    limiter: new RateLimiter(manifest.rateLimitPerSecond, options.clock ?? realClock), runId: null, heartbeat: null, summary,
    startedAt: (options.clock ?? realClock).now(),
  };
  try {
    if (options.ensureSchema) await client.query(ledgerSql());
    if (context.dryRun) summary.status = 'dry_run';
    else {
      const start = await startRun(client, manifest.id, scheduledAt, manifest.leaseMs, options.exclusive ?? true);
      summary.runId = start.runId;
      if ('skipped' in start) return { ...summary, status: 'skipped', reason: start.skipped, durationMs: Math.round(performance.now() - started) };
      context.runId = start.runId;
      context.heartbeat = startHeartbeat(context, options);
    }
    await runSafely(context);
    await context.heartbeat?.stop();
    summary.deferred = await countDeferred(context);
    summary.durationMs = Math.round(performance.now() - started);
    if (context.runId !== null) await finishRun(client, context.runId, summary);
    context.log(`[skene] ${manifest.id}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''} · candidates ${summary.candidates} · claimed ${summary.claimed} · sent ${summary.sent} · failed ${summary.failed} · deferred ${summary.deferred}`);
    return summary;
  } catch (error) {
    // Our own statements are the only ones outside RunHalt handling: a missing table means no migration.
    if ((error as { code?: string }).code === '42P01') return { ...summary, status: 'failed', reason: `${MISSING_TABLES}: ${(error as Error).message}` };
    throw error;
  } finally {
    await context.heartbeat?.stop();
    await client.end?.();
  }
}

/**
 * Runs the work; a RunHalt (or an unexpected error) becomes the summary's status and reason, so the run
 * row is finished and the caller gets a summary rather than an exception.
 */
async function runSafely(context: RunContext): Promise<void> {
  try {
    await work(context);
  } catch (error) {
    const halt = error instanceof RunHalt ? error : new RunHalt('failed', `internal error: ${(error as Error).message}`);
    context.summary.status = halt.status;
    context.summary.reason = halt.reason;
  }
}
