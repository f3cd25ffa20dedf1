// The short, heartbeated lease (docs/runtime.md, "Runs, ticks and leases"), in both runtimes, against real
// PostgreSQL and the fake Resend:
// - kill -9 a runner mid-batch with the default lease, re-run at once: the re-run is skipped (the dead run's
//   lease still holds, nothing is sent twice); once the lease lapses (≤ 30 s, not 15 min) a re-run sends what
//   the dead run had claimed exactly once and everyone else once: the fake's deliveries and the ledger agree;
// - a run that lasts several leases keeps its lease (the heartbeat renews it while the run waits on the
//   provider): a second runner started meanwhile is skipped.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, test } from 'node:test';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { withPostgres } from '../helpers/postgres';
import { MANIFEST_DEFAULTS, type LoopManifest } from '../../sdk/runtime/manifest';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { runLoopOnce } from '../../sdk/runtime/runLoopOnce';
import { childResult, queryRows, seedUsers, spawnRunner, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

type Runtime = 'ts' | 'python';
const USERS = 600;
const BATCH = 50;
const PAGE = 200;
/** Killed while the provider holds request #5: page 2 claimed (200 rows), request 4 marked sent, #5 delivered but not marked. */
const KILL_AT = 5;

type Job = {
  manifest: LoopManifest;
  databaseUrl: string;
  baseUrl: string;
  apiKey: string;
  secret: string;
};

/** One run to its end: in this process for TypeScript, a child for Python (the fake answers from this process). */
async function runToEnd(runtime: Runtime, job: Job): Promise<Record<string, unknown>> {
  if (runtime === 'ts') {
    const provider = resendProvider({ apiKey: TEST_API_KEY, baseUrl: job.baseUrl, timeoutMs: 10_000 });
    return { ...(await runLoopOnce(job.manifest, { databaseUrl: job.databaseUrl, provider, secret: TEST_SECRET })) };
  }
  const result = await childResult(spawnRunner('python', job));
  assert.equal(result.code, 0, result.stderr);
  return result.summary ?? {};
}

const ledger = (url: string) => queryRows<{ status: string; n: number }>(url, 'SELECT status, count(*)::int AS n FROM skene_send_ledger GROUP BY status ORDER BY status');

async function leaseLapsed(url: string): Promise<void> {
  for (;;) {
    const live = await queryRows(url, "SELECT 1 FROM skene_run WHERE status = 'running' AND expires_at > now()");
    if (!live.length) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Requests whose key was seen before must be replays (same key, same bytes), never a second delivery or a 409. */
function resentAsReplays(fake: FakeResend): boolean {
  const seen = new Set<string>();
  return fake.requests.every((request) => {
    const key = request.idempotencyKey ?? '';
    const again = seen.has(key);
    seen.add(key);
    return again ? request.replayed && request.status === 200 : request.status === 200;
  });
}

describe('the heartbeated lease', { concurrency: true }, () => {
  const pg = withPostgres();

  for (const runtime of ['ts', 'python'] as const) {
    test(`${runtime}: kill -9 mid-batch with the default ${MANIFEST_DEFAULTS.leaseMs / 1000} s lease, re-run at once and after the lapse → 0 duplicates, 0 lost`, async (t) => {
      const url = await pg.cluster.createDatabase(`lease_kill_${runtime}`);
      await seedUsers(url, USERS, USERS);
      let child: ChildProcess | null = null;
      let killedAt = 0;
      const fake = await startFakeResend({
        beforeRespond: ({ index }) => {
          if (index !== KILL_AT) return;
          killedAt = Date.now();
          child?.kill('SIGKILL');
        },
      });
      try {
        const manifest = testManifest({ pageSize: PAGE, batchSize: BATCH, leaseMs: MANIFEST_DEFAULTS.leaseMs });
        const job: Job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET };
        child = spawnRunner(runtime, job);
        const killed = await childResult(child);
        const afterKill = await ledger(url);
        const requestsAfterKill = fake.requests.length;

        const immediate = await runToEnd(runtime, job);
        const immediateAfterMs = Date.now() - killedAt;
        const requestsAfterImmediate = fake.requests.length;

        await leaseLapsed(url);
        const lapsedAfterMs = Date.now() - killedAt;
        const afterLapse = await runToEnd(runtime, job);

        const recipients = fake.uniqueEmails().map((email) => email.to[0]);
        const runs = await queryRows<{ status: string; runtime: string }>(url, 'SELECT status, runtime FROM skene_run ORDER BY id');
        t.diagnostic(`${runtime}: immediate re-run ${immediateAfterMs} ms after the kill; lease lapsed ${lapsedAfterMs} ms after the kill; ${fake.requests.length} requests, ${recipients.length} deliveries`);
        assert.deepEqual({
          killed: killed.signal,
          afterKill,
          requestsAfterKill,
          immediate: { status: immediate.status, reason: immediate.reason, sent: immediate.sent },
          immediateSentNothing: requestsAfterImmediate === requestsAfterKill,
          // Well under 15 minutes: at most one lease after the kill (the last beat was at most a third of it before).
          lapsedWithinOneLease: lapsedAfterMs <= MANIFEST_DEFAULTS.leaseMs + 2_000,
          afterLapse: { status: afterLapse.status, resumed: afterLapse.resumed, sent: afterLapse.sent },
          deliveries: recipients.length,
          uniqueRecipients: new Set(recipients).size,
          resentAsReplays: resentAsReplays(fake),
          ledger: await ledger(url),
          runs: runs.map((run) => run.status),
        }, {
          killed: 'SIGKILL',
          afterKill: [{ status: 'pending', n: 150 }, { status: 'sent', n: 250 }],
          requestsAfterKill: KILL_AT + 1,
          immediate: { status: 'skipped', reason: 'overlap: another run of this loop holds the lease', sent: 0 },
          immediateSentNothing: true,
          lapsedWithinOneLease: true,
          // The 150 rows the dead run claimed (one batch already delivered: a replay), then the last 200 users.
          afterLapse: { status: 'succeeded', resumed: 150, sent: 350 },
          deliveries: USERS,
          uniqueRecipients: USERS,
          resentAsReplays: true,
          ledger: [{ status: 'sent', n: USERS }],
          runs: ['expired', 'skipped', 'succeeded'],
        });
      } finally {
        child?.kill('SIGKILL');
        await fake.stop();
      }
    });

    test(`${runtime}: a run lasting several leases keeps its lease while it waits on the provider; a second runner is skipped`, async () => {
      const url = await pg.cluster.createDatabase(`lease_long_${runtime}`);
      await seedUsers(url, 60, 60);
      // Each request takes 300 ms: 12 requests in one page last ~3.6 s, four leases of 800 ms, renewed by the heartbeat only.
      const fake = await startFakeResend({ beforeRespond: () => new Promise((resolve) => setTimeout(resolve, 300)) });
      try {
        const manifest = testManifest({ pageSize: 1000, batchSize: 5, leaseMs: 800 });
        const job: Job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET };
        const long = runToEnd(runtime, job);
        while (fake.requests.length < 4) await new Promise((resolve) => setTimeout(resolve, 20));
        const second = await runToEnd(runtime === 'ts' ? 'python' : 'ts', job);
        const first = await long;
        assert.deepEqual({
          first: { status: first.status, sent: first.sent },
          second: { status: second.status, reason: second.reason },
          deliveries: fake.uniqueEmails().length,
          requests: fake.requests.length,
        }, {
          first: { status: 'succeeded', sent: 60 },
          second: { status: 'skipped', reason: 'overlap: another run of this loop holds the lease' },
          deliveries: 60,
          requests: 12,
        });
      } finally {
        await fake.stop();
      }
    });
  }
});
