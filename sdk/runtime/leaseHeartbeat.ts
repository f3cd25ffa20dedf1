/**
 * The run's heartbeat: renews its lease every leaseMs / 3 from a connection of its own, so a lease can be
 * short (30 s by default) and still outlive a long audience page, a slow provider request or a backoff wait.
 * A process killed with -9 stops beating, and its lease lapses within leaseMs: the next run takes over the
 * rows it claimed instead of waiting a quarter of an hour.
 *
 * Its own connection because the run's connection is busy exactly when a renewal matters (a 10-minute
 * statement, a READ ONLY transaction in which the UPDATE would fail, a transaction a ROLLBACK would undo).
 */
import type { ClientBase } from 'pg';
import { RENEW_LEASE } from './statements';

type LeaseClient = ClientBase & { end?: () => Promise<void> };

export interface LeaseHeartbeat {
  /** Why the lease is gone (expired and taken over, or the run row finished by someone else); null while held. */
  lost(): string | null;
  /** Stops beating and closes the heartbeat's connection. */
  stop(): Promise<void>;
}

export const LEASE_LOST = 'lease lost: the run stopped renewing it in time and another run may have taken over';

/** Two beats may be missed before the lease lapses. The same rule as heartbeat_interval_ms() in Python. */
export function heartbeatIntervalMs(leaseMs: number): number {
  return Math.max(10, Math.floor(leaseMs / 3));
}

export function startLeaseHeartbeat(open: () => Promise<LeaseClient>, runId: number, leaseMs: number, log: (line: string) => void): LeaseHeartbeat {
  let client: LeaseClient | null = null;
  let lost: string | null = null;
  let beating: Promise<void> | null = null;
  let warned = false;

  async function drop(): Promise<void> {
    const old = client;
    client = null;
    await old?.end?.().catch(() => undefined);
  }

  async function beat(): Promise<void> {
    try {
      client ??= await open();
      const renewed = await client.query(RENEW_LEASE, [runId, leaseMs]);
      if (renewed.rowCount === 0) {
        lost = LEASE_LOST;
        clearInterval(timer);
      }
      warned = false;
    } catch (error) {
      // A dropped connection is retried at the next beat; the run also renews between pages.
      if (!warned) log(`[skene] lease heartbeat of run ${runId} failed, retrying: ${(error as Error).message}`);
      warned = true;
      await drop();
    }
  }

  const timer = setInterval(() => {
    beating ??= beat().finally(() => (beating = null));
  }, heartbeatIntervalMs(leaseMs));
  // The heartbeat never keeps a finished process alive.
  timer.unref();

  return {
    lost: () => lost,
    async stop() {
      clearInterval(timer);
      await beating;
      await drop();
    },
  };
}
