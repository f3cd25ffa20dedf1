/**
 * `skene doctor` on an initialized, migrated copy of examples/saas (PostgreSQL 15 + the fake Resend):
 * every check passes, and each miss (no DATABASE_URL, not migrated, a key Resend rejects, an unverified
 * sender domain, a config error) prints its fix and exits 1.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDoctor } from '../../cli/commands/doctor';
import type { CommandIo } from '../../cli/run/commandIo';
import { copyProject, djangoDbEnv, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { initProject, ok, sql } from './initHarness';

const FIXTURES = path.resolve(__dirname, '../fixtures/init');

async function doctor(dir: string, env: NodeJS.ProcessEnv, unicode = false): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CommandIo = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), isTTY: unicode, unicode, env, onStopSignal: () => () => undefined };
  const code = await runDoctor(dir, io);
  return { code, out: out.replace(/PostgreSQL 15\.\d+/g, 'PostgreSQL 15.x').replace(/127\.0\.0\.1:\d+/g, 'HOST:PORT') };
}

describe('skene doctor on examples/saas', () => {
  let cluster: PostgresCluster;
  let verified: FakeResend;
  let pending: FakeResend;
  let dir: string;
  let env: Record<string, string>;
  let emptyUrl: string;

  before(async () => {
    [cluster, dir, verified, pending] = await Promise.all([
      startPostgres(),
      copyProject(),
      startFakeResend({ apiKey: 're_test', domains: [{ name: 'acme.example', status: 'verified' }] }),
      startFakeResend({ apiKey: 're_test', domains: [{ name: 'acme.example', status: 'pending' }, { name: 'other.example', status: 'verified' }] }),
    ]);
    const url = await cluster.createDatabase('saas');
    emptyUrl = await cluster.createDatabase('empty');
    ok(await initProject(dir, { yes: true }));
    ok(await runManage(dir, ['migrate', '--no-input'], { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' }));
    env = { DATABASE_URL: url, RESEND_API_KEY: 're_test', RESEND_BASE_URL: verified.url };
  });

  after(async () => {
    await Promise.all([cluster?.stop(), verified?.stop(), pending?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  test('a migrated project with an accepted key and a verified domain passes every check', async () => {
    const { code, out } = await doctor(dir, env);
    assert.equal(code, 0, out);
    assert.equal(out, [
      '[ok]   Config: skene.config.ts is valid (loop dormant-users)',
      '[ok]   Loop manifest: skene_retention/loops.json matches skene.config.ts',
      '[ok]   Database: PostgreSQL 15.x at HOST:PORT/saas',
      "[ok]   Skene's tables: skene_send_ledger, skene_tick, skene_run, skene_suppression and accounts_user.last_activity_at are there",
      '[ok]   Beat schedule: skene-dormant-users in config/settings/base.py (run one `celery beat` with the workers)',
      '[ok]   Resend API key: accepted by http://HOST:PORT (1 domain)',
      '[ok]   Sender domain: acme.example verified',
      '',
      'All 7 checks passed.',
      '',
    ].join('\n'));
    assert.deepEqual(verified.requests.map((r) => [r.method, r.path, r.status]), [['GET', '/domains', 200]]);
  });

  test('a UTF-8 terminal gets ✓ and ✗ marks', async () => {
    const { out } = await doctor(dir, { ...env, RESEND_API_KEY: '' }, true);
    assert.match(out, /^✓ Config: /m);
    assert.match(out, /^✗ Resend API key: RESEND_API_KEY is not set\n {2}fix: create a key at https:\/\/resend\.com\/api-keys/m);
  });

  test('no DATABASE_URL: the database check fails with how to set it, dependent checks are skipped', async () => {
    const { code, out } = await doctor(dir, { ...env, DATABASE_URL: '' });
    assert.equal(code, 1);
    assert.match(out, /^\[FAIL\] Database: DATABASE_URL is not set\n {7}fix: export DATABASE_URL=postgres:\/\/USER:PASSWORD@HOST:5432\/DBNAME/m);
    assert.match(out, /^\[skip\] Skene's tables: not checked without a database connection$/m);
    assert.match(out, /\n1 of 7 checks failed\.\n$/);
  });

  test('an unmigrated database: the tables check names manage.py migrate', async () => {
    const { code, out } = await doctor(dir, { ...env, DATABASE_URL: emptyUrl });
    assert.equal(code, 1);
    assert.match(out, /^\[FAIL\] Skene's tables: missing skene_send_ledger, skene_tick, skene_run, skene_suppression\n {7}fix: python manage\.py migrate /m);
  });

  test('a key Resend rejects: the fix is a new key; the domain check is skipped', async () => {
    const before = verified.requests.length;
    const { code, out } = await doctor(dir, { ...env, RESEND_API_KEY: 're_wrong' });
    assert.equal(code, 1);
    assert.deepEqual(verified.requests.slice(before).map((r) => [r.path, r.status, r.errorName]), [['/domains', 403, 'invalid_api_key']]);
    assert.match(out, /^\[FAIL\] Resend API key: rejected by http:\/\/HOST:PORT \(403 invalid_api_key: API key is invalid\)\n {7}fix: create a new key at https:\/\/resend\.com\/api-keys/m);
    assert.match(out, /^\[skip\] Sender domain: not checked without an accepted Resend key$/m);
  });

  test('an unverified sender domain: the fix is its DNS records', async () => {
    const { code, out } = await doctor(dir, { ...env, RESEND_BASE_URL: pending.url });
    assert.equal(code, 1);
    assert.match(out, /^\[FAIL\] Sender domain: acme\.example is pending, not verified\n {7}fix: publish the DNS records shown at https:\/\/resend\.com\/domains for acme\.example/m);
    const { out: elsewhere } = await doctor(dir, { ...env, RESEND_BASE_URL: pending.url, DEFAULT_FROM_EMAIL: 'Acme <hi@unknown.example>' });
    assert.match(elsewhere, /^\[FAIL\] Sender domain: unknown\.example \(from "Acme <hi@unknown\.example>"\) is not in your Resend domains \(acme\.example, other\.example\)/m);
  });

  test('doctor runs the same gate as skene run: a hostile condition in the config, and one edited into loops.json, both fail', async () => {
    const file = path.join(dir, 'skene.config.ts');
    const manifestPath = path.join(dir, 'skene_retention', 'loops.json');
    const original = readFileSync(file, 'utf8');
    const originalManifest = readFileSync(manifestPath, 'utf8');
    try {
      writeFileSync(file, original.replace("last_activity_at < now() - interval '7 days'", "last_activity_at < now() - interval '7 days' AND pg_read_file('/etc/passwd') IS NOT NULL"));
      const config = await doctor(dir, env);
      assert.equal(config.code, 1);
      assert.match(config.out, /^\[FAIL\] Config: skene\.config\.ts has 1 error\(s\) \(line \d+: Function 'pg_read_file' is not allowed in a condition: it reads files on the database server\./m);
      writeFileSync(file, original);
      const manifest = JSON.parse(originalManifest) as { loops: Array<{ audience: { query: string } }> };
      const loop = manifest.loops[0];
      assert.ok(loop);
      loop.audience.query = `${loop.audience.query} AND pg_read_file('/etc/passwd') IS NOT NULL`;
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
      const tampered = await doctor(dir, env);
      assert.equal(tampered.code, 1);
      assert.match(tampered.out, /^\[FAIL\] Loop manifest: skene_retention\/loops\.json: loop dormant-users: the condition does not match its sha256 seal .*; both runtimes refuse to run it\n {7}fix: npx skene-django init/m);
    } finally {
      writeFileSync(file, original);
      writeFileSync(manifestPath, originalManifest);
    }
  });

  test('a config error and a stale loops.json each fail with their fix', async () => {
    const file = path.join(dir, 'skene.config.ts');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace("cron: '0 9 * * *'", "cron: '0 25 * * *'"));
      const broken = await doctor(dir, env);
      assert.equal(broken.code, 1);
      assert.match(broken.out, /^\[FAIL\] Config: skene\.config\.ts has 1 error\(s\) \(line \d+: .+\)\n {7}fix: npx skene-django check/m);
      writeFileSync(file, original.replace("interval '7 days'", "interval '14 days'"));
      const stale = await doctor(dir, env);
      assert.equal(stale.code, 1);
      assert.match(stale.out, /^\[FAIL\] Loop manifest: skene_retention\/loops\.json is out of date: loop 'dormant-users' changed \(audience\)\..*\n {7}fix: npx skene-django init/m);
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('skene doctor on a django-celery-beat project (test/fixtures/init/beatshop)', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let url: string;

  before(async () => {
    [cluster, dir] = await Promise.all([startPostgres(), copyProject(path.join(FIXTURES, 'beatshop'))]);
    url = await cluster.createDatabase('shop');
    ok(await initProject(dir, { yes: true }));
    ok(await runManage(dir, ['migrate', '--no-input'], { ...djangoDbEnv(cluster, 'shop'), DJANGO_SETTINGS_MODULE: 'shop.settings' }));
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  });

  const beatLine = (out: string) => out.split('\n').filter((line, i, all) => line.includes('Beat schedule') || all[i - 1]?.includes('Beat schedule'));

  test('the PeriodicTask row the schedule migration created counts; a disabled one is a miss', async () => {
    const env = { DATABASE_URL: url, SKENE_EMAIL_PROVIDER: 'log' };
    assert.deepEqual(beatLine((await doctor(dir, env)).out), ['[ok]   Beat schedule: django-celery-beat PeriodicTask for dormant-users (enabled)', '[skip] Resend API key: no loop sends with resend (SKENE_EMAIL_PROVIDER or the config chose another provider)']);
    await sql(url, "UPDATE django_celery_beat_periodictask SET enabled = false WHERE task = 'skene_retention.run_loop'");
    const disabled = await doctor(dir, env);
    assert.equal(disabled.code, 1);
    assert.deepEqual(beatLine(disabled.out), ['[FAIL] Beat schedule: PeriodicTask skene: dormant-users is disabled', '       fix: enable it in the Django admin (Periodic tasks)']);
  });
});
