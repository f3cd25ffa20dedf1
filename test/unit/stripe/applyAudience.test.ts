import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sha256Hex } from '../../../sdk/runtime/keys';
import { loadConditionParser } from '../../../sdk/runtime/conditionSeal';
import type { ManifestLoop } from '../../../sdk/manifest';
import { toPlannedLoop, type UserTableFacts } from '../../../sdk/runtimeManifest';
import { applyAudience, type StripeAudienceSql } from '../../../sdk/stripeAudience';

const SQL: StripeAudienceSql = { paying: 'SELECT 1', churn_risk: 'SELECT 2', free: 'SELECT 3' };

describe('applyAudience', () => {
  before(() => loadConditionParser());

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

  test('toPlannedLoop narrows the audience query with the facts, and seals the deparsed result', () => {
    const loop = {
      id: 'winback', type: 'retention', opinion: null, audience: 'free', schedule: { cron: '0 9 * * *', timezone: 'UTC' }, query: 'SELECT id, email FROM accounts_user', timeoutMs: 1000,
      steps: [{ id: 'step-1', index: 0, delayMs: 0, channel: 'email', provider: 'log', template: 'hello', subject: null, from: null, replyTo: null, personalization: {} }],
      exit: { onActivity: true, query: null }, recovery: { retries: 1, backoff: 'fixed', baseDelayMs: 10, maxDelayMs: 20 },
      tracking: { conversionWindowMs: 1, holdout: 0 }, frequencyCap: { max: 1, perMs: 1000 }, quietHours: null,
    } as ManifestLoop;
    const facts: UserTableFacts = { userTable: 'accounts_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates', stripeAudiences: SQL };
    const query = 'SELECT * FROM ( SELECT id, email FROM accounts_user ) AS skene_audience_base WHERE skene_audience_base.id IN (SELECT 3)';
    assert.deepEqual(toPlannedLoop(loop, facts).audience, { query, sha256: sha256Hex(query), timeoutMs: 1000 });
  });
});
