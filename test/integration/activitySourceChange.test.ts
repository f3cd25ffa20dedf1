/**
 * The activity source changed after Skene's migrations were written (and applied): `skene init --activity` writes a
 * new migration instead of rewriting 0001, which may have run. Migrated, it moves the trigger (to the middleware:
 * no trigger; back to the events table: the trigger again); migrated backwards, the earlier source returns.
 * examples/saas (accounts.User, events.Event) on Django 3.2 + PostgreSQL 15.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { copyProject, djangoDbEnv, runManage } from '../helpers/django';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { initProject, ok, sql } from './initHarness';

let cluster: PostgresCluster;
let dir = '';
let url = '';
let env: Record<string, string> = {};

before(async () => {
  [cluster, dir] = await Promise.all([startPostgres(), copyProject()]);
  url = await cluster.createDatabase('saas');
  env = { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' };
  assert.equal((await initProject(dir, { yes: true, activity: 'events.Event' })).code, 0);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
});

after(async () => {
  await cluster?.stop();
  if (dir) await removeTempDir(dir);
});

/** The tables that carry Skene's last-activity trigger, as PostgreSQL has them. */
async function triggerTables(): Promise<string[]> {
  const rows = await sql<{ table: string }>(url, "SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'skene_last_activity' ORDER BY 1");
  return rows.map((r) => r.table);
}

const activityMigrations = () => readdirSync(path.join(dir, 'skene_retention/migrations')).filter((f) => /_activity_/.test(f)).sort();

/** Inserts an event for user `id` an hour from now and returns the user's last activity afterwards (ISO). */
async function lastActivityAfterEvent(id: number): Promise<string | null> {
  await sql(url, "INSERT INTO events_event (user_id, name, properties, created_at) VALUES ($1, 'visit', '{}', now() + interval '1 hour')", [id]);
  const [row] = await sql<{ at: Date | null }>(url, 'SELECT last_activity_at AS at FROM accounts_user WHERE id = $1', [id]);
  return row?.at ? row.at.toISOString() : null;
}

test('to the middleware: a new migration drops the trigger; migrated back, the trigger returns', async () => {
  assert.deepEqual(await triggerTables(), ['events_event']);
  const run = await initProject(dir, { yes: true, activity: 'middleware' });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(activityMigrations(), ['0003_activity_middleware.py']);
  const migration = readFileSync(path.join(dir, 'skene_retention/migrations/0003_activity_middleware.py'), 'utf8');
  assert.match(migration, /^# skene-activity-source: middleware$/m);
  // Written as Black writes it (double quotes), or in the project's quotes when it formats otherwise.
  assert.match(migration, /\((['"])skene_retention\1, (['"])0002_backfill_last_activity\2\)/);
  assert.equal(readFileSync(path.join(dir, 'skene_retention/migrations/0001_initial.py'), 'utf8').includes('CREATE TRIGGER skene_last_activity'), true, '0001 is not rewritten');
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await triggerTables(), []);
  const [fn] = await sql<{ n: string }>(url, "SELECT count(*) AS n FROM pg_proc WHERE proname = 'skene_touch_last_activity'");
  assert.equal(Number(fn?.n), 0);
  await sql(url, "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, company, timezone, stripe_customer_id, marketing_opt_in) VALUES (901, '', false, 'ann', 'Ann', '', 'ann@example.com', false, true, now() - interval '30 days', '', 'UTC', '', true)");
  assert.equal(await lastActivityAfterEvent(901), null, 'no trigger: an event does not move last activity');

  ok(await runManage(dir, ['migrate', 'skene_retention', '0002', '--no-input'], env));
  assert.deepEqual(await triggerTables(), ['events_event']);
  assert.notEqual(await lastActivityAfterEvent(901), null, 'the trigger is back');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await triggerTables(), []);
});

test('back to the events table: another migration (0003 has run) creates the trigger again; a re-run plans no more', async () => {
  const run = await initProject(dir, { yes: true, activity: 'events.Event' });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(activityMigrations(), ['0003_activity_middleware.py', '0004_activity_trigger.py']);
  assert.match(run.stdout, /MIDDLEWARE still lists it/);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await triggerTables(), ['events_event']);
  await sql(url, 'UPDATE accounts_user SET last_activity_at = NULL WHERE id = 901');
  assert.notEqual(await lastActivityAfterEvent(901), null);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0003', '--no-input'], env));
  assert.deepEqual(await triggerTables(), []);
  ok(await runManage(dir, ['migrate', '--no-input'], env));

  const again = await initProject(dir, { dryRun: true });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /\(0 create, 0 modify, \d+ unchanged, 0 conflict, 0 delete\)/);
});
