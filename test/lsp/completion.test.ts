import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { withCursor } from './support/cursor';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession } from './support/session';

/** Completion items at the `|` in a one-line change of the clean config. */
async function completeAt(t: TestContext, search: string, marked: string) {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const { text, position } = withCursor(CLEAN_CONFIG.replace(search, marked));
  await session.open(uri, text);
  const list = await session.complete(uri, position);
  return { items: list.items, position };
}

test('keys: the schema keys not yet written, required first, each with its documentation', async (t) => {
  const { items, position } = await completeAt(t, "  type: 'retention',\n", "  type: 'retention',\n  au|\n");
  assert.deepEqual(items.map((i) => i.label).sort(), ['audience', 'exit', 'frequencyCap', 'globalCap', 'milestone', 'opinion', 'quietHours', 'recovery', 'tracking']);
  const audience = items.find((i) => i.label === 'audience');
  assert.deepEqual(audience, {
    label: 'audience',
    kind: 10,
    detail: 'optional',
    documentation: { kind: 'markdown', value: 'Stripe filter on top of the query: all, paying (active/trialing), churn_risk (past_due or cancelling at period end), free (neither)' },
    sortText: '1audience',
    textEdit: { range: { start: { line: position.line, character: 2 }, end: { line: position.line, character: 4 } }, newText: 'audience' },
  });
});

test('enum values with docs: the provider', async (t) => {
  const { items } = await completeAt(t, "provider: 'log'", "provider: '|log'");
  assert.deepEqual(items.map((i) => [i.label, (i.documentation as { value?: string } | undefined)?.value]), [
    ['resend', 'resend (HTTP API), smtp (Django EMAIL_* settings) or log (print only)'],
    ['smtp', 'resend (HTTP API), smtp (Django EMAIL_* settings) or log (print only)'],
    ['log', 'resend (HTTP API), smtp (Django EMAIL_* settings) or log (print only)'],
  ]);
});

test('{{user. completes the user model fields (password left out)', async (t) => {
  const { items, position } = await completeAt(t, "name: '{{user.first_name}}'", "name: '{{user.|}}'");
  assert.deepEqual(items.map((i) => i.label), [
    'id', 'last_login', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined',
    'company', 'timezone', 'stripe_customer_id', 'marketing_opt_in',
  ]);
  assert.deepEqual(items.find((i) => i.label === 'company')?.detail, 'CharField · accounts.User');
  assert.deepEqual(items[0]?.textEdit, { range: { start: position, end: position }, newText: 'id' });
});

test('SQL: columns of the table (or alias) in FROM, and table names after FROM', async (t) => {
  const columns = await completeAt(t, 'SELECT id, email, first_name FROM accounts_user WHERE', 'SELECT u.id, u.email, u.| FROM accounts_user u WHERE');
  assert.deepEqual(columns.items.slice(-5).map((i) => [i.label, i.detail]), [
    ['date_joined', 'DateTimeField · accounts_user'],
    ['company', 'CharField · accounts_user'],
    ['timezone', 'CharField · accounts_user'],
    ['stripe_customer_id', 'CharField · accounts_user'],
    ['marketing_opt_in', 'BooleanField · accounts_user'],
  ]);
  const joined = await completeAt(t, 'FROM accounts_user WHERE', 'FROM accounts_user u JOIN events_event e ON e.| WHERE');
  assert.ok(joined.items.some((i) => i.label === 'user_id' && i.detail?.endsWith('events_event')), JSON.stringify(joined.items.map((i) => i.label)));
  const tables = await completeAt(t, 'FROM accounts_user', 'FROM acc|');
  const names = tables.items.map((i) => i.label);
  assert.deepEqual(names.slice(0, 3), ['accounts_user', 'events_event', 'billing_subscription']);
  const first = tables.items[0];
  assert.deepEqual([first?.detail, first?.textEdit], ['model accounts.User', { range: { start: { line: 6, character: 74 }, end: { line: 6, character: 77 } }, newText: 'accounts_user' }]);
});

test('template names: Skene generated ones when the project has none yet', async (t) => {
  const { items } = await completeAt(t, "template: 're_engagement'", "template: 're|'");
  assert.deepEqual(items.map((i) => [i.label, i.detail]), [
    ['re_engagement', 'created by Skene: Initialize'],
    ['milestone', 'created by Skene: Initialize'],
  ]);
});
