// RUNTIME.md guarantee 13: each Stripe layout → the same audience. The same logical subscriptions are stored
// as dj-stripe 2.10+ (JSON stripe_data), older dj-stripe (columns) and the project's own subscription
// table; the SQL compiled from each layout's ProjectModel, AND-ed into a loop's query exactly as the
// runtimes receive it, must select the same users in real PostgreSQL. Both runtimes' guards accept it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import pg from 'pg';
import { applyAudience, STRIPE_AUDIENCES, type StripeAudienceName } from '../../sdk/stripeAudience';
import { checkCondition } from '../../sdk/runtime/conditionGuard';
import { sealCondition } from '../../sdk/runtime/conditionSeal';
import { audiencePageSql } from '../../sdk/runtime/pageQueries';
import { compileStripeAudiences } from '../../server/core/stripe/compileStripeAudiences';
import { EXPECTED, LAYOUTS, projectFor, type StripeLayout } from '../fixtures/stripe/stripeLayouts';
import { withPostgres } from '../helpers/postgres';
import { testManifest } from '../unit/runtime/fixtures/runtimeFixture';

const LOOP_QUERY = 'SELECT id, email FROM accounts_user WHERE id <> 0;';
const PYTHON_RUNTIME = path.resolve(__dirname, '../../templates/python');

function compiledQuery(layout: StripeLayout, audience: StripeAudienceName): string {
  const compiled = compileStripeAudiences(projectFor(layout.stripe));
  assert.ok(compiled.ok, `${layout.name}: ${compiled.ok ? '' : compiled.reason}`);
  return applyAudience(LOOP_QUERY, audience, 'id', compiled.sql);
}

async function selectedIds(url: string, sql: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN READ ONLY');
    const rows = (await client.query<{ id: string }>(`SELECT id FROM (${sql}) AS picked ORDER BY id`)).rows;
    await client.query('COMMIT');
    return rows.map((row) => Number(row.id));
  } finally {
    await client.end();
  }
}

/** The Python runtime's verdict on sealed conditions (it never parses SQL: null = the seal matches). */
function pythonSealVerdicts(sealed: Array<{ query: string; sha256: string }>): Array<string | null> {
  const script = 'import json, sys\nfrom skene_runtime import verify_seal\nprint(json.dumps([verify_seal(s["query"], s["sha256"]) for s in json.load(sys.stdin)]))';
  const run = spawnSync('/usr/bin/python3', ['-c', script], { cwd: PYTHON_RUNTIME, input: JSON.stringify(sealed), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Array<string | null>;
}

describe('each Stripe layout selects the same audience', () => {
  const pgCluster = withPostgres();
  const urls = new Map<string, string>();

  before(async () => {
    let n = 0;
    for (const layout of LAYOUTS) {
      const url = await pgCluster.cluster.createDatabase(`stripe_${++n}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(layout.sql);
      await client.end();
      urls.set(layout.name, url);
    }
  });

  for (const layout of LAYOUTS) {
    test(layout.name, async () => {
      const url = urls.get(layout.name) ?? '';
      const selected: Record<string, number[]> = {};
      for (const audience of STRIPE_AUDIENCES) selected[audience] = await selectedIds(url, compiledQuery(layout, audience));
      assert.deepEqual(selected, EXPECTED);
    });
  }

  test('the keyset page the runtimes wrap around it reads the same users page by page', async () => {
    const layout = LAYOUTS[0]!;
    const manifest = testManifest({ audience: { query: compiledQuery(layout, 'paying'), timeoutMs: 5000 }, type: 'milestone', userTable: 'accounts_user', pageSize: 2 });
    const client = new pg.Client({ connectionString: urls.get(layout.name) });
    await client.connect();
    try {
      const ids: number[] = [];
      let page = (await client.query<{ skene_user_id: string }>(audiencePageSql(manifest, true), [2])).rows;
      while (page.length) {
        ids.push(...page.map((row) => Number(row.skene_user_id)));
        page = (await client.query<{ skene_user_id: string }>(audiencePageSql(manifest, false), [page.at(-1)!.skene_user_id, 2])).rows;
      }
      assert.deepEqual(ids, EXPECTED.paying);
    } finally {
      await client.end();
    }
  });

  test('the SQL gate passes and seals every compiled audience; both runtimes accept the sealed text', async () => {
    const queries = LAYOUTS.flatMap((layout) => STRIPE_AUDIENCES.map((audience) => compiledQuery(layout, audience)));
    const accepted = { accepted: true, message: 'one read-only SELECT' };
    const ts = await Promise.all(queries.map(async (q) => { const { accepted, message } = await checkCondition(q); return { accepted, message }; }));
    assert.deepEqual(ts, queries.map(() => accepted));
    const sealed = queries.map((q) => sealCondition(q)).map((r) => (r.ok ? r.sealed : { query: '', sha256: '' }));
    assert.deepEqual(pythonSealVerdicts(sealed), queries.map(() => null));
  });
});

describe('a subscription table without cancel_at_period_end', () => {
  const pgCluster = withPostgres();

  test('churn_risk falls back to past_due; paying and free are unchanged', async () => {
    const layout = LAYOUTS.find((l) => l.stripe.subscriptionModel?.userColumn)!;
    const withoutCancel = { ...layout, stripe: { ...layout.stripe, subscriptionModel: { ...layout.stripe.subscriptionModel!, cancelAtPeriodEndColumn: null } } };
    const url = await pgCluster.cluster.createDatabase('stripe_no_cancel');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(layout.sql);
    await client.end();
    const selected: Record<string, number[]> = {};
    for (const audience of STRIPE_AUDIENCES) selected[audience] = await selectedIds(url, compiledQuery(withoutCancel, audience));
    assert.deepEqual(selected, { paying: EXPECTED.paying, churn_risk: [3, 10], free: EXPECTED.free });
  });
});
