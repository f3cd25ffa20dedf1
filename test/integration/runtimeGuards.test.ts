// Guarantees 2, 4, 6, 7, 9 and 12 against real PostgreSQL and the fake Resend, in both runtimes where the
// behaviour is the runtime's own: tick claims, overlap, lease expiry, guarded conditions, dry run,
// classification end to end, throttling, dormancy cycles and sequences.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeResend, type FakeResend, type FakeResendOptions } from '../helpers/fakeResend';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dumpDatabase, withPostgres } from '../helpers/postgres';
import type { LoopManifest } from '../../sdk/runtime/manifest';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { runLoopOnce } from '../../sdk/runtime/runLoopOnce';
import type { RunOptions } from '../../sdk/runtime/runTypes';
import { queryRows, runPythonLoop, seedUsers, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

type Runtime = 'ts' | 'python';
const TICK = new Date('2024-03-10T09:00:00.000Z');

/** One run in either runtime; the summary with the fields both runtimes share (camelCase). */
async function runOnce(runtime: Runtime, url: string, fake: FakeResend, manifest: LoopManifest, extra: Partial<RunOptions> = {}): Promise<Record<string, unknown>> {
  if (runtime === 'ts') {
    const provider = resendProvider({ apiKey: TEST_API_KEY, baseUrl: fake.url, timeoutMs: 2000 });
    const s = await runLoopOnce(manifest, { databaseUrl: url, provider, secret: TEST_SECRET, scheduledAt: TICK, ...extra });
    return { status: s.status, reason: s.reason, candidates: s.candidates, claimed: s.claimed, sent: s.sent, skipped: s.skipped, failed: s.failed, deferred: s.deferred, resumed: s.resumed };
  }
  const job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET, scheduledAt: (extra.scheduledAt ?? TICK).toISOString(), now: extra.now?.toISOString(), dryRun: extra.dryRun ?? false, timeoutS: 2 };
  const { summary, stderr, code } = await runPythonLoop(job);
  assert.equal(code, 0, stderr);
  const s = summary ?? {};
  return { status: s.status, reason: s.reason, candidates: s.candidates, claimed: s.claimed, sent: s.sent, skipped: s.skipped, failed: s.failed, deferred: s.deferred, resumed: s.resumed };
}

const load = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '..', 'vectors', `${name}.json`), 'utf8'));

const counts = (over: Record<string, unknown>) => ({ status: 'succeeded', reason: null, candidates: 0, claimed: 0, sent: 0, skipped: {}, failed: 0, deferred: 0, resumed: 0, ...over });

