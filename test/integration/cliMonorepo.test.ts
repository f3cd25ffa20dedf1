/**
 * Every CLI command run from the root of a monorepo (Django in backend/, a frontend beside it) works on the
 * project below it, through the one project discovery: init writes into backend/ and says "cd backend && python
 * manage.py migrate"; analyze, check, run, report and doctor find backend/skene.config.ts from the root. With a
 * second Django project the commands list both and take --project; the one with skene.config.ts is still chosen.
 * The real CLI (node + tsx) runs as a subprocess; PostgreSQL 15 is a throw-away cluster; Django is Debian's.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { djangoDbEnv, EXAMPLE_PROJECT_DIR, runManage } from '../helpers/django';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { ok } from './initHarness';

const REPO = path.resolve(__dirname, '../..');
/** tsx by absolute URL: the CLI runs with the monorepo as its working folder, where no node_modules is. */
const TSX = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

describe('every skene command from a monorepo root', () => {
  let cluster: PostgresCluster;
  let mono: string;
  let env: Record<string, string>;

  const skene = (args: string[], extraEnv: Record<string, string> = {}) =>
    runProcess(process.execPath, ['--import', TSX, path.join(REPO, 'cli/cli.ts'), ...args], {
      cwd: mono,
      env: { ...process.env, ...env, ...extraEnv, DJANGO_SETTINGS_MODULE: '' },
      timeoutMs: 120_000,
    });

  before(async () => {
    [cluster, mono] = await Promise.all([startPostgres(), makeTempDir('skene-mono-')]);
    await cp(EXAMPLE_PROJECT_DIR, path.join(mono, 'backend'), { recursive: true, filter: (s) => !s.includes('__pycache__') });
    await mkdir(path.join(mono, 'frontend'));
    await writeFile(path.join(mono, 'frontend/package.json'), '{"name": "web"}\n');
    await writeFile(path.join(mono, 'package.json'), '{"name": "mono", "private": true}\n');
    const url = await cluster.createDatabase('saas');
    env = { DATABASE_URL: url, SKENE_EMAIL_PROVIDER: 'log', RESEND_API_KEY: '' };
    const init = await skene(['init', '--yes']);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /Next: cd backend && python manage\.py migrate, then npx skene-django check\./);
    ok(await runManage(path.join(mono, 'backend'), ['migrate', '--no-input'], { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' }));
  });

  after(async () => {
    await cluster?.stop();
    if (mono) await removeTempDir(mono);
  });

  test('init wrote into backend/', async () => {
    const listing = await runProcess('ls', [path.join(mono, 'backend')]);
    assert.match(listing.stdout, /^skene\.config\.ts$/m);
    const root = await runProcess('ls', [mono]);
    assert.doesNotMatch(root.stdout, /skene\.config\.ts/);
  });

  test('analyze', async () => {
    const result = await skene(['analyze', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { root: string }).root, path.join(mono, 'backend'));
  });

  test('check', async () => {
    const result = await skene(['check']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.stdout, 'backend/skene.config.ts: no problems found\n');
  });

  test('run --once --dry-run', async () => {
    const result = await skene(['run', '--dry-run']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stderr, /no skene\.config\.ts/);
  });

  test('report', async () => {
    const result = await skene(['report', '--json']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(Array.isArray((JSON.parse(result.stdout) as { loops: unknown[] }).loops));
  });

  test('doctor', async () => {
    const result = await skene(['doctor']);
    // No Resend key here: that check fails; the config (named by its folder), manifest, database and tables are found from the root.
    assert.match(result.stdout, /^\[ok\] {3}Config: backend\/skene\.config\.ts is valid/m);
    assert.match(result.stdout, /^\[ok\] {3}Loop manifest: /m);
    assert.match(result.stdout, /^\[ok\] {3}Skene's tables: /m);
  });

  test('a second Django project: listed, chosen with --project; the configured one stays the default', async () => {
    const api = path.join(mono, 'services/api');
    await mkdir(path.join(api, 'api_conf'), { recursive: true });
    await writeFile(path.join(api, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "api_conf.settings")\n');
    await writeFile(path.join(api, 'api_conf/__init__.py'), '');
    await writeFile(path.join(api, 'api_conf/settings.py'), 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n');
    // Only backend/ has skene.config.ts: every command still takes it.
    const analyze = await skene(['analyze', '--json']);
    assert.equal(analyze.code, 0, analyze.stderr);
    assert.equal((JSON.parse(analyze.stdout) as { root: string }).root, path.join(mono, 'backend'));
    assert.equal((await skene(['check'])).code, 0);
    // --project picks the other one, before or after the command name.
    for (const args of [['--project', 'services/api', 'analyze', '--json'], ['analyze', '--json', '--project', 'services/api']]) {
      const other = await skene(args);
      assert.equal(other.code, 0, other.stderr);
      assert.equal((JSON.parse(other.stdout) as { root: string }).root, api);
    }
    // With no config in either, the commands list both projects and say how to choose.
    await cp(path.join(mono, 'backend/skene.config.ts'), path.join(mono, 'backend/skene.config.ts.bak'));
    await runProcess('rm', [path.join(mono, 'backend/skene.config.ts')]);
    try {
      for (const command of ['analyze', 'check', 'init', 'run', 'report', 'doctor']) {
        const result = await skene([command]);
        assert.notEqual(result.code, 0, command);
        assert.match(result.stdout + result.stderr, /2 Django projects found in .*:\n {2}backend\n {2}services\/api\nChoose one with --project PATH/, command);
      }
    } finally {
      await runProcess('mv', [path.join(mono, 'backend/skene.config.ts.bak'), path.join(mono, 'backend/skene.config.ts')]);
    }
  });
});
