// What the analyzer tells Stripe audiences: dj-stripe's version range and settings, the project's own
// subscription table (and not an Order that merely has a user FK and a status), then the SQL chosen from it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { compileStripeAudiences } from '../../../server/core/stripe/compileStripeAudiences';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { EXAMPLE_DIR } from '../generators/planKit';

const PROJECTS = path.resolve(__dirname, '../../fixtures/stripe/projects');

describe('Stripe facts of analyzed projects', () => {
  test('dj-stripe named by a range, FK to-field and subscriber model set in the settings', async () => {
    const model = await analyzeProject(path.join(PROJECTS, 'djstripe-range'));
    assert.deepEqual(model.stripe, {
      sdk: false,
      djstripe: true,
      customerIdField: null,
      sdkAt: null,
      settings: ['DJSTRIPE_FOREIGN_KEY_TO_FIELD', 'DJSTRIPE_SUBSCRIBER_MODEL'],
      djstripeSpec: '>=2.10',
      djstripeForeignKeyToField: 'djstripe_id',
      djstripeSubscriberModel: 'accounts.User',
    });
    const compiled = compileStripeAudiences(model);
    assert.ok(compiled.ok);
    assert.deepEqual({ source: compiled.source, assumptions: compiled.assumptions }, {
      source: { kind: 'djstripe', layout: { columns: 'json', customerKey: 'djstripe_id', unknown: [] }, user: { table: 'accounts_user', id: 'id' } },
      assumptions: [],
    });
  });

  test('a subscription table keyed by customer id is found; an Order with a user FK and a status is not', async () => {
    const model = await analyzeProject(path.join(PROJECTS, 'customer-table'));
    assert.deepEqual(model.stripe.subscriptionModel, {
      app: 'payments',
      class: 'StripeSubscription',
      table: 'payments_stripesubscription',
      userColumn: null,
      customerIdColumn: 'stripe_customer_id',
      statusColumn: 'stripe_status',
      cancelAtPeriodEndColumn: 'cancel_at_period_end',
    });
    const compiled = compileStripeAudiences(model);
    assert.ok(compiled.ok);
    assert.match(compiled.sql.paying, /JOIN "accounts_user" AS usr_row ON usr_row\."stripe_customer_id" = sub_row\."stripe_customer_id"/);
    assert.match(compiled.sql.paying, /lower\(sub_row\."stripe_status"\) AS status/);
  });

  test('examples/saas: billing.Subscription (user FK, status, cancel_at_period_end)', async () => {
    const model = await analyzeProject(EXAMPLE_DIR);
    assert.deepEqual(model.stripe.subscriptionModel, {
      app: 'billing',
      class: 'Subscription',
      table: 'billing_subscription',
      userColumn: 'user_id',
      customerIdColumn: null,
      statusColumn: 'status',
      cancelAtPeriodEndColumn: 'cancel_at_period_end',
    });
    assert.equal(compileStripeAudiences(model).ok, true);
    // The hand-written example model has the customer id only: the diagnostic case of the config tests.
    assert.equal(compileStripeAudiences(exampleProjectModel()).ok, false);
  });
});
