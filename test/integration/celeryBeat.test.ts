/**
 * The generated project under a real `celery beat` and `celery worker` (Redis broker, PostgreSQL 15):
 * the loop's beat entry fires the task on a per-minute schedule, the task emails exactly the dormant users
 * through the fake Resend, and the next minute's run sends nothing again.
 *
 * The schedule is made per-minute the way a user would: edit the cron in skene.config.ts and re-run
 * `skene init --yes`, so CELERY_BEAT_SCHEDULE and loops.json follow. The loop's time zone is the project's
 * TIME_ZONE, which is also CELERY_TIMEZONE in examples/saas, so the generator writes an exact
 * crontab (not the hourly entry + window_minutes it writes when the two zones differ).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DJANGO_PYTHON, copyProject, djangoDbEnv, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { startRedis, type RedisServer } from '../helpers/redis';
import { runProcess } from '../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { ok, sql } from './initHarness';

const REPO = path.resolve(__dirname, '../..');
const LOOP = 'dormant-users';
/** [username, days since last activity, active]: dormant = inactive for more than 7 days and is_active. */
const USERS: Array<[string, number, boolean]> = [
  ['dormant1', 30, true], ['dormant2', 20, true], ['dormant3', 9, true], ['dormant4', 12, true], ['dormant5', 40, true],
  ['active1', 1, true], ['active2', 3, true], ['gone', 30, false],
];
const DORMANT = USERS.filter(([, days, active]) => active && days > 7).map(([name]) => `${name}@example.com`).sort();

interface Service {
  child: ChildProcess;
  output: () => string;
}

