import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StripeInfo } from '../../../server/core/django/projectModel';
import { compileStripeAudiences } from '../../../server/core/stripe/compileStripeAudiences';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { LAYOUTS, projectFor } from '../../fixtures/stripe/stripeLayouts';

function compiled(stripe: StripeInfo) {
  const result = compileStripeAudiences(projectFor(stripe));
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

const layout = (name: string): StripeInfo => {
  const found = LAYOUTS.find((l) => l.name.startsWith(name));
  assert.ok(found, name);
  return found.stripe;
};

const PAYING_TAIL = ') AS stripe_sub\nWHERE stripe_sub.status IN (\'active\', \'trialing\')';

describe('compiled SQL per ProjectModel', () => {
  test('dj-stripe 2.10: status and cancel_at_period_end from stripe_data, customers by Stripe id', () => {
    assert.equal(
      compiled(layout('dj-stripe 2.10')).sql.paying,
      [
        'SELECT stripe_sub.user_id FROM (',
        `  SELECT cus_row."subscriber_id" AS user_id, sub_row."stripe_data" ->> 'status' AS status, COALESCE((sub_row."stripe_data" ->> 'cancel_at_period_end')::boolean, false) AS canceling`,
        '  FROM "djstripe_subscription" AS sub_row',
        '  JOIN "djstripe_customer" AS cus_row ON cus_row."id" = sub_row."customer_id"',
        '  WHERE cus_row."subscriber_id" IS NOT NULL',
        PAYING_TAIL,
      ].join('\n'),
    );
  });

  test('dj-stripe 2.9 upgraded from < 2.4: columns, customers by djstripe_id', () => {
    assert.equal(
      compiled(layout('dj-stripe 2.9')).sql.paying,
      [
        'SELECT stripe_sub.user_id FROM (',
        '  SELECT cus_row."subscriber_id" AS user_id, sub_row."status" AS status, COALESCE(sub_row."cancel_at_period_end", false) AS canceling',
        '  FROM "djstripe_subscription" AS sub_row',
        '  JOIN "djstripe_customer" AS cus_row ON cus_row."djstripe_id" = sub_row."customer_id"',
        '  WHERE cus_row."subscriber_id" IS NOT NULL',
        PAYING_TAIL,
      ].join('\n'),
    );
  });

  test('examples/saas: billing.Subscription by user FK, all three audiences', () => {
    const rows = [
      '  SELECT sub_row."user_id" AS user_id, lower(sub_row."status") AS status, COALESCE(sub_row."cancel_at_period_end", false) AS canceling',
      '  FROM "billing_subscription" AS sub_row',
      '  WHERE sub_row."user_id" IS NOT NULL',
    ].join('\n');
    assert.deepEqual(compiled(layout('customer id + billing.Subscription')).sql, {
      paying: `SELECT stripe_sub.user_id FROM (\n${rows}\n${PAYING_TAIL}`,
      churn_risk: [
        `SELECT stripe_sub.user_id FROM (\n${rows}\n) AS stripe_sub`,
        'GROUP BY stripe_sub.user_id',
        "HAVING bool_or(stripe_sub.status = 'past_due' OR (stripe_sub.status IN ('active', 'trialing') AND stripe_sub.canceling))",
        "  AND NOT COALESCE(bool_or(stripe_sub.status IN ('active', 'trialing') AND NOT stripe_sub.canceling), false)",
      ].join('\n'),
      free: [
        'SELECT person."id" FROM "accounts_user" AS person',
        `WHERE NOT EXISTS (SELECT 1 FROM (\n${rows}\n) AS stripe_sub`,
        "  WHERE stripe_sub.user_id = person.\"id\" AND (stripe_sub.status IN ('active', 'trialing') OR stripe_sub.status = 'past_due'))",
      ].join('\n'),
    });
  });

  test('a subscription table keyed by customer id joins the user on its customer-id field', () => {
    assert.equal(
      compiled(layout('customer id + a subscription table keyed')).sql.paying,
      [
        'SELECT stripe_sub.user_id FROM (',
        '  SELECT usr_row."id" AS user_id, lower(sub_row."status") AS status, COALESCE(sub_row."cancel_at_period_end", false) AS canceling',
        '  FROM "payments_stripesubscription" AS sub_row',
        '  JOIN "accounts_user" AS usr_row ON usr_row."stripe_customer_id" = sub_row."stripe_customer_id"',
        PAYING_TAIL,
      ].join('\n'),
    );
  });

  test('dj-stripe unpinned: reads either layout and either customer key, and says so', () => {
    const result = compiled(layout('dj-stripe unpinned on a 2.10'));
    assert.match(result.sql.paying, /COALESCE\(to_jsonb\(sub_row\) ->> 'status', to_jsonb\(sub_row\) -> 'stripe_data' ->> 'status'\) AS status/);
    assert.match(result.sql.paying, /CROSS JOIN LATERAL \(VALUES \(to_jsonb\(cus_row\) ->> 'id'\), \(to_jsonb\(cus_row\) ->> 'djstripe_id'\)\)/);
    assert.deepEqual(result.assumptions, [
      'the dj-stripe version (pin it with == in requirements) is not known, so the audience reads both dj-stripe layouts (slower on large tables)',
      'DJSTRIPE_FOREIGN_KEY_TO_FIELD (set it to a literal "id" or "djstripe_id") is not known, so the audience reads both dj-stripe layouts (slower on large tables)',
    ]);
  });

  test('identifiers are quoted: a user table in another schema or with capitals stays one name', () => {
    const project = projectFor(layout('customer id + billing.Subscription'));
    project.userModel = { ...project.userModel!, table: 'Accounts"User' };
    const result = compileStripeAudiences(project);
    assert.ok(result.ok);
    assert.match(result.sql.free, /^SELECT person\."id" FROM "Accounts""User" AS person\n/);
  });
});

describe('projects with nothing to filter on', () => {
  test('customer id on the user but no subscription table', () => {
    assert.deepEqual(compileStripeAudiences(exampleProjectModel()), {
      ok: false,
      missing: 'subscription-table',
      reason:
        'accounts.User.stripe_customer_id holds a Stripe customer id, which says who has a Stripe customer but not who pays: no model stores subscription statuses (a Subscription model with a status field and a foreign key to the user or a customer-id column), and dj-stripe is not in INSTALLED_APPS',
    });
  });

  test('no Stripe at all', () => {
    const result = compileStripeAudiences(projectFor({ sdk: false, djstripe: false, customerIdField: null }));
    assert.deepEqual(result, {
      ok: false,
      missing: 'stripe',
      reason:
        'the project has no Stripe data to filter on: dj-stripe is not in INSTALLED_APPS, no model stores subscription statuses (a Subscription model with a status field and a foreign key to the user), and the user model has no Stripe customer id',
    });
  });

  test('dj-stripe subscribers are teams, not users', () => {
    const result = compileStripeAudiences(projectFor({ sdk: true, djstripe: '2.10.4', customerIdField: null, djstripeSubscriberModel: 'teams.Team' }));
    assert.deepEqual(result, {
      ok: false,
      missing: 'subscriber-model',
      reason: 'DJSTRIPE_SUBSCRIBER_MODEL is teams.Team, so djstripe_customer.subscriber_id holds teams.Team ids, not ids of the user model accounts.User',
    });
  });

  test('DJSTRIPE_SUBSCRIBER_MODEL naming the user model is fine (any case)', () => {
    assert.equal(compileStripeAudiences(projectFor({ sdk: true, djstripe: '2.10.4', customerIdField: null, djstripeForeignKeyToField: 'id', djstripeSubscriberModel: 'accounts.user' })).ok, true);
  });
});
