// skene init writes the compiled Stripe audience into skene_retention/loops.json, which the Celery task and
// `skene run` both execute; a project that cannot decide the audience gets an error note and no loops.json.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { GeneratedManifest } from '../../../sdk/runtimeManifest';
import { applyAudience } from '../../../sdk/stripeAudience';
import { sealCondition } from '../../../sdk/runtime/conditionSeal';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { compileStripeAudiences } from '../../../server/core/stripe/compileStripeAudiences';
import { planInit } from '../../../generators/planInit';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { diskReader, EXAMPLE_DIR } from '../generators/planKit';

const LOOPS_JSON = 'skene_retention/loops.json';
const OPINION = /^ {2}opinion: .*\n/m;
const AUDIENCE = /^ {2}audience: '[a-z_]+',$/m;

/** Plans examples/saas from disk, then again with the loop in skene.config.ts given `audience`. */
async function planWithAudience(project: ProjectModel, audience: string) {
  await loadSqlParser();
  const disk = diskReader(EXAMPLE_DIR);
  const first = await planInit(project, {}, disk);
  const config = first.files.find((f) => f.path === 'skene.config.ts')?.after ?? '';
  assert.match(config, OPINION);
  // The generated config spells out `audience: 'all'`; older ones had no audience key.
  const edited = AUDIENCE.test(config) ? config.replace(AUDIENCE, `  audience: '${audience}',`) : config.replace(OPINION, (line) => `${line}  audience: '${audience}',\n`);
  return planInit(project, {}, (rel) => (rel === 'skene.config.ts' ? edited : disk(rel)));
}

describe('loops.json carries the Stripe audience', () => {
  let project: ProjectModel;
  before(async () => {
    project = await analyzeProject(EXAMPLE_DIR);
  });

  test("audience 'churn_risk' on examples/saas: facts hold the compiled SQL, the loop's query is narrowed by it", async () => {
    const plan = await planWithAudience(project, 'churn_risk');
    assert.deepEqual(plan.notes, []);
    const file = plan.files.find((f) => f.path === LOOPS_JSON);
    assert.ok(file);
    const manifest = JSON.parse(file.after) as GeneratedManifest;
    const compiled = compileStripeAudiences(project);
    assert.ok(compiled.ok);
    assert.deepEqual(manifest.project.stripeAudiences, compiled.sql);
    const loop = manifest.loops[0];
    assert.ok(loop);
    const seedQuery = "SELECT id, email, COALESCE(NULLIF(first_name, ''), 'there') AS first_name, timezone, last_activity_at\nFROM accounts_user\nWHERE is_active\n  AND last_activity_at < now() - interval '7 days'";
    const sealed = sealCondition(applyAudience(seedQuery, 'churn_risk', 'id', compiled.sql));
    assert.ok(sealed.ok);
    assert.deepEqual(loop.audience, { ...sealed.sealed, timeoutMs: 600_000 });
    assert.equal(loop.audience.query.startsWith('SELECT * FROM ( SELECT id, email, COALESCE(NULLIF (first_name, \'\'), \'there\') AS first_name'), true);
    assert.match(loop.audience.query, / AS skene_audience_base WHERE skene_audience_base\.id IN \(SELECT stripe_sub\.user_id FROM \(/);
  });

  test("audience 'all' adds nothing to the facts", async () => {
    const plan = await planWithAudience(project, 'all');
    const manifest = JSON.parse(plan.files.find((f) => f.path === LOOPS_JSON)?.after ?? '{}') as GeneratedManifest;
    assert.deepEqual(Object.keys(manifest.project).sort(), ['activityColumn', 'emailColumn', 'isActiveColumn', 'templateDir', 'timezoneColumn', 'userIdColumn', 'userTable']);
  });

  test('a project with no subscription table: an error note, and no loops.json planned', async () => {
    const withoutTable: ProjectModel = { ...project, stripe: { ...project.stripe, subscriptionModel: null } };
    const plan = await planWithAudience(withoutTable, 'paying');
    assert.deepEqual(plan.notes, [
      {
        severity: 'error',
        message:
          "Loop 'dormant-users' filters on Stripe (audience 'paying'), but accounts.User.stripe_customer_id holds a Stripe customer id, which says who has a Stripe customer but not who pays: no model stores subscription statuses (a Subscription model with a status field and a foreign key to the user or a customer-id column), and dj-stripe is not in INSTALLED_APPS. skene_retention/loops.json was left as it is.",
      },
    ]);
    assert.equal(plan.files.find((f) => f.path === LOOPS_JSON), undefined);
  });
});
