/**
 * Claiming a run: expire dead leases, take the loop's lease (one live exclusive run per loop), then claim
 * the tick. Everything in one short transaction; no session advisory locks, so it works behind PgBouncer
 * in transaction pooling mode.
 */
import type { ClientBase } from 'pg';
import { LEASE_LOST } from './leaseHeartbeat';
import { CLAIM_TICK, EXPIRE_STALE_RUNS, FINISH_RUN, INSERT_RUN, INSERT_SKIPPED_RUN, RENEW_LEASE } from './statements';
import { RunHalt, type RunContext, type RunSummary } from './runTypes';

export type StartResult = { runId: number } | { skipped: string; runId: number };

async function recordSkip(client: ClientBase, loopId: string, tick: Date, exclusive: boolean, reason: string): Promise<StartResult> {
  const skipped = await client.query<{ id: string }>(INSERT_SKIPPED_RUN, [loopId, tick, 'node', exclusive, reason]);
  return { skipped: reason, runId: Number(skipped.rows[0]?.id) };
}

export async function startRun(client: ClientBase, loopId: string, tick: Date, leaseMs: number, exclusive: boolean): Promise<StartResult> {
  await client.query('BEGIN');
  try {
    if (exclusive) await client.query(EXPIRE_STALE_RUNS, [loopId]);
    const run = await client.query<{ id: string }>(INSERT_RUN, [loopId, tick, 'node', exclusive, leaseMs]);
    const runId = run.rows[0]?.id;
    if (runId === undefined) {
      await client.query('ROLLBACK');
      return recordSkip(client, loopId, tick, exclusive, 'overlap: another run of this loop holds the lease');
    }
    if (exclusive) {
      const tickRow = await client.query(CLAIM_TICK, [loopId, tick, runId]);
      if (tickRow.rowCount === 0) {
        await client.query('ROLLBACK');
        return recordSkip(client, loopId, tick, exclusive, `tick ${tick.toISOString()} already claimed`);
      }
    }
    await client.query('COMMIT');
    return { runId: Number(runId) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Stops the run when the heartbeat found its lease gone: another run may already own its pending rows, so
 * it must not send them. Checked before every provider request (no query: the heartbeat's finding).
 */
export function assertLease(context: RunContext): void {
  const lost = context.heartbeat?.lost();
  if (lost) throw new RunHalt('stopped', lost);
}

/** Extends the lease between pages (the heartbeat also does, in between); a run that lost it must stop. */
export async function renewLease(context: RunContext): Promise<void> {
  if (context.dryRun || context.runId === null) return;
  assertLease(context);
  const renewed = await context.client.query(RENEW_LEASE, [context.runId, context.manifest.leaseMs]);
  if (renewed.rowCount === 0) throw new RunHalt('stopped', LEASE_LOST);
}

export async function finishRun(client: ClientBase, runId: number, summary: RunSummary): Promise<void> {
  const s = summary;
  await client.query(FINISH_RUN, [runId, s.status, s.reason, s.candidates, s.claimed, s.resumed, s.sent, JSON.stringify(s.skipped), s.deferred, s.failed, s.durationMs]);
}
