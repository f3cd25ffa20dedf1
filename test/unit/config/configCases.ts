/**
 * The table of config cases run against the example project's ProjectModel. Each case is the base config
 * (test/fixtures/configs/base.skene.config.ts) with replacements, or a whole text; ⟪ ⟫ mark where each
 * expected issue must be, in order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectModel, SubscriptionModelInfo } from '../../../server/core/django/projectModel';
import type { CheckOptions } from '../../../server/core/config/checkOptions';
import { defaultOptions, projectWith } from './configTestKit';

const fixtures = path.join(__dirname, '../../fixtures/configs');
export const BASE = readFileSync(path.join(fixtures, 'base.skene.config.ts'), 'utf8');
export const SEED = readFileSync(path.join(fixtures, 'seed.skene.config.ts'), 'utf8');

export interface ExpectedIssue {
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** newText of the first edit of the first fix; null when the issue offers no fix. */
  fix: string | null;
}

export interface ConfigCase {
  name: string;
  /** Marked text. */
  source: string;
  project?: ProjectModel | null;
  options?: CheckOptions;
  expect: ExpectedIssue[];
}

/** The base config with `[from, to]` replacements (each `from` must occur). */
export function edit(...pairs: Array<[string, string]>): string {
  let text = BASE;
  for (const [from, to] of pairs) {
    if (!text.includes(from)) throw new Error(`base config has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

const QUERY = "`SELECT id, email, first_name FROM accounts_user WHERE last_activity_at < NOW() - INTERVAL '7 days' AND is_active`";
/** Replaces the audience query; the top-level select list also gets first_name, which the base placeholders use. */
function query(sql: string): [string, string] {
  const withName = sql.replace('SELECT id, email ', 'SELECT id, email, first_name ').replace('SELECT u.id, u.email ', 'SELECT u.id, u.email, u.first_name ');
  return [QUERY, `\`${withName}\``];
}
/** The example project whose user model also has a boolean field (a copy: the fixture's model is shared). */
function withUserField(name: string): ProjectModel {
  return projectWith((p) => {
    if (!p.userModel) return;
    const user = { ...p.userModel, fields: [...p.userModel.fields, { name, type: 'BooleanField', column: name, inheritedFrom: null }] };
    p.models = (p.models ?? []).map((m) => (m === p.userModel ? user : m));
    p.userModel = user;
  });
}
const e = (code: string, fix: string | null = null): ExpectedIssue => ({ code, severity: 'error', fix });
const w = (code: string, fix: string | null = null): ExpectedIssue => ({ code, severity: 'warning', fix });
const i = (code: string, fix: string | null = null): ExpectedIssue => ({ code, severity: 'info', fix });

/** `audience` (RUNTIME.md guarantee 13): decided by what the project stores about Stripe subscriptions. */
const OPINION = "  opinion: 'Win back users who went quiet',\n";
const withAudience = (audience: string) => edit([OPINION, `${OPINION}  audience: ${audience},\n`]);
const BILLING_SUBSCRIPTION: SubscriptionModelInfo = { app: 'billing', class: 'Subscription', table: 'billing_subscription', userColumn: 'user_id', customerIdColumn: null, statusColumn: 'status', cancelAtPeriodEndColumn: 'cancel_at_period_end' };
const withSubscriptions = projectWith((p) => (p.stripe.subscriptionModel = BILLING_SUBSCRIPTION));
const STALE_FACTS = { userTable: 'accounts_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates' };

const STRIPE_CASES: ConfigCase[] = [
  { name: "audience 'paying' with billing.Subscription (user FK, status, cancel_at_period_end)", source: withAudience("'paying'"), project: withSubscriptions, expect: [] },
  { name: "audience 'churn_risk' with only a customer id on the user", source: withAudience("⟪'churn_risk'⟫"), expect: [e('stripe-audience-unavailable')] },
  {
    name: "audience 'free' in a project without any Stripe data",
    source: withAudience("⟪'free'⟫"),
    project: projectWith((p) => (p.stripe = { sdk: false, djstripe: false, customerIdField: null })),
    expect: [e('stripe-audience-unavailable')],
  },
  {
    name: 'dj-stripe whose subscriber model is not the user',
    source: withAudience("⟪'paying'⟫"),
    project: projectWith((p) => (p.stripe = { sdk: true, djstripe: '2.10.4', customerIdField: null, djstripeForeignKeyToField: 'id', djstripeSubscriberModel: 'teams.Team' })),
    expect: [e('stripe-audience-unavailable')],
  },
  {
    name: 'dj-stripe pinned, FK to-field set: nothing assumed',
    source: withAudience("'churn_risk'"),
    project: projectWith((p) => (p.stripe = { sdk: true, djstripe: '2.10.4', customerIdField: null, djstripeForeignKeyToField: 'id' })),
    expect: [],
  },
  {
    name: 'dj-stripe unpinned: version and FK to-field assumed (reads both layouts)',
    source: withAudience("⟪⟪'paying'⟫⟫"),
    project: projectWith((p) => (p.stripe = { sdk: true, djstripe: true, customerIdField: null })),
    expect: [i('stripe-audience-assumption'), i('stripe-audience-assumption')],
  },
  {
    name: 'loops.json generated before the loop filtered on Stripe',
    source: withAudience("'paying'").replace('defineLoop({', '⟪defineLoop⟫({'),
    project: withSubscriptions,
    options: defaultOptions({ generatedManifest: JSON.stringify({ _generated: '', manifestVersion: 1, source: 'skene.config.ts', project: STALE_FACTS, loops: [] }) }),
    expect: [w('manifest-stale')],
  },
  {
    name: 'loops.json compiled for another Stripe layout (dj-stripe upgraded since skene init)',
    source: withAudience("⟪'paying'⟫").replace('defineLoop({', '⟪defineLoop⟫({'),
    project: withSubscriptions,
    options: defaultOptions({ generatedManifest: JSON.stringify({ _generated: '', manifestVersion: 1, source: 'skene.config.ts', project: { ...STALE_FACTS, stripeAudiences: { paying: 'SELECT 1', churn_risk: 'SELECT 1', free: 'SELECT 1' } }, loops: [] }) }),
    expect: [w('manifest-stale'), w('manifest-stale')],
  },
];

export const CASES: ConfigCase[] = [
  {
    name: 'skene_retention/loops.json generated from an older config (skene init)',
    source: BASE.replace('defineLoop({', '⟪defineLoop⟫({'),
    options: defaultOptions({ generatedManifest: JSON.stringify({ _generated: '', manifestVersion: 1, source: 'skene.config.ts', project: { userTable: 'accounts_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates' }, loops: [] }) }),
    expect: [w('manifest-stale')],
  },
  { name: 'the base config is valid', source: BASE, expect: [] },
  {
    name: "the seed config as written: 'users' table and {{user.name}}",
    source: SEED.replace('FROM users', 'FROM ⟪users⟫').replace('re_engagement_sent = false', '⟪re_engagement_sent = false⟫').replace('{{user.name}}', '{{user.⟪name⟫}}'),
    expect: [e('unknown-table', 'accounts_user'), i('forever-flag', ''), e('unknown-placeholder', 'first_name')],
  },
  {
    name: 'the seed config with its table fixed: the forever-flag column does not exist',
    source: SEED.replace('SELECT *', 'SELECT ⟪*⟫').replace('FROM users', 'FROM accounts_user').replace('re_engagement_sent = false', '⟪⟪re_engagement_sent⟫ = false⟫').replace('{{user.name}}', '{{user.⟪name⟫}}'),
    expect: [e('sensitive-column'), e('unknown-column'), i('forever-flag', ''), e('unknown-placeholder', 'first_name')],
  },
  {
    name: 'the seed config on a model that has the flag: it keeps working, the cycle model is explained',
    source: SEED.replace('SELECT *', 'SELECT ⟪*⟫').replace('FROM users', 'FROM accounts_user').replace('re_engagement_sent = false', '⟪re_engagement_sent = false⟫').replace("name: '{{user.name}}'", "name: '{{user.first_name}}'"),
    project: withUserField('re_engagement_sent'),
    expect: [e('sensitive-column'), i('forever-flag', '')],
  },
  {
    name: 'a NOT flag on a qualified column is a forever-flag too (no fix: it is not an AND conjunct)',
    source: edit(query("SELECT u.id, u.email FROM accounts_user u WHERE ⟪NOT u.is_staff_notified⟫")),
    project: withUserField('is_staff_notified'),
    expect: [i('forever-flag')],
  },
  {
    name: 'milestone loop with its key, global cap and quiet hours: valid',
    source: edit(["type: 'retention'", "type: 'milestone',\n  milestone: 'first-paid-month'"], ['  recovery:', "  globalCap: { perDay: 1, perWeek: 2 },\n  quietHours: { start: '21:00', end: '08:00' },\n  recovery:"]),
    expect: [],
  },
  { name: 'global cap above its bound', source: edit(['  recovery:', '  globalCap: { perDay: ⟪11⟫ },\n  recovery:']), expect: [e('out-of-range', '10')] },
  { name: 'unknown top-level key with did-you-mean', source: edit(['opinion:', '⟪opinon⟫:']), expect: [e('unknown-key', 'opinion')] },
  {
    name: 'misspelt required key: unknown + missing',
    source: edit(['template:', '⟪temlate⟫:'], ['      action: {', '      ⟪action⟫: {']),
    expect: [e('missing-key', "\n        template: 're_engagement',"), e('unknown-key', 'template')],
  },
  { name: 'wrong type: retries as a string', source: edit(['retries: 3', "retries: ⟪'3'⟫"]), expect: [e('wrong-type', '3')] },
  { name: 'wrong type: holdout as a boolean', source: edit(['holdout: 0.1', 'holdout: ⟪true⟫']), expect: [e('wrong-type')] },
  { name: 'wrong type: cron as a number', source: edit(["cron: '0 9 * * *'", 'cron: ⟪9⟫']), expect: [e('wrong-type', "'9'")] },
  {
    name: 'missing required key: the action template',
    source: edit(["        template: 're_engagement',\n", ''], ['      action: {', '      ⟪action⟫: {']),
    expect: [e('missing-key', "\n        template: 're_engagement',")],
  },
  { name: 'missing loop type', source: edit(["  type: 'retention',\n", ''], ['defineLoop({', '⟪defineLoop⟫({']), expect: [e('missing-key', "\n  type: 'retention',")] },
  { name: 'bad enum: loop type', source: edit(["type: 'retention'", "type: ⟪'retentin'⟫"]), expect: [e('invalid-enum-value', "'retention'")] },
  { name: 'bad enum: provider', source: edit(["provider: 'resend'", "provider: ⟪'sendgrid'⟫"]), expect: [e('invalid-enum-value', "'resend'")] },
  { name: 'bad enum: backoff', source: edit(["backoff: 'exponential'", "backoff: ⟪'exponentail'⟫"]), expect: [e('invalid-enum-value', "'exponential'")] },
  { name: 'bad discriminator: trigger type', source: edit(["type: 'schedule'", "type: ⟪'scheduled'⟫"]), expect: [e('invalid-enum-value', "'schedule'")] },
  { name: 'retries above the bound', source: edit(['retries: 3', 'retries: ⟪20⟫']), expect: [e('out-of-range', '10')] },
  { name: 'retries below the bound', source: edit(['retries: 3', 'retries: ⟪-1⟫']), expect: [e('out-of-range', '0')] },
  { name: 'holdout above half', source: edit(['holdout: 0.1', 'holdout: ⟪0.9⟫']), expect: [e('out-of-range', '0.5')] },
  { name: 'no steps', source: edit([BASE.slice(BASE.indexOf('steps: ['), BASE.indexOf('  recovery')), 'steps: ⟪[]⟫,\n']), expect: [e('empty-value')] },
  { name: 'template with an extension', source: edit(["template: 're_engagement'", "template: ⟪'re_engagement.html'⟫"]), expect: [e('invalid-format', "'re_engagement'")] },
  { name: 'loop id that is not a slug', source: edit(["id: 'dormant-users'", "id: ⟪'Dormant Users'⟫"]), expect: [e('invalid-format', "'dormant-users'")] },
  { name: 'quiet hours in 12-hour form', source: edit(['  recovery:', "  quietHours: { start: ⟪'9pm'⟫, end: '08:00' },\n  recovery:"]), expect: [e('invalid-format')] },
  { name: 'duration with a space and a word', source: edit(["timeout: '10m'", "timeout: ⟪'10 min'⟫"]), expect: [e('invalid-duration', "'10m'")] },
  { name: 'duration in weeks spelt out', source: edit(["conversionWindow: '14d'", "conversionWindow: ⟪'2 weeks'⟫"]), expect: [e('invalid-duration', "'2w'")] },
  { name: 'duration that is not one', source: edit(["timeout: '10m'", "timeout: ⟪'forever'⟫"]), expect: [e('invalid-duration')] },
  { name: 'cron with four fields', source: edit(["cron: '0 9 * * *'", "cron: ⟪'0 9 * *'⟫"]), expect: [e('invalid-cron')] },
  { name: 'cron with a seconds field', source: edit(["cron: '0 9 * * *'", "cron: ⟪'0 0 9 * * *'⟫"]), expect: [e('invalid-cron', "'0 9 * * *'")] },
  { name: 'cron nickname', source: edit(["cron: '0 9 * * *'", "cron: ⟪'@daily'⟫"]), expect: [e('invalid-cron', "'0 0 * * *'")] },
  { name: 'cron minute out of range', source: edit(["cron: '0 9 * * *'", "cron: ⟪'61 9 * * *'⟫"]), expect: [e('invalid-cron')] },
  { name: 'unknown time zone', source: edit(["timezone: 'Europe/Paris'", "timezone: ⟪'Europe/Pariss'⟫"]), expect: [e('unknown-timezone', "'Europe/Paris'")] },
  {
    name: 'timeout longer than the cron period',
    source: edit(["cron: '0 9 * * *'", "cron: '*/5 * * * *'"], ["timeout: '10m'", "timeout: ⟪'10m'⟫"]),
    expect: [w('timeout-exceeds-schedule', "'5m'")],
  },
  {
    name: 'SQL syntax error at the exact character inside the template literal',
    source: edit(query('SELECT id, email FROM accounts_user WHERE ⟪AND⟫ is_active')),
    expect: [e('sql-syntax-error')],
  },
  { name: 'DELETE as a condition', source: edit(query('⟪DELETE⟫ FROM accounts_user WHERE is_active = false')), expect: [e('sql-not-select')] },
  { name: 'UPDATE as a condition', source: edit(query('⟪UPDATE⟫ accounts_user SET is_active = false')), expect: [e('sql-not-select')] },
  { name: 'INSERT as a condition', source: edit(query("⟪INSERT⟫ INTO accounts_user (email) VALUES ('x@y.z')")), expect: [e('sql-not-select')] },
  {
    name: 'a chain of statements',
    source: edit(query('SELECT id, email FROM accounts_user⟪; DROP TABLE accounts_user⟫')),
    expect: [e('sql-multiple-statements', '')],
  },
  { name: 'SELECT INTO', source: edit(query('SELECT id, email ⟪INTO⟫ backup FROM accounts_user')), expect: [e('sql-select-into')] },
  { name: 'row locks', source: edit(query('SELECT id, email FROM accounts_user ⟪FOR UPDATE⟫')), expect: [e('sql-not-read-only')] },
  {
    name: 'data-modifying WITH',
    source: edit(query('WITH ⟪gone⟫ AS (DELETE FROM events_event RETURNING user_id) SELECT id, email FROM accounts_user')),
    expect: [e('sql-not-read-only')],
  },
  { name: 'a function that reads server files', source: edit(query("SELECT id, email FROM accounts_user WHERE ⟪pg_read_file⟫('/etc/passwd') IS NOT NULL")), expect: [e('sql-function-not-allowed')] },
  { name: 'a project function in a UNION', source: edit(query('SELECT id, email FROM accounts_user UNION SELECT id, ⟪public.purge⟫() FROM accounts_user')), expect: [e('sql-function-not-allowed')] },
  { name: 'an operator of the project', source: edit(query('SELECT id, email FROM accounts_user WHERE id ⟪<<>>⟫ 1')), expect: [e('sql-operator-not-allowed')] },
  { name: 'a cast to a type of the project', source: edit(query('SELECT id, email FROM accounts_user WHERE id::⟪evil_type⟫ IS NOT NULL')), expect: [e('sql-type-not-allowed')] },
  { name: 'a parameter marker', source: edit(query('SELECT id, email FROM accounts_user WHERE id = ⟪$1⟫')), expect: [e('sql-parameter-not-allowed')] },
  {
    name: 'unknown table in a join, with did-you-mean',
    source: edit(query('SELECT u.id, u.email FROM accounts_user u JOIN ⟪event⟫ e ON e.user_id = u.id')),
    expect: [e('unknown-table', 'events_event')],
  },
  {
    name: 'unknown column with did-you-mean',
    source: edit(query('SELECT id, email FROM accounts_user WHERE ⟪last_activty_at⟫ < NOW()')),
    expect: [e('unknown-column', 'last_activity_at')],
  },
  {
    name: 'unknown qualified column',
    source: edit(query('SELECT u.id, u.email FROM accounts_user u WHERE u.⟪emial⟫ IS NOT NULL')),
    expect: [e('unknown-column', 'email')],
  },
  {
    name: 'unknown alias',
    source: edit(query('SELECT u.id, u.email FROM accounts_user u WHERE ⟪v⟫.is_active')),
    expect: [e('unknown-table', 'u')],
  },
  {
    name: 'columns of a joined model, an exists sub-query and a CTE are resolved',
    source: edit(query('WITH recent AS (SELECT user_id FROM events_event WHERE created_at > NOW() - INTERVAL \'7 days\') SELECT u.id, u.email FROM accounts_user u LEFT JOIN billing_subscription s ON s.user_id = u.id WHERE NOT EXISTS (SELECT 1 FROM recent r WHERE r.user_id = u.id) AND s.status = \'active\'')),
    expect: [],
  },
  {
    name: 'Django and Skene tables are known',
    source: edit(query('SELECT u.id, u.email FROM accounts_user u WHERE u.id NOT IN (SELECT user_id::bigint FROM skene_send_ledger) AND EXISTS (SELECT 1 FROM django_session)')),
    expect: [],
  },
  {
    name: 'result without the email',
    source: edit(query('⟪SELECT⟫ id, first_name FROM accounts_user')),
    expect: [e('sql-missing-user-columns', 'email, ')],
  },
  {
    name: '{{user.name}} on a model with first_name',
    source: edit(query('SELECT ⟪*⟫ FROM accounts_user'), ["firstName: '{{user.first_name}}'", "firstName: '{{user.⟪name⟫}}'"]),
    expect: [e('sensitive-column'), e('unknown-placeholder', 'first_name')],
  },
  {
    name: 'an unclosed placeholder is closed after its name',
    source: edit(["firstName: '{{user.first_name}}'", "firstName: '⟪{{user.first_name⟫'"]),
    expect: [e('unclosed-placeholder', '{{user.first_name}}')],
  },
  {
    name: 'a placeholder of a credential field has no fix (it is a user field, but never selected for it)',
    source: edit(["subject: 'We miss you, {{user.first_name}}'", "subject: 'Reset ⟪{{user.password}}⟫'"]),
    expect: [e('sensitive-placeholder')],
  },
  {
    name: 'a credential column in the select list',
    source: edit(query('SELECT id, email, first_name, ⟪api_token⟫ FROM accounts_user')),
    project: withUserField('api_token'),
    expect: [e('sensitive-column')],
  },
  {
    name: 'placeholder outside user',
    source: edit(["firstName: '{{user.first_name}}'", "firstName: '⟪{{account.name}}⟫'"]),
    expect: [e('unknown-placeholder')],
  },
  {
    name: 'placeholder of a user field the query does not select',
    source: edit(["subject: 'We miss you, {{user.first_name}}'", "subject: 'News for ⟪{{user.company}}⟫'"]),
    expect: [w('placeholder-not-selected', 'company, ')],
  },
  {
    name: 'template that does not exist, with a close one',
    source: edit(["template: 're_engagement'", "template: ⟪'welcome_bak'⟫"]),
    expect: [w('missing-template', "'welcome_back'")],
  },
  {
    name: 'the default template before Initialize created it',
    source: edit(["template: 're_engagement'", "template: ⟪'re_engagement'⟫"]),
    options: defaultOptions({ existingTemplates: [] }),
    expect: [i('missing-template')],
  },
  {
    name: 'Resend without RESEND_API_KEY anywhere',
    source: edit(["provider: 'resend'", "provider: ⟪'resend'⟫"]),
    project: projectWith((p) => (p.email.apiKeyEnv = [])),
    expect: [w('missing-api-key')],
  },
  {
    name: 'RESEND_API_KEY defined in an env file is enough',
    source: BASE,
    project: projectWith((p) => (p.email.apiKeyEnv = [])),
    options: defaultOptions({ envNames: ['RESEND_API_KEY'] }),
    expect: [],
  },
  {
    name: 'no sender address anywhere',
    source: edit(["        from: 'Acme <hello@acme.test>',\n", ''], ['      action: {', '      ⟪action⟫: {']),
    project: projectWith((p) => (p.email.defaultFromEmail = null)),
    expect: [w('missing-from', "\n        from: 'Your Team <team@example.com>',")],
  },
  {
    name: 'the log provider needs neither key nor sender',
    source: edit(["provider: 'resend'", "provider: 'log'"], ["        from: 'Acme <hello@acme.test>',\n", '']),
    project: projectWith((p) => {
      p.email.apiKeyEnv = [];
      p.email.defaultFromEmail = null;
    }),
    expect: [],
  },
  {
    name: 'a project file that no longer parses: checked against its last good reading',
    source: edit(['defineLoop({', '⟪defineLoop⟫({']),
    project: projectWith((p) => (p.staleReadings = [{ file: 'accounts/models.py', line: 12 }])),
    expect: [w('project-stale-reading')],
  },
  {
    name: 'PostgreSQL only when DB=postgres: not an error',
    source: BASE,
    project: projectWith((p) => {
      p.database = { engine: 'django.db.backends.sqlite3', postgres: false, options: [{ engine: 'django.db.backends.sqlite3', condition: null }, { engine: 'django.db.backends.postgresql', condition: 'DB=postgres' }], postgresSupport: 'conditional', postgresCondition: 'DB=postgres' };
    }),
    expect: [],
  },
  {
    name: 'database is not PostgreSQL',
    source: edit(['defineLoop({', '⟪defineLoop⟫({']),
    project: projectWith((p) => (p.database.engine = 'django.db.backends.sqlite3')),
    expect: [e('database-not-postgresql')],
  },
  {
    name: 'a sequence: later steps with delays',
    source: edit(['  ],\n  recovery', "    { delay: '3d', action: { type: 'email', template: 're_engagement' } },\n    { delay: '7d', action: { type: 'email', template: 're_engagement' } },\n  ],\n  recovery"]),
    expect: [],
  },
  {
    name: 'a sequence step with its own trigger',
    source: edit(['  ],\n  recovery', "    { delay: '3d', ⟪trigger⟫: { type: 'schedule', cron: '0 9 * * *' }, action: { type: 'email', template: 're_engagement' } },\n  ],\n  recovery"]),
    expect: [e('invalid-sequence', '')],
  },
  {
    name: 'a sequence whose delays do not grow',
    source: edit(['  ],\n  recovery', "    { delay: '7d', action: { type: 'email', template: 're_engagement' } },\n    { delay: ⟪'3d'⟫, action: { type: 'email', template: 're_engagement' } },\n  ],\n  recovery"]),
    expect: [e('invalid-sequence')],
  },
  {
    name: 'a sequence step without a delay',
    source: edit(['  ],\n  recovery', "    ⟪{⟫ action: { type: 'email', template: 're_engagement' } },\n  ],\n  recovery"]),
    expect: [e('missing-key', ", delay: '3d'")],
  },
  {
    name: 'computed values are reported once and not checked',
    source: `import { defineLoop } from '@skene/sdk';\nconst CRON = '0 9 * * *';\nconst table = 'accounts_user';\nexport default defineLoop({\n  type: 'retention',\n  steps: [{\n    trigger: { type: 'schedule', cron: ⟪CRON⟫ },\n    condition: { type: 'query', query: ⟪\`SELECT id, email FROM \${table}\`⟫ },\n    action: { type: 'email', template: ⟪process.env.TEMPLATE ?? 're_engagement'⟫ },\n  }],\n});\n`,
    expect: [i('not-statically-checked'), i('not-statically-checked'), i('not-statically-checked')],
  },
  {
    name: 'const + export default, as const, satisfies, comments and trailing commas',
    source: `import { defineLoop, type LoopConfig } from '@skene/sdk';\n// the loop\nconst loop = defineLoop({\n  type: 'retention', /* inline */\n  steps: [\n    {\n      trigger: { type: 'schedule', cron: '0 9 * * *', } as const,\n      condition: { type: 'query', query: 'SELECT id, email FROM accounts_user', },\n      action: { type: 'email', template: ⟪'re_engagemnt'⟫, },\n    },\n  ],\n} satisfies LoopConfig);\nexport default loop;\n`,
    expect: [w('missing-template', "'re_engagement'")],
  },
  {
    name: 'several loops with the same id',
    source: `import { defineLoops } from '@skene/sdk';\nconst base = { type: 'retention', steps: [{ trigger: { type: 'schedule', cron: '0 9 * * *' }, condition: { type: 'query', query: 'SELECT id, email FROM accounts_user' }, action: { type: 'email', template: 're_engagement' } }] } as const;\nexport default defineLoops([\n  { id: 'winback', type: 'retention', steps: [{ trigger: { type: 'schedule', cron: '0 9 * * *' }, condition: { type: 'query', query: 'SELECT id, email FROM accounts_user' }, action: { type: 'email', template: 're_engagement' } }] },\n  { id: ⟪'winback'⟫, type: 'milestone', steps: [{ trigger: { type: 'schedule', cron: '0 10 * * *' }, condition: { type: 'query', query: 'SELECT id, email FROM accounts_user' }, action: { type: 'email', template: 're_engagement' } }] },\n]);\nvoid base;\n`,
    expect: [e('duplicate-loop-id')],
  },
  {
    name: 'exit query checked like the condition',
    source: edit(['  recovery:', "  exit: { onActivity: true, query: 'SELECT id FROM ⟪accounts_usr⟫' },\n  recovery:"]),
    expect: [e('unknown-table', 'accounts_user')],
  },
  {
    name: 'escapes in a quoted query keep positions exact',
    source: edit([QUERY, "'SELECT id, email, first_name FROM accounts_user WHERE first_name = \\'Zoë\\' AND ⟪nickname⟫ = \\'x\\''"]),
    expect: [e('unknown-column')],
  },
  {
    name: 'unicode before a placeholder: UTF-16 ranges',
    source: edit(["subject: 'We miss you, {{user.first_name}}'", "subject: 'Bonjour 😀 ça va, {{user.⟪first_nam⟫}}'"]),
    expect: [e('unknown-placeholder', 'first_name')],
  },
  {
    name: 'the default export is not a loop',
    source: "export default ⟪42⟫;\n",
    expect: [e('wrong-type')],
  },
  {
    name: 'empty file',
    source: '⟪⟫',
    expect: [e('missing-default-export', "import { defineLoop } from '@skene/sdk';\n\nexport default defineLoop({\n  id: 'dormant-users',\n  type: 'retention',\n  steps: [{\n    trigger: { type: 'schedule', cron: '0 9 * * *' },\n    condition: { type: 'query', query: `SELECT id, email FROM accounts_user WHERE is_active`, timeout: '10m' },\n    action: { type: 'email', provider: 'log', template: 're_engagement' },\n  }],\n});\n")],
  },
  {
    name: 'without a project only the config itself is checked (the forever-flag is in the config)',
    source: SEED.replace('re_engagement_sent = false', '⟪re_engagement_sent = false⟫'),
    project: null,
    expect: [i('forever-flag', '')],
  },
  ...STRIPE_CASES,
];
