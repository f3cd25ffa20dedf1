// The compiled Stripe audience in both runtimes: the Celery task (Python) and the TypeScript runner each run
// the same loop, narrowed to paying users, on their own copy of a Stripe layout, against the fake Resend.
// Both email exactly the paying users, because both run the one SELECT that loops.json carries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { ledgerSql } from '../../sdk/runtime/ledgerSchema';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { runLoopOnce } from '../../sdk/runtime/runLoopOnce';
import { applyAudience, type StripeAudienceName } from '../../sdk/stripeAudience';
import { compileStripeAudiences } from '../../server/core/stripe/compileStripeAudiences';
import { EXPECTED, LAYOUTS, projectFor, type StripeLayout } from '../fixtures/stripe/stripeLayouts';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { withPostgres } from '../helpers/postgres';
import { runPythonLoop, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

const TICK = new Date('2024-03-10T09:00:00.000Z');

function manifestFor(layout: StripeLayout, audience: StripeAudienceName) {
  const compiled = compileStripeAudiences(projectFor(layout.stripe));
  assert.ok(compiled.ok);
  const query = applyAudience(`SELECT id, email, last_activity_at FROM accounts_user WHERE last_activity_at < now() - interval '7 days'`, audience, 'id', compiled.sql);
  return testManifest({ id: `stripe-${audience}`, audience: { query, timeoutMs: 10_000 }, userTable: 'accounts_user' });
}

async function load(url: string, layout: StripeLayout): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(layout.sql);
    // Everyone dormant since January, so the Stripe audience alone decides who gets the email.
    await client.query(`ALTER TABLE accounts_user ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT '2024-01-01T00:00:00Z'`);
    await client.query(ledgerSql());
  } finally {
    await client.end();
  }
}

const recipients = (fake: FakeResend) => fake.uniqueEmails().flatMap((email) => email.to).sort();
const emailsOf = (ids: number[]) => ids.map((id) => `user${id}@example.com`).sort();

describe('both runtimes email the same Stripe audience', () => {
  const pgCluster = withPostgres();
  let n = 0;

  for (const layout of [LAYOUTS[0]!, LAYOUTS[6]!]) {
    for (const audience of ['paying', 'churn_risk'] as const) {
      test(`${layout.name}: ${audience}`, async () => {
        const manifest = manifestFor(layout, audience);
        const tsUrl = await pgCluster.cluster.createDatabase(`stripe_rt_${++n}`);
        const pyUrl = await pgCluster.cluster.createDatabase(`stripe_rt_${++n}`);
        await load(tsUrl, layout);
        await load(pyUrl, layout);
        const tsFake = await startFakeResend();
        const pyFake = await startFakeResend();
        try {
          const provider = resendProvider({ apiKey: TEST_API_KEY, baseUrl: tsFake.url, timeoutMs: 2000 });
          const ts = await runLoopOnce(manifest, { databaseUrl: tsUrl, provider, secret: TEST_SECRET, scheduledAt: TICK });
          const py = await runPythonLoop({ manifest, databaseUrl: pyUrl, baseUrl: pyFake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET, scheduledAt: TICK.toISOString(), timeoutS: 2 });
          assert.equal(py.code, 0, py.stderr);
          assert.deepEqual({ ts: [ts.status, ts.candidates], python: [py.summary?.status, py.summary?.candidates] }, { ts: ['succeeded', EXPECTED[audience].length], python: ['succeeded', EXPECTED[audience].length] });
          assert.deepEqual({ ts: recipients(tsFake), python: recipients(pyFake) }, { ts: emailsOf(EXPECTED[audience]), python: emailsOf(EXPECTED[audience]) });
        } finally {
          await tsFake.stop();
          await pyFake.stop();
        }
      });
    }
  }
});