describe('runtime guards', () => {
  const pg = withPostgres();
  let dbCount = 0;
  async function setup(users: number, dormant: number, fakeOptions: FakeResendOptions = {}): Promise<{ url: string; fake: FakeResend }> {
    const url = await pg.cluster.createDatabase(`guards_${++dbCount}`);
    await seedUsers(url, users, dormant);
    return { url, fake: await startFakeResend(fakeOptions) };
  }

  for (const runtime of ['ts', 'python'] as const) {
    test(`${runtime}: the same tick twice → the second run is skipped; dry run first reports the same candidates and writes nothing`, async () => {
      const { url, fake } = await setup(60, 40);
      try {
        const manifest = testManifest();
        const dry = await runOnce(runtime, url, fake, manifest, { dryRun: true });
        const written = await queryRows(url, 'SELECT (SELECT count(*) FROM skene_run)::int AS runs, (SELECT count(*) FROM skene_send_ledger)::int AS rows, (SELECT count(*) FROM skene_tick)::int AS ticks');
        const requestsAfterDry = fake.requests.length;
        const first = await runOnce(runtime, url, fake, manifest);
        const second = await runOnce(runtime, url, fake, manifest);
        assert.deepEqual({ dry, written, requestsAfterDry, first, second, delivered: fake.uniqueEmails().length }, {
          dry: counts({ status: 'dry_run', candidates: 40, claimed: 40 }),
          written: [{ runs: 0, rows: 0, ticks: 0 }],
          requestsAfterDry: 0,
          first: counts({ candidates: 40, claimed: 40, sent: 40 }),
          second: counts({ status: 'skipped', reason: 'tick 2024-03-10T09:00:00.000Z already claimed' }),
          delivered: 40,
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: a condition slower than its timeout fails the run with a clear reason and sends nothing`, async () => {
      const { url, fake } = await setup(10, 10);
      try {
        const manifest = testManifest({ audience: { query: 'SELECT id, email, last_activity_at FROM app_user WHERE (SELECT count(*) FROM generate_series(1, 200000000)) > 0', timeoutMs: 100 } });
        const summary = await runOnce(runtime, url, fake, manifest);
        const runs = await queryRows(url, 'SELECT status, reason FROM skene_run');
        const reason = "audience query exceeded its timeout of 100 ms (statement_timeout); add an index or raise the condition's timeout";
        assert.deepEqual({ summary, runs, requests: fake.requests.length }, { summary: counts({ status: 'failed', reason }), runs: [{ status: 'failed', reason }], requests: 0 });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: a poisoned address among 1,000 users → 999 sent, 1 skipped as invalid_email`, async () => {
      const { url, fake } = await setup(1000, 1000);
      try {
        await queryRows(url, "UPDATE app_user SET email = 'user500@example.com' || chr(13) || chr(10) || 'Bcc: everyone@example.org' WHERE id = 500");
        const summary = await runOnce(runtime, url, fake, testManifest());
        const ledger = await queryRows(url, 'SELECT status, count(*)::int AS n FROM skene_send_ledger GROUP BY status ORDER BY status');
        assert.deepEqual({ summary, ledger, delivered: fake.uniqueEmails().length, poisoned: fake.uniqueEmails().some((e) => e.to[0]?.includes('user500')) }, {
          summary: counts({ candidates: 1000, claimed: 999, sent: 999, skipped: { invalid_email: 1 } }),
          ledger: [{ status: 'sent', n: 999 }],
          delivered: 999,
          poisoned: false,
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: provider down, then up: the rows stay pending and a re-run in the same tick emails everyone exactly once, same keys and bytes`, async () => {
      const { url, fake } = await setup(30, 30);
      try {
        const manifest = testManifest({ batchSize: 10 });
        fake.script(...Array.from({ length: manifest.recovery.retries + 1 }, () => ({ status: 503 })));
        const down = await runOnce(runtime, url, fake, manifest);
        const left = await queryRows(url, "SELECT status, attempts, count(*)::int AS n FROM skene_send_ledger GROUP BY 1, 2 ORDER BY 1, 2");
        const bodies = await queryRows<{ batch_key: string; body: string }>(url, "SELECT batch_key, string_agg(body, ',' ORDER BY id) AS body FROM skene_send_ledger GROUP BY batch_key ORDER BY batch_key");
        const up = await runOnce(runtime, url, fake, manifest);
        const delivered = fake.requests.filter((r) => r.status === 200);
        const sameBytes = bodies.every((b) => delivered.some((r) => r.idempotencyKey === b.batch_key && r.body === `[${b.body}]`));
        const ledger = await queryRows(url, 'SELECT status, count(*)::int AS n FROM skene_send_ledger GROUP BY 1');
        assert.deepEqual({ down, left, up, sameBytes, delivered: fake.uniqueEmails().length, recipients: new Set(fake.uniqueEmails().map((e) => e.to[0])).size, ledger }, {
          down: counts({ status: 'stopped', reason: 'provider unavailable: server_error: 503 (after 3 retries in this run); 10 email(s) left pending for the next run', candidates: 30, claimed: 30, deferred: 30 }),
          left: [{ status: 'pending', attempts: 0, n: 20 }, { status: 'pending', attempts: 4, n: 10 }],
          up: counts({ candidates: 30, sent: 30, resumed: 30, skipped: { already_sent: 30 } }),
          sameBytes: true,
          delivered: 30,
          recipients: 30,
          ledger: [{ status: 'sent', n: 30 }],
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: 401 stops the run and leaves rows pending; the next run resumes them with the same key and bytes`, async () => {
      const { url, fake } = await setup(30, 30);
      try {
        const manifest = testManifest({ batchSize: 10 });
        fake.script({ status: 500, name: 'application_error' }, { status: 401, name: 'missing_api_key' });
        const stopped = await runOnce(runtime, url, fake, manifest);
        const pendingBodies = await queryRows<{ batch_key: string; body: string }>(url, "SELECT batch_key, string_agg(body, ',' ORDER BY id) AS body FROM skene_send_ledger WHERE status = 'pending' GROUP BY batch_key ORDER BY batch_key");
        const resumed = await runOnce(runtime, url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 86_400_000) });
        const retried = fake.requests.filter((r) => r.status === 200 && r.idempotencyKey === pendingBodies[0]?.batch_key).map((r) => r.body);
        assert.deepEqual({ stopped, resumed, sameBytes: retried[0] === `[${pendingBodies[0]?.body}]`, delivered: fake.uniqueEmails().length }, {
          stopped: counts({ status: 'stopped', reason: 'auth: 401 missing_api_key', candidates: 30, claimed: 30, deferred: 30 }),
          resumed: counts({ candidates: 30, sent: 30, resumed: 30, skipped: { already_sent: 30 } }),
          sameBytes: true,
          delivered: 30,
        });
      } finally {
        await fake.stop();
      }
    });
  }

  test('every hostile condition of the shared vectors, handed to both runtimes in a tampered manifest: refused, nothing sent, the database byte-for-byte unchanged', async () => {
    const { url, fake } = await setup(5, 5);
    try {
      // Targets a successful attack would change: another table, a sequence, a project function that deletes.
      await queryRows(url, 'CREATE TABLE app_event (id bigserial PRIMARY KEY, user_id bigint, at timestamptz DEFAULT now()); INSERT INTO app_event (user_id) SELECT g FROM generate_series(1, 5) g');
      await queryRows(url, 'CREATE SEQUENCE app_user_id_seq; CREATE SEQUENCE s');
      await queryRows(url, 'CREATE FUNCTION purge_users() RETURNS int LANGUAGE sql AS $$ DELETE FROM app_event RETURNING 1 $$');
      const before = await dumpDatabase(url);
      const hostile = (load('condition').cases as Array<{ query: string; code: string | null }>).filter((c) => c.code !== null);
      const benignSeal = testManifest().audience.sha256;
      const outcomes: string[] = [];
      for (const c of hostile) {
        // loops.json edited by hand: the hostile text under the seal of the condition init wrote.
        const tampered = testManifest({ audience: { query: c.query, timeoutMs: 2000, sha256: benignSeal } });
        for (const runtime of ['ts', 'python'] as const) {
          const summary = await runOnce(runtime, url, fake, tampered);
          if (summary.status !== 'failed' || !/^condition refused \(seal\): the condition does not match its sha256 seal/.test(String(summary.reason))) outcomes.push(`${runtime} ran ${JSON.stringify(c.query)}: ${JSON.stringify(summary)}`);
        }
        // The seal recomputed to match: the TypeScript runtime's own gate still refuses it, with the same code.
        const resealed = await runOnce('ts', url, fake, testManifest({ audience: { query: c.query, timeoutMs: 2000 } }));
        if (resealed.status !== 'failed' || !String(resealed.reason).startsWith(`condition refused (${c.code})`)) outcomes.push(`ts gate on ${JSON.stringify(c.query)}: ${JSON.stringify(resealed)}`);
      }
      const after = await dumpDatabase(url);
      assert.deepEqual({ hostile: hostile.length >= 40, outcomes, unchanged: after === before, requests: fake.requests.length }, { hostile: true, outcomes: [], unchanged: true, requests: 0 });
    } finally {
      await fake.stop();
    }
  });

  for (const runtime of ['ts', 'python'] as const) {
    test(`${runtime}: without Skene's tables the run fails with a reason that names the fix`, async () => {
      const url = await pg.cluster.createDatabase(`guards_${++dbCount}`);
      const fake = await startFakeResend();
      try {
        await queryRows(url, 'CREATE TABLE app_user (id bigint PRIMARY KEY, email text, first_name text, last_activity_at timestamptz)');
        const summary = await runOnce(runtime, url, fake, testManifest());
        assert.deepEqual({ status: summary.status, reason: String(summary.reason).replace(/: relation.*$/s, '') }, { status: 'failed', reason: "Skene's ledger tables are missing (apply Skene's migration, or sdk/runtime/ledger.sql)" });
      } finally {
        await fake.stop();
      }
    });
  }

  test('retries 5xx and network timeouts with backoff, never retries a 422; an outage that outlasts the retries leaves the rest pending', async () => {
    const { url, fake } = await setup(50, 50);
    try {
      const manifest = testManifest({ batchSize: 10, recovery: { retries: 2, backoff: 'exponential', baseMs: 5, capMs: 20 } });
      fake.script({ status: 503 }, { hang: true }, { pass: true }, { status: 422, name: 'validation_error' }, { status: 500 }, { status: 500 }, { status: 500 });
      const summary = await runOnce('ts', url, fake, manifest);
      const ledger = await queryRows(url, 'SELECT status, attempts, last_error, count(*)::int AS n FROM skene_send_ledger GROUP BY 1, 2, 3 ORDER BY 1, 2, 3');
      assert.deepEqual({ summary, ledger }, {
        summary: counts({ status: 'stopped', reason: 'provider unavailable: server_error: 500 (after 2 retries in this run); 10 email(s) left pending for the next run', candidates: 50, claimed: 50, sent: 10, failed: 10, deferred: 30 }),
        ledger: [
          { status: 'failed', attempts: 1, last_error: 'rejected: 422 validation_error', n: 10 },
          { status: 'pending', attempts: 0, last_error: null, n: 20 },
          { status: 'pending', attempts: 3, last_error: 'server_error: 500 (after 2 retries in this run)', n: 10 },
          { status: 'sent', attempts: 3, last_error: null, n: 10 },
        ],
      });
    } finally {
      await fake.stop();
    }
  });

  test('a row that keeps failing is given up after 24 h (the Idempotency-Key window), not retried forever', async () => {
    const { url, fake } = await setup(10, 10);
    try {
      const manifest = testManifest({ recovery: { retries: 0, backoff: 'fixed', baseMs: 1, capMs: 1 } });
      fake.script({ status: 503 });
      const first = await runOnce('ts', url, fake, manifest);
      await queryRows(url, "UPDATE skene_send_ledger SET created_at = created_at - interval '25 hours'");
      fake.script({ status: 503 });
      const second = await runOnce('python', url, fake, manifest);
      const ledger = await queryRows(url, 'SELECT status, attempts, count(*)::int AS n FROM skene_send_ledger GROUP BY 1, 2');
      assert.deepEqual({ first: first.status, second: { status: second.status, failed: second.failed, resumed: second.resumed }, ledger }, {
        first: 'stopped', second: { status: 'succeeded', failed: 10, resumed: 10 }, ledger: [{ status: 'failed', attempts: 2, n: 10 }],
      });
    } finally {
      await fake.stop();
    }
  });

  test('an overlapping run is skipped; a run whose lease expired is taken over', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { url, fake } = await setup(20, 20, { beforeRespond: () => held });
    try {
      const manifest = testManifest();
      const slow = runOnce('ts', url, fake, manifest);
      while (!fake.requests.length) await new Promise((resolve) => setTimeout(resolve, 10));
      const overlapping = await runOnce('python', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 3_600_000) });
      release();
      const finished = await slow;
      await queryRows(url, "INSERT INTO skene_run (loop_id, runtime, status, expires_at) VALUES ('winback', 'node', 'running', now() - interval '1 second')");
      await queryRows(url, "UPDATE app_user SET last_activity_at = last_activity_at - interval '1 day'");
      const afterExpiry = await runOnce('ts', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 86_400_000) });
      const runs = await queryRows(url, 'SELECT status FROM skene_run ORDER BY id');
      assert.deepEqual({ overlapping, finished, afterExpiry, runs }, {
        overlapping: counts({ status: 'skipped', reason: 'overlap: another run of this loop holds the lease' }),
        finished: counts({ candidates: 20, claimed: 20, sent: 20 }),
        afterExpiry: counts({ candidates: 20, claimed: 20, sent: 20 }),
        runs: [{ status: 'succeeded' }, { status: 'skipped' }, { status: 'expired' }, { status: 'succeeded' }],
      });
    } finally {
      release();
      await fake.stop();
    }
  });

  test('dormancy cycles: a user who returns and goes dormant again is eligible again, within the frequency cap; suppressed addresses are skipped', async () => {
    const { url, fake } = await setup(3, 3);
    try {
      await queryRows(url, "INSERT INTO skene_suppression (email, reason) VALUES ('user3@example.com', 'unsubscribed')");
      const manifest = testManifest({ frequencyCap: { max: 1, perSeconds: 3600 } });
      const first = await runOnce('ts', url, fake, manifest);
      await queryRows(url, "UPDATE app_user SET last_activity_at = timestamptz '2024-02-01 00:00:00+00' WHERE id IN (1, 2)");
      const capped = await runOnce('ts', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 86_400_000) });
      const later = await runOnce('python', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 2 * 86_400_000), now: new Date(Date.now() + 7_200_000) });
      assert.deepEqual({ first, capped, later, to: fake.uniqueEmails().map((e) => e.to[0]) }, {
        first: counts({ candidates: 3, claimed: 2, sent: 2, skipped: { suppressed: 1 } }),
        capped: counts({ candidates: 3, skipped: { suppressed: 1, frequency_cap: 2 } }),
        later: counts({ candidates: 3, claimed: 2, sent: 2, skipped: { suppressed: 1 } }),
        to: ['user1@example.com', 'user2@example.com', 'user1@example.com', 'user2@example.com'],
      });
    } finally {
      await fake.stop();
    }
  });

  test('a sequence sends step 1 after its delay only to users who have not come back', async () => {
    const { url, fake } = await setup(4, 4);
    try {
      const base = testManifest();
      const step0 = base.steps[0] as LoopManifest['steps'][number];
      const manifest = testManifest({ steps: [step0, { ...step0, index: 1, delaySeconds: 3 * 86_400, subject: 'Still there, {{name}}?' }] });
      const first = await runOnce('ts', url, fake, manifest);
      const tooEarly = await runOnce('python', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 86_400_000) });
      await queryRows(url, 'UPDATE app_user SET last_activity_at = now() WHERE id = 4');
      const due = await runOnce('ts', url, fake, manifest, { scheduledAt: new Date(TICK.getTime() + 3 * 86_400_000), now: new Date(Date.now() + 4 * 86_400_000) });
      assert.deepEqual({ first, tooEarly, due, subjects: fake.uniqueEmails().map((e) => `${e.to[0]}: ${e.subject}`).slice(4) }, {
        first: counts({ candidates: 4, claimed: 4, sent: 4 }),
        tooEarly: counts({ candidates: 4, skipped: { already_sent: 4 } }),
        due: counts({ candidates: 7, claimed: 3, sent: 3, skipped: { already_sent: 3, 'exited:returned': 1 } }),
        subjects: ['user1@example.com: Still there, User 1?', 'user2@example.com: Still there, User 2?', 'user3@example.com: Still there, User 3?'],
      });
    } finally {
      await fake.stop();
    }
  });

  test('50 sends against a fake enforcing 2 req/s → 0 × 429 at ≥ 95 % of the limit', async () => {
    const url = await pg.cluster.createDatabase(`guards_${++dbCount}`);
    await seedUsers(url, 50, 50);
    const fake = await startFakeResend({ rateLimitPerSecond: 2 });
    try {
      const summary = await runOnce('ts', url, fake, testManifest({ batchSize: 1, rateLimitPerSecond: 2 }));
      const times = fake.requests.map((r) => r.at);
      const rate = (times.length - 1) / (((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000);
      assert.deepEqual({ summary, limited: fake.requests.filter((r) => r.status === 429).length, atLeast95: rate / 2 >= 0.95 }, {
        summary: counts({ candidates: 50, claimed: 50, sent: 50 }), limited: 0, atLeast95: true,
      });
    } finally {
      await fake.stop();
    }
  });
});
