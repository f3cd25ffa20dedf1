import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { copyProject, djangoDbEnv, runDjangoPython, runManage, type ProcessResult } from '../helpers/django';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';

/** The project's own migrations, in the order `showmigrations --plan` applies them. */
const PROJECT_MIGRATIONS = ['accounts.0001_initial', 'accounts.0002_user_marketing_opt_in', 'billing.0001_initial', 'events.0001_initial'];

function ok(result: ProcessResult): ProcessResult {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return result;
}

/** Parses `showmigrations --plan` into the project's migrations and whether each is applied. */
function projectPlan(stdout: string): Array<[string, boolean]> {
  return stdout
    .split('\n')
    .map((line) => /^\[( |X)\]\s+(\S+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && PROJECT_MIGRATIONS.includes(match[2] ?? ''))
    .map((match) => [match[2] ?? '', match[1] === 'X']);
}

async function tableNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('accounts_user', 'events_event', 'billing_subscription') ORDER BY table_name",
    );
    return rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

describe('examples/saas on Django 3.2 and PostgreSQL 15', () => {
  let cluster: PostgresCluster;
  let projectDir: string;
  let env: Record<string, string>;
  let dbUrl: string;

  before(async () => {
    [cluster, projectDir] = await Promise.all([startPostgres(), copyProject()]);
    dbUrl = await cluster.createDatabase('saas');
    env = djangoDbEnv(cluster, 'saas');
  });

  after(async () => {
    await cluster?.stop();
    if (projectDir) await removeTempDir(projectDir);
  });

  test('manage.py check finds no issues', async () => {
    const result = ok(await runManage(projectDir, ['check'], env));
    assert.equal(result.stdout, 'System check identified no issues (0 silenced).\n');
  });

  test('the committed migrations match the models (makemigrations --check --dry-run)', async () => {
    const result = ok(await runManage(projectDir, ['makemigrations', '--check', '--dry-run'], env));
    assert.equal(result.stdout, 'No changes detected\n');
  });

  test('migrate applies everything on a fresh database, unapplies accounts and its dependents, and re-applies', async () => {
    ok(await runManage(projectDir, ['migrate', '--no-input'], env));
    const applied = ok(await runManage(projectDir, ['showmigrations', '--plan'], env)).stdout;
    assert.deepEqual(projectPlan(applied), PROJECT_MIGRATIONS.map((name) => [name, true]));
    assert.doesNotMatch(applied, /^\[ \]/m, 'every migration (contrib apps too) is applied');
    assert.deepEqual(await tableNames(dbUrl), ['accounts_user', 'billing_subscription', 'events_event']);

    // Every app here depends on the user model, so going back on accounts takes events and billing with it.
    ok(await runManage(projectDir, ['migrate', 'accounts', 'zero', '--no-input'], env));
    const unapplied = ok(await runManage(projectDir, ['showmigrations', '--plan'], env)).stdout;
    assert.deepEqual(projectPlan(unapplied), PROJECT_MIGRATIONS.map((name) => [name, false]));
    assert.deepEqual(await tableNames(dbUrl), []);

    ok(await runManage(projectDir, ['migrate', '--no-input'], env));
    assert.deepEqual(await tableNames(dbUrl), ['accounts_user', 'billing_subscription', 'events_event']);
  });

  test('the Celery app loads from Django settings and discovers the billing task', async () => {
    const code = [
      'import json, django',
      'from config.celery import app',
      'django.setup()',
      'app.loader.import_default_modules()',
      'print(json.dumps({"main": app.main, "broker": app.conf.broker_url, "timezone": app.conf.timezone,',
      '  "tasks": sorted(t for t in app.tasks if not t.startswith("celery.")),',
      '  "beat": {k: v["task"] for k, v in app.conf.beat_schedule.items()}}))',
    ].join('\n');
    const result = ok(await runDjangoPython(projectDir, code, { ...env, DJANGO_SETTINGS_MODULE: 'config.settings.dev', CELERY_BROKER_URL: 'redis://127.0.0.1:6399/3' }));
    assert.deepEqual(JSON.parse(result.stdout), {
      main: 'config',
      broker: 'redis://127.0.0.1:6399/3',
      timezone: 'Europe/Paris',
      tasks: ['billing.tasks.sync_subscriptions'],
      beat: { 'sync-stripe-subscriptions': 'billing.tasks.sync_subscriptions' },
    });
  });
});
