/**
 * `skene init --yes` on examples/saas (custom accounts.User, events.Event, split settings, Celery with
 * CELERY_BEAT_SCHEDULE in settings), then the generated project on Django 3.2 and PostgreSQL 15.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, checkProject, initProject, lastJson, ok, planActions, sql } from './initHarness';

describe('skene init on examples/saas', () => {
  let cluster: PostgresCluster;
  let fake: FakeResend;
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  let firstRun: { code: number; stdout: string };

  before(async () => {
    [cluster, dir, fake] = await Promise.all([startPostgres(), copyProject(), startFakeResend({ apiKey: 're_test' })]);
    url = await cluster.createDatabase('saas');
    env = { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev', RESEND_BASE_URL: fake.url, RESEND_API_KEY: 're_test', SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/' };
    firstRun = await initProject(dir, { yes: true, agents: true });
  });

  after(async () => {
    await Promise.all([cluster?.stop(), fake?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  test('the first run creates Skene\'s files and edits the user model, settings and urls', () => {
    assert.equal(firstRun.code, 0, firstRun.stdout);
    const actions = planActions(firstRun.stdout);
    assert.deepEqual(
      Object.fromEntries(['skene.config.ts', 'accounts/models.py', 'accounts/migrations/0003_user_last_activity_at.py', 'config/settings/base.py', 'config/urls.py', 'skene_retention/migrations/0001_initial.py', 'skene_retention/tasks.py', 'skene_retention/loops.json', 'templates/skene/emails/re_engagement.html', '.cursor/rules/skene.mdc', 'skene/runner.ts', 'skene/package.json', 'package.json', 'AGENTS.md'].map((p) => [p, actions[p]])),
      { 'skene.config.ts': 'create', 'accounts/models.py': 'modify', 'accounts/migrations/0003_user_last_activity_at.py': 'create', 'config/settings/base.py': 'modify', 'config/urls.py': 'modify', 'skene_retention/migrations/0001_initial.py': 'create', 'skene_retention/tasks.py': 'create', 'skene_retention/loops.json': 'create', 'templates/skene/emails/re_engagement.html': 'create', '.cursor/rules/skene.mdc': 'create', 'skene/runner.ts': 'create', 'skene/package.json': 'create', 'package.json': undefined, 'AGENTS.md': 'create' },
    );
    assert.equal(Object.values(actions).filter((a) => a === 'conflict').length, 0);
    // An events table feeds activity: no middleware.
    assert.equal(actions['skene_retention/middleware.py'], undefined);
  });

  test('skene check finds no errors in the generated config against the initialized project', async () => {
    const { issues, loops } = await checkProject(dir);
    assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
    assert.equal(loops[0]?.manifest?.schedule.timezone, 'Europe/Paris');
  });

  test('manage.py check passes and makemigrations --check finds nothing to do', async () => {
    assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
    assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  });

  test('migrate, back to accounts 0002, and forward again', async () => {
    const tables = async () => (await sql<{ t: string }>(url, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'skene%' ORDER BY 1")).map((r) => r.t);
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.deepEqual(await tables(), ['skene_run', 'skene_send_ledger', 'skene_suppression', 'skene_tick']);
    ok(await runManage(dir, ['migrate', 'accounts', '0002', '--no-input'], env));
    assert.deepEqual(await tables(), []);
    const columns = await sql(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts_user' AND column_name = 'last_activity_at'");
    assert.equal(columns.length, 0);
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    assert.deepEqual(await tables(), ['skene_run', 'skene_send_ledger', 'skene_suppression', 'skene_tick']);
  });

  test('an event moves last activity forward, never backwards', async () => {
    ok(await runDjangoPython(dir, `${SETUP}from accounts.models import User\nUser.objects.create_user("trigger", "trigger@example.com", "pw")`, env));
    await sql(url, "UPDATE accounts_user SET last_activity_at = '2024-01-01T00:00:00Z' WHERE username = 'trigger'");
    const insert = (at: string) => sql(url, "INSERT INTO events_event (name, properties, created_at, user_id) SELECT 'visit', '{}', $1, id FROM accounts_user WHERE username = 'trigger'", [at]);
    const activity = async () => (await sql<{ at: Date }>(url, "SELECT last_activity_at AS at FROM accounts_user WHERE username = 'trigger'"))[0]?.at.toISOString();
    await insert('2024-03-01T10:00:00Z');
    assert.equal(await activity(), '2024-03-01T10:00:00.000Z');
    await insert('2024-02-01T10:00:00Z');
    assert.equal(await activity(), '2024-03-01T10:00:00.000Z');
  });

  test('Celery beat has the task daily at 09:00 Europe/Paris', async () => {
    const entry = lastJson(await runDjangoPython(dir, `${SETUP}from config.celery import app\ne = app.conf.beat_schedule["skene-dormant-users"]\ns = e["schedule"]\nprint(json.dumps({"task": e["task"], "args": list(e["args"]), "minute": sorted(s.minute), "hour": sorted(s.hour), "days": len(s.day_of_week), "tz": str(app.conf.timezone)}))`, env));
    assert.deepEqual(entry, { task: 'skene_retention.run_loop', args: ['dormant-users'], minute: [0], hour: [9], days: 7, tz: 'Europe/Paris' });
  });

  test('the loop query from skene.config.ts runs, and the task emails exactly the dormant users once', async () => {
    const create = [
      ['dormant1', 'Ann', 30, true], ['dormant2', '<b>Bo</b>', 20, true], ['dormant3', '', 8, true],
      ['active1', 'Cy', 1, true], ['gone', 'Di', 30, false],
    ].map(([u, first, days, active]) => `u = User.objects.create_user(${JSON.stringify(u)}, "${String(u)}@example.com", "pw", first_name=${JSON.stringify(first)}, is_active=${active ? 'True' : 'False'})\nUser.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=${Number(days)}))`).join('\n');
    ok(await runDjangoPython(dir, `${SETUP}from datetime import timedelta\nfrom django.utils import timezone\nfrom accounts.models import User\nUser.objects.filter(username="trigger").update(last_activity_at=timezone.now())\n${create}`, env));
    const { loops } = await checkProject(dir);
    const audience = await sql<{ email: string }>(url, `SELECT q.email FROM (${loops[0]?.manifest?.query ?? ''}) AS q ORDER BY 1`);
    assert.deepEqual(audience.map((r) => r.email), ['dormant1@example.com', 'dormant2@example.com', 'dormant3@example.com']);

    const run = `${SETUP}from skene_retention.tasks import run_loop\nprint(json.dumps(run_loop.apply(args=("dormant-users",)).get()))`;
    const summary = lastJson(await runDjangoPython(dir, run, env));
    assert.equal(summary.status, 'succeeded', JSON.stringify(summary));
    const emails = fake.uniqueEmails();
    assert.deepEqual(emails.map((e) => e.to.join(',')).sort(), ['dormant1@example.com', 'dormant2@example.com', 'dormant3@example.com']);
    const bo = emails.find((e) => e.to[0] === 'dormant2@example.com');
    assert.match(bo?.html ?? '', /Hi &lt;b&gt;Bo&lt;\/b&gt;,/);
    assert.match(emails.find((e) => e.to[0] === 'dormant3@example.com')?.text ?? '', /^Hi there,/);
    assert.equal(bo?.subject, 'It has been a while');
    assert.equal(bo?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');

    const again = lastJson(await runDjangoPython(dir, run.replace('print(json.dumps(run_loop.apply(args=("dormant-users",)).get()))', 'print(json.dumps(run_loop("dormant-users")))'), env));
    assert.equal(again.status, 'skipped', 'the tick is claimed: a second run (a second beat) sends nothing');
    assert.equal(fake.uniqueEmails().length, 3);
  });

  test('the TypeScript runner (skene/runner.ts on the vendored sdk) shares the ledger: only the newly dormant user is emailed', async () => {
    // Stand-in for `npm install` in skene/ (no registry in tests): link the
    // registry packages skene/package.json names into skene/node_modules.
    const modules = path.join(dir, 'skene', 'node_modules');
    mkdirSync(modules, { recursive: true });
    for (const name of ['zod', 'pg', 'libpg-query', 'pgsql-deparser']) symlinkSync(path.resolve(__dirname, '../../node_modules', name), path.join(modules, name));
    ok(await runDjangoPython(dir, `${SETUP}from datetime import timedelta\nfrom django.utils import timezone\nfrom accounts.models import User\nu = User.objects.create_user("dormant4", "dormant4@example.com", "pw", first_name="Eve")\nUser.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=12))`, env));
    await sql(url, 'DELETE FROM skene_tick'); // the next day's tick
    const tsx = path.resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs');
    const result = ok(await runProcess(process.execPath, ['--import', tsx, 'skene/runner.ts', '--once'], { cwd: dir, env: { ...process.env, ...env, SKENE_SECRET: 'test-secret' } }));
    const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
    assert.deepEqual([summary.status, summary.sent, summary.skipped], ['succeeded', 1, { already_sent: 3 }]);
    assert.deepEqual(fake.uniqueEmails().map((e) => e.to.join(',')).sort(), ['dormant1@example.com', 'dormant2@example.com', 'dormant3@example.com', 'dormant4@example.com']);
  });

  test('a second init changes nothing', async () => {
    const second = await initProject(dir, { dryRun: true });
    assert.equal(second.code, 0);
    const actions = Object.entries(planActions(second.stdout)).filter(([, action]) => action !== 'unchanged');
    assert.deepEqual(actions, []);
  });

  test('a generated file edited by the user is a conflict and is not overwritten without --yes', async () => {
    const tasks = path.join(dir, 'skene_retention/tasks.py');
    const edited = `${readFileSync(tasks, 'utf8')}\n# my change\n`;
    writeFileSync(tasks, edited);
    const plan = await initProject(dir, { dryRun: true });
    assert.equal(planActions(plan.stdout)['skene_retention/tasks.py'], 'conflict');
    const refused = await initProject(dir, {});
    assert.equal(refused.code, 1);
    assert.equal(readFileSync(tasks, 'utf8'), edited);
  });
});