/** A long-running Python process in its own process group, so after() can end it and its children. */
function startService(args: string[], cwd: string, env: Record<string, string>): Service {
  const child = spawn(DJANGO_PYTHON, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

async function stopService(service: Service | undefined): Promise<void> {
  const child = service?.child;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => { try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* already gone */ } }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
async function waitFor<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>, diagnostics: () => string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}\n${diagnostics()}`);
}

interface RunRow {
  id: string;
  scheduled_at: Date;
  runtime: string;
  status: string;
  sent: number;
  reason: string | null;
}

describe('celery beat + worker fire the generated task every minute', () => {
  let cluster: PostgresCluster;
  let redis: RedisServer;
  let fake: FakeResend;
  let dir: string;
  let scheduleDir: string;
  let url: string;
  let env: Record<string, string>;
  let worker: Service | undefined;
  let beat: Service | undefined;
  const logs = () => `--- worker ---\n${worker?.output().slice(-4000) ?? ''}\n--- beat ---\n${beat?.output().slice(-2000) ?? ''}`;
  const runs = () => sql<RunRow>(url, 'SELECT id::text, scheduled_at, runtime, status, sent, reason FROM skene_run WHERE loop_id = $1 ORDER BY scheduled_at', [LOOP]);

  before(async () => {
    [cluster, redis, dir, scheduleDir, fake] = await Promise.all([startPostgres(), startRedis(), copyProject(), makeTempDir('skene-beat-'), startFakeResend({ apiKey: 're_test' })]);
    url = await cluster.createDatabase('saas');
    env = {
      ...djangoDbEnv(cluster, 'saas'),
      DJANGO_SETTINGS_MODULE: 'config.settings.dev',
      CELERY_BROKER_URL: redis.url,
      RESEND_BASE_URL: fake.url,
      RESEND_API_KEY: 're_test',
      SKENE_SECRET: 'beat-test-secret',
      SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/',
      // CI runs as root; Celery only refuses root with pickle, but says so loudly without this.
      C_FORCE_ROOT: '1',
    };
  });

  after(async () => {
    await Promise.all([stopService(worker), stopService(beat)]);
    await Promise.all([cluster?.stop(), redis?.stop(), fake?.stop()]);
    if (dir) await removeTempDir(dir);
    if (scheduleDir) await removeTempDir(scheduleDir);
  });

  test('skene init, then the cron edited to every minute and init re-run, registers a per-minute beat entry', async () => {
    const init = () => runProcess(process.execPath, ['--import', 'tsx', 'cli/cli.ts', 'init', dir, '--yes'], { cwd: REPO });
    ok(await init());
    const configFile = path.join(dir, 'skene.config.ts');
    const config = readFileSync(configFile, 'utf8');
    assert.match(config, /cron: '0 9 \* \* \*', timezone: 'Europe\/Paris'/);
    writeFileSync(configFile, config.replace("cron: '0 9 * * *'", "cron: '* * * * *'"));
    ok(await init());

    const settings = readFileSync(path.join(dir, 'config/settings/base.py'), 'utf8');
    const entry = settings.slice(settings.indexOf('"skene-dormant-users": {'), settings.indexOf('},', settings.indexOf('"skene-dormant-users": {')));
    assert.equal(entry, '"skene-dormant-users": {\n        "task": "skene_retention.run_loop",\n        "schedule": crontab(),\n        "args": ("dormant-users",),\n    ');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'skene_retention/loops.json'), 'utf8'));
    assert.deepEqual([manifest.loops[0].cron, manifest.loops[0].timezone], ['* * * * *', 'Europe/Paris']);
  });

  test('migrate and seed users', async () => {
    ok(await runManage(dir, ['migrate', '--no-input'], env));
    for (const [name, days, active] of USERS) {
      await sql(url, `INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, company, timezone, stripe_customer_id, marketing_opt_in, last_activity_at)
        VALUES ('!', false, $1, $1, '', $2, false, $3, now() - interval '60 days', '', 'UTC', '', false, now() - make_interval(days => $4))`, [name, `${name}@example.com`, active, days]);
    }
    const audience = await sql<{ n: number }>(url, "SELECT count(*)::int AS n FROM accounts_user WHERE is_active AND last_activity_at < now() - interval '7 days'");
    assert.equal(audience[0]?.n, DORMANT.length);
  });

  test('beat fires the task, the worker emails exactly the dormant users, and the next minute sends nothing again', async () => {
    worker = startService(['-m', 'celery', '-A', 'config', 'worker', '--loglevel=INFO', '--pool=solo', '--without-gossip', '--without-mingle', '--without-heartbeat'], dir, env);
    beat = startService(['-m', 'celery', '-A', 'config', 'beat', '--loglevel=INFO', '--schedule', path.join(scheduleDir, 'celerybeat-schedule'), '--pidfile', path.join(scheduleDir, 'beat.pid')], dir, env);

    // The first per-minute tick after start: up to a minute away, plus worker start-up.
    const first = await waitFor('the first run to finish', 100_000, async () => {
      const rows = await runs();
      return rows.length >= 1 && rows[0]?.status !== 'running' ? rows[0] : undefined;
    }, logs);
    assert.deepEqual([first.runtime, first.status, first.reason], ['python', 'succeeded', null], logs());
    assert.equal(first.scheduled_at.getUTCSeconds(), 0, 'the tick is the minute the cron fired');
    assert.match(beat.output(), /Scheduler: Sending due task skene-dormant-users \(skene_retention\.run_loop\)/);

    // The default holdout keeps some dormant users out on purpose: they get a held_out row and no email.
    const ledger = await sql<{ email: string; status: string }>(url, 'SELECT u.email, l.status FROM skene_send_ledger l JOIN accounts_user u ON u.id::text = l.user_id ORDER BY u.email');
    assert.deepEqual(ledger.map((r) => r.email), DORMANT, 'one ledger row per dormant user, no one else');
    const emailed = ledger.filter((r) => r.status === 'sent').map((r) => r.email);
    assert.deepEqual(ledger.filter((r) => r.status !== 'sent' && r.status !== 'held_out'), []);
    assert.ok(emailed.length > 0, JSON.stringify(ledger));
    const delivered = () => fake.uniqueEmails().map((e) => e.to.join(',')).sort();
    assert.deepEqual(delivered(), emailed);
    assert.equal(first.sent, emailed.length);

    const second = await waitFor('the next minute\'s run to finish', 75_000, async () => {
      const rows = await runs();
      return rows.length >= 2 && rows[1]?.status !== 'running' ? rows[1] : undefined;
    }, logs);
    assert.deepEqual([second.runtime, second.status, second.sent], ['python', 'succeeded', 0], logs());
    assert.equal(second.scheduled_at.getTime() - first.scheduled_at.getTime(), 60_000);
    assert.deepEqual(delivered(), emailed, 'no duplicates on the next tick');
    assert.equal(fake.requests.filter((r) => r.status === 200).length, fake.requests.length);
  });
});
