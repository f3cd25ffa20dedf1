// Guarantee 3: kill -9 a runner at seeded random points during a 2,000-user run, re-run (the other runtime
// every other trial) → every user emailed exactly once, counted at the fake (which de-duplicates by
// Idempotency-Key like Resend), and the ledger agrees.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { describe, test } from 'node:test';
import { startFakeResend } from '../helpers/fakeResend';
import { withPostgres } from '../helpers/postgres';
import type { LoopManifest } from '../../sdk/runtime/manifest';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { runLoopOnce } from '../../sdk/runtime/runLoopOnce';
import { childResult, queryRows, seedUsers, seededRandom, spawnRunner, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

const USERS = 2000;
const BATCH = 50;
const REQUESTS = USERS / BATCH;
const LEASE_MS = 500;
type Runtime = 'ts' | 'python';

interface Trial {
  seed: number;
  killed: Runtime;
  rerun: Runtime;
  /** Kill while the provider holds request #n (delivered, answer not yet sent), or n ms after the first request. */
  mode: 'at_request' | 'after_ms';
  n: number;
}

function plan(count: number): Trial[] {
  const random = seededRandom(20240601);
  return Array.from({ length: count }, (_unused, index) => {
    const killed: Runtime = index % 4 === 3 ? 'python' : 'ts';
    const mode = random() < 0.5 ? 'at_request' : 'after_ms';
    const n = mode === 'at_request' ? Math.floor(random() * REQUESTS) : Math.floor(random() * 120);
    return { seed: index, killed, rerun: index % 2 === 0 ? 'ts' : 'python', mode, n };
  });
}

async function leaseExpired(url: string): Promise<void> {
  for (;;) {
    const live = await queryRows(url, "SELECT 1 FROM skene_run WHERE status = 'running' AND expires_at > now()");
    if (!live.length) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The re-run: in this process for TypeScript (no tsx boot), a child for Python. */
async function rerun(runtime: Runtime, job: { manifest: LoopManifest; databaseUrl: string; baseUrl: string }): Promise<Record<string, unknown>> {
  if (runtime === 'ts') {
    const provider = resendProvider({ apiKey: TEST_API_KEY, baseUrl: job.baseUrl });
    return { ...(await runLoopOnce(job.manifest, { databaseUrl: job.databaseUrl, provider, secret: TEST_SECRET })) };
  }
  const result = await childResult(spawnRunner('python', job));
  assert.equal(result.code, 0, result.stderr);
  return result.summary ?? {};
}

async function runTrial(url: string, trial: Trial): Promise<unknown> {
  let child: ChildProcess | null = null;
  const kill = () => child?.kill('SIGKILL');
  const fake = await startFakeResend({
    beforeRespond: ({ index }) => {
      if (trial.mode === 'at_request' && index === trial.n) kill();
      if (trial.mode === 'after_ms' && index === 0) setTimeout(kill, trial.n);
    },
  });
  try {
    const manifest = testManifest({ pageSize: 200, batchSize: BATCH, leaseMs: LEASE_MS });
    const job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET };
    child = spawnRunner(trial.killed, job);
    const first = await childResult(child);
    await leaseExpired(url);
    const second = await rerun(trial.rerun, job);
    const recipients = fake.uniqueEmails().map((email) => email.to[0]);
    const ledger = await queryRows<{ status: string; n: number }>(url, 'SELECT status, count(*)::int AS n FROM skene_send_ledger GROUP BY status');
    return {
      killed: first.signal,
      rerun: second.status,
      // Killed while the provider held a request: that batch was delivered but never marked sent.
      resumedTheHeldBatch: trial.mode === 'after_ms' || Number(second.resumed) >= BATCH,
      deliveries: recipients.length,
      uniqueRecipients: new Set(recipients).size,
      ledger,
    };
  } finally {
    await fake.stop();
  }
}

describe('kill -9 at random points, then re-run: every user emailed exactly once', () => {
  const pg = withPostgres();
  const trials = plan(22);
  for (const trial of trials) {
    test(`trial ${trial.seed}: kill ${trial.killed} ${trial.mode === 'at_request' ? `at request #${trial.n}` : `${trial.n} ms after the first request`}, re-run ${trial.rerun}`, async () => {
      const url = await pg.cluster.createDatabase(`crash_${trial.seed}`);
      await seedUsers(url, USERS, USERS);
      assert.deepEqual(await runTrial(url, trial), { killed: 'SIGKILL', rerun: 'succeeded', resumedTheHeldBatch: true, deliveries: USERS, uniqueRecipients: USERS, ledger: [{ status: 'sent', n: USERS }] });
    });
  }
});
