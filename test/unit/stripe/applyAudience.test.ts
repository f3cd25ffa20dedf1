import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ManifestLoop } from '../../../sdk/manifest';
import { toPlannedLoop, type UserTableFacts } from '../../../sdk/runtimeManifest';
import { applyAudience, type StripeAudienceSql } from '../../../sdk/stripeAudience';

const SQL: StripeAudienceSql = { paying: 'SELECT 1', churn_risk: 'SELECT 2', free: 'SELECT 3' };

describe('applyAudience', () => {
  test("'all' leaves the query as written", () => {
    assert.equal(applyAudience('SELECT id, email FROM accounts_user;', 'all', 'id', undefined), 'SELECT id, email FROM accounts_user;');
  });

  test('a Stripe audience wraps the query (trailing semicolon dropped, a final line comment closed by the newline)', () => {
    assert.equal(
      applyAudience('SELECT id, email FROM accounts_user -- dormant\n;', 'churn_risk', 'user_pk', SQL),
      'SELECT * FROM (\nSELECT id, email FROM accounts_user -- dormant\n) AS skene_audience_base\nWHERE skene_audience_base."user_pk" IN (\nSELECT 2\n)',
    );
  });

  test('without compiled SQL it refuses rather than email everyone', () => {
    assert.throws(() => applyAudience('SELECT id, email FROM accounts_user', 'paying', 'id', undefined), {
      message: "audience 'paying' needs the Stripe subscription SQL that `skene init` compiles from the project; run `npx skene-django check` and `npx skene-django init`.",
    });
  });

  test('toPlannedLoop narrows the audience query with the facts', () => {
    const loop = {
      id: 'winback', type: 'retention', opinion: null, audience: 'free', schedule: { cron: '0 9 * * *', timezone: 'UTC' }, query: 'SELECT id, email FROM accounts_user', timeoutMs: 1000,
      steps: [{ id: 'step-1', index: 0, delayMs: 0, channel: 'email', provider: 'log', template: 'hello', subject: null, from: null, replyTo: null, personalization: {} }],
      exit: { onActivity: true, query: null }, recovery: { retries: 1, backoff: 'fixed', baseDelayMs: 10, maxDelayMs: 20 },
      tracking: { conversionWindowMs: 1, holdout: 0 }, frequencyCap: { max: 1, perMs: 1000 }, quietHours: null,
    } as ManifestLoop;
    const facts: UserTableFacts = { userTable: 'accounts_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates', stripeAudiences: SQL };
    assert.deepEqual(toPlannedLoop(loop, facts).audience, { query: 'SELECT * FROM (\nSELECT id, email FROM accounts_user\n) AS skene_audience_base\nWHERE skene_audience_base."id" IN (\nSELECT 3\n)', timeoutMs: 1000 });
  });
});
