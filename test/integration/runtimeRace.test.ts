// Guarantee 1: two runners started together on 1,000 dormant users make exactly one provider delivery per
// user — TS+TS, Python+TS and Python+Python, each with the lease on (one run skips) and off (the ledger
// alone decides who sends what).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { withPostgres } from '../helpers/postgres';
import { childResult, queryRows, seedUsers, spawnRunner, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

const USERS = 1000;
type Runtime = 'ts' | 'python';

interface RaceOutcome {
  statuses: string[];
  /** Per user: sent by one runner, skipped (already_sent / already_claimed) by the other. */
  sentByRunners: number;
  skippedByRunners: number;
  delivered: number;
  recipients: number;
  duplicateKeys: number;
  ledger: Array<{ status: string; n: number }>;
}

async function race(url: string, fake: FakeResend, runtimes: [Runtime, Runtime], exclusive: boolean): Promise<RaceOutcome> {
  const manifest = testManifest({ pageSize: 100, batchSize: 25 });
  // Both start at the same instant (Node + tsx boots slower than Python), so their claims really interleave.
  const startAt = Date.now() + 1500;
  const job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET, exclusive, startAt };
  const children = runtimes.map((runtime) => spawnRunner(runtime, job));
  const results = await Promise.all(children.map(childResult));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const emails = fake.uniqueEmails();
  const keys = fake.requests.filter((r) => r.status === 200 && !r.replayed).map((r) => r.idempotencyKey);
  return {
    statuses: results.map((r) => String(r.summary?.status)).sort(),
    sentByRunners: results.reduce((sum, r) => sum + Number(r.summary?.sent ?? 0), 0),
    skippedByRunners: results.reduce((sum, r) => sum + Object.values((r.summary?.skipped ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0), 0),
    delivered: emails.length,
    recipients: new Set(emails.map((e) => e.to[0])).size,
    duplicateKeys: keys.length - new Set(keys).size,
    ledger: await queryRows<{ status: string; n: number }>(url, 'SELECT status, count(*)::int AS n FROM skene_send_ledger GROUP BY status'),
  };
}

describe('two runners started together never double-send', () => {
  const pg = withPostgres();
  const pairs: Array<[Runtime, Runtime]> = [['ts', 'ts'], ['python', 'ts'], ['python', 'python']];
  let n = 0;
  for (const pair of pairs) {
    for (const exclusive of [true, false]) {
      test(`${pair.join(' + ')}, lease ${exclusive ? 'on' : 'off'}: ${USERS} users → ${USERS} deliveries, 0 duplicates`, async () => {
        const url = await pg.cluster.createDatabase(`race_${++n}`);
        await seedUsers(url, USERS + 200, USERS);
        const fake = await startFakeResend();
        try {
          const outcome = await race(url, fake, pair, exclusive);
          assert.deepEqual(outcome, {
            statuses: exclusive ? ['skipped', 'succeeded'] : ['succeeded', 'succeeded'],
            sentByRunners: USERS, skippedByRunners: exclusive ? 0 : USERS,
            delivered: USERS, recipients: USERS, duplicateKeys: 0, ledger: [{ status: 'sent', n: USERS }],
          });
        } finally {
          await fake.stop();
        }
      });
    }
  }
});
