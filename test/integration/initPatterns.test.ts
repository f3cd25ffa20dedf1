/**
 * `skene init --yes` on project patterns where generated code used to break real projects (issue 12), each on
 * Django 3.2 + PostgreSQL 15:
 * - rqapi: RQ for background jobs and no Celery, psycopg 3 in its requirements, a DRF token API, single-quoted
 *   settings, Ruff with an 88-column limit and isort sections;
 * - spaboard: SQLite by default and PostgreSQL when DB=postgres, routes under a BASE_PATH include that ends in
 *   a single-page-app catch-all, `include` imported from django.conf.urls, and a pnpm workspace at its root.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { runProcess } from '../helpers/runProcess';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, checkProject, initProject, lastJson, ok, sql } from './initHarness';

const FIXTURES = path.resolve(__dirname, '../fixtures/init');
/** pnpm from this repository's devDependencies, so the workspace test needs no network and no corepack. */
const PNPM = path.resolve(__dirname, '../../node_modules/.bin/pnpm');

function pythonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pythonFiles(path.join(dir, e.name)) : e.name.endsWith('.py') ? [path.join(dir, e.name)] : []));
}

describe('skene init on rqapi (RQ, psycopg 3, DRF token API, Ruff 88 columns + isort)', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  let init = { code: -1, stdout: '', stderr: '' };
  const py = (code: string) => runDjangoPython(dir, `${SETUP}from datetime import timedelta\nfrom django.utils import timezone\nfrom django.contrib.auth import get_user_model\nUser = get_user_model()\n${code}`, env);

  before(async () => {
    [cluster, dir] = await Promise.all([startPostgres(), copyProject(path.join(FIXTURES, 'rqapi'))]);
    url = await cluster.createDatabase('app');
    env = { ...djangoDbEnv(cluster, 'app'), DJANGO_SETTINGS_MODULE: 'rqapi.settings' };
    init = await initProject(dir, { yes: true });
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  });

  test('init applies with no new Ruff finding, the config checks clean, Django checks pass', async () => {
    assert.equal(init.code, 0, init.stderr);
    assert.doesNotMatch(init.stdout, /Ruff with the project's settings/);
    const { issues } = await checkProject(dir);
    assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
    assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  });

  test('no Celery and no driver import in what Initialize wrote; the plan shows the django-rq line', () => {
    assert.match(init.stdout, /django_rq\.get_scheduler\("default"\)\.cron\("0 \* \* \* \*", func="django\.core\.management\.call_command", args=\["skene_run", "--window-minutes", "60"\], id="skene-run"\)/);
    assert.ok(!existsSync(path.join(dir, 'rqapi/celery.py')));
    for (const file of [...pythonFiles(path.join(dir, 'skene_retention')), path.join(dir, 'rqapi/__init__.py')]) {
      if (file.endsWith('skene_runtime.py')) continue; // the runtime's own driver use is issue 12 item 1 (skene_runtime.py)
      assert.doesNotMatch(readFileSync(file, 'utf8'), /^\s*(import|from)\s+(celery|psycopg2?)\b/m, file);
    }
  });

  test('the model edit keeps to 88 columns and the import to its isort place', () => {
    const models = readFileSync(path.join(dir, 'accounts/models.py'), 'utf8');
    assert.ok(models.split('\n').every((line) => line.length <= 88), models);
    assert.match(models, /^from django\.db import models\nfrom django\.utils import timezone\n\n\nclass User/m);
  });

  test('migrate, back to accounts 0001, forward again', async () => {
    const column = async () => (await sql(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts_user' AND column_name = 'last_activity_at'")).length;
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.equal(await column(), 1);
    const index = await sql<{ indexdef: string }>(url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'accounts_user' AND indexdef LIKE '%last_activity_at%'");
    assert.equal(index.length, 1);
    ok(await runManage(dir, ['migrate', 'skene_retention', 'zero', '--no-input'], env));
    ok(await runManage(dir, ['migrate', 'accounts', '0001', '--no-input'], env));
    assert.equal(await column(), 0);
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.equal(await column(), 1);
  });

  test('activity counts a DRF token request, an API layer forked from an early DRF, a view that deletes request.user (saleor), and a Django login', async () => {
    const setup = 'from rest_framework.authtoken.models import Token\nfor name in ("api", "web", "legacy", "graph"):\n    u = User.objects.create_user(name, name + "@example.com", "pw")\n    User.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=30))\nprint(json.dumps([Token.objects.create(user=User.objects.get(username=n)).key for n in ("api", "legacy", "graph")]))';
    const [key, legacyKey, graphKey] = lastJson(await py(setup)) as [string, string, string];
    const read = async (name: string) => (await sql<{ at: Date }>(url, 'SELECT last_activity_at AS at FROM accounts_user WHERE username = $1', [name]))[0]?.at.getTime() ?? 0;
    const stale = Date.now() - 29 * 86_400_000;
    assert.ok(await read('api') < stale);
    const api = `from django.test import Client\nprint(json.dumps(Client().get("/api/me/", HTTP_AUTHORIZATION="Token ${key}").status_code))`;
    assert.equal(lastJson(await py(api)), 200);
    assert.ok(await read('api') > stale, 'the token-authenticated API request counts as activity');
    assert.ok(await read('web') < stale);
    // taiga's API layer keeps the user on its own request; Django's request.user stays anonymous.
    assert.ok(await read('legacy') < stale);
    const legacy = `from django.test import Client\nprint(json.dumps(Client().get("/api/legacy/me/", HTTP_AUTHORIZATION="Token ${legacyKey}").status_code))`;
    assert.equal(lastJson(await py(legacy)), 200);
    assert.ok(await read('legacy') > stale, 'the request its own API layer authenticated counts as activity');
    // saleor's GraphQL view: request.user replaced by a lazy user, then deleted; the user stays in _cached_user.
    assert.ok(await read('graph') < stale);
    const graph = (query: string, auth: string) => `from django.test import Client\nprint(json.dumps(Client().get("/api/graphql/me/${query}"${auth}).status_code))`;
    assert.equal(lastJson(await py(graph('', `, HTTP_AUTHORIZATION="Token ${graphKey}"`))), 200);
    assert.ok(await read('graph') > stale, 'the user a view cached in request._cached_user counts as activity');
    // Anonymous, with the lazy None left on the request: no error, nobody touched.
    assert.equal(lastJson(await py(graph('?keep=1', ''))), 200);
    assert.ok(await read('web') < stale);
    assert.equal(lastJson(await py('from django.test import Client\nprint(json.dumps(Client().login(username="web", password="pw")))')), true);
    assert.ok(await read('web') > stale, 'the login (user_logged_in) counts as activity');
  });

  test('manage.py skene_run runs the loop (dry run: nothing written)', async () => {
    const dry = ok(await runManage(dir, ['skene_run', '--dry-run'], env));
    assert.equal(JSON.parse(dry.stdout.trim().split('\n').pop() ?? '{}').status, 'dry_run');
  });
});

describe('skene init on spaboard (SQLite by default, PostgreSQL by DB=postgres, BASE_PATH include, SPA catch-all)', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  let init = { code: -1, stdout: '', stderr: '' };

  before(async () => {
    [cluster, dir] = await Promise.all([startPostgres(), copyProject(path.join(FIXTURES, 'spaboard'))]);
    url = await cluster.createDatabase('app');
    env = { ...djangoDbEnv(cluster, 'app'), DJANGO_SETTINGS_MODULE: 'boardsite.settings', DB: 'postgres', BASE_PATH: 'board/' };
    init = await initProject(dir, { yes: true });
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  });

  test('accepted (PostgreSQL when DB=postgres), no new Ruff finding, Django checks pass', async () => {
    assert.equal(init.code, 0, init.stdout);
    assert.match(init.stdout, /runs on PostgreSQL when DB=postgres/);
    assert.doesNotMatch(init.stdout, /Ruff with the project's settings/);
    assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  });

  test("the pnpm workspace is untouched: same package.json and lockfile, and pnpm install --frozen-lockfile passes", async () => {
    for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml']) {
      assert.equal(readFileSync(path.join(dir, file), 'utf8'), readFileSync(path.join(FIXTURES, 'spaboard', file), 'utf8'), file);
    }
    // The runner brings its own package.json in skene/, outside the workspace's packages.
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'skene/package.json'), 'utf8')).name, 'skene-runner');
    const install = await runProcess(PNPM, ['install', '--frozen-lockfile', '--offline'], { cwd: dir, env: { ...process.env, CI: '1' }, timeoutMs: 120_000 });
    assert.equal(install.code, 0, install.stdout + install.stderr);
  });

  test('the unsubscribe route sits under BASE_PATH, before the catch-all, with the include the file imports', async () => {
    const urls = readFileSync(path.join(dir, 'boardsite/urls.py'), 'utf8');
    assert.match(urls, /^from django\.conf\.urls import include\nfrom django\.urls import path, re_path\n/m);
    assert.match(urls, /path\("skene\/", include\("skene_retention\.urls"\)\),\n {4}# The single-page app answers every other path\.\n {4}re_path/);
    const resolved = 'from django.urls import resolve, reverse\nu = reverse("skene_retention:unsubscribe")\nprint(json.dumps([u, resolve(u).func.__module__]))';
    assert.deepEqual(lastJson(await runDjangoPython(dir, SETUP + resolved, env)), ['/board/skene/unsubscribe/', 'skene_retention.views']);
  });

  test('on PostgreSQL: migrate, back to zero, forward again', async () => {
    const ledger = async () => (await sql(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'skene_send_ledger'")).length;
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.equal(await ledger(), 1);
    ok(await runManage(dir, ['migrate', 'skene_retention', 'zero', '--no-input'], env));
    assert.equal(await ledger(), 0);
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.equal(await ledger(), 1);
  });

  test('on SQLite (the default): migrate works and says what PostgreSQL-only SQL it skipped', async () => {
    const sqliteEnv = { ...env, DB: '', SQLITE_PATH: path.join(dir, 'dev.sqlite3') };
    const result = ok(await runManage(dir, ['migrate', '--no-input'], sqliteEnv));
    assert.match(result.stdout, /Skene: skipped the send ledger tables \(PostgreSQL only; this database is sqlite\)/);
    ok(await runManage(dir, ['migrate', 'skene_retention', 'zero', '--no-input'], sqliteEnv));
  });
});
