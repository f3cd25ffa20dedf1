/**
 * `skene run` on an initialized copy of examples/saas, migrated by Django on a throw-away PostgreSQL 15,
 * sending to the fake Resend: exactly the dormant users once, nothing on a second run, a dry run that lists
 * the same candidates and writes nothing, the watch mode's ticks and stop, and the usage/config refusals.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runRun } from '../../cli/commands/run';
import type { CommandIo } from '../../cli/run/commandIo';
import type { Scheduler } from '../../cli/run/watchLoops';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, initProject, ok, sql } from './initHarness';

interface Captured {
  io: CommandIo;
  out: () => string;
  err: () => string;
  stop: (signal: string) => void;
}

function captureIo(env: NodeJS.ProcessEnv, isTTY = false): Captured {
  let out = '';
  let err = '';
  let handler: ((signal: string) => void) | null = null;
  const io: CommandIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    isTTY,
    unicode: false,
    env,
    onStopSignal: (h) => {
      handler = h;
      return () => void (handler = null);
    },
  };
  return { io, out: () => out, err: () => err, stop: (signal) => handler?.(signal) };
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const USERS: Array<[string, string, number, boolean]> = [
  ['dormant1', 'Ann', 30, true],
  ['dormant2', 'Bo', 12, true],
  ['dormant3', '', 8, true],
  ['active1', 'Cy', 1, true],
  ['gone', 'Di', 30, false],
];

describe('skene run on examples/saas', () => {
  let cluster: PostgresCluster;
  let fake: FakeResend;
  let dir: string;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    [cluster, dir, fake] = await Promise.all([startPostgres(), copyProject(), startFakeResend({ apiKey: 're_test' })]);
    url = await cluster.createDatabase('saas');
    const django = { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' };
    ok(await initProject(dir, { yes: true }));
    ok(await runManage(dir, ['migrate', '--no-input'], django));
    const create = USERS.map(([u, first, days, active]) => `u = User.objects.create_user(${JSON.stringify(u)}, "${u}@example.com", "pw", first_name=${JSON.stringify(first)}, is_active=${active ? 'True' : 'False'})\nUser.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=${days}))`).join('\n');
    ok(await runDjangoPython(dir, `${SETUP}from datetime import timedelta\nfrom django.utils import timezone\nfrom accounts.models import User\n${create}`, django));
    env = { PATH: process.env.PATH ?? '', DATABASE_URL: url, RESEND_API_KEY: 're_test', RESEND_BASE_URL: fake.url, SKENE_SECRET: 'test-secret', SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/' };
  });

  after(async () => {
    await Promise.all([cluster?.stop(), fake?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  const ledgerCount = async () => Number((await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM skene_send_ledger'))[0]?.n);
  const runCount = async () => Number((await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM skene_run'))[0]?.n);
  const listed = (out: string) => [...out.matchAll(/^ {2}\d+\t(\S+)$/gm)].map((m) => m[1]).sort();
  const dormant = ['dormant1@example.com', 'dormant2@example.com', 'dormant3@example.com'];

  test('--dry-run lists the dormant users and writes nothing, calls no provider', async () => {
    const c = captureIo(env);
    assert.equal(await runRun(dir, { dryRun: true }, c.io), 0, c.err());
    assert.deepEqual(listed(c.out()), dormant);
    assert.match(c.out(), /dormant-users: dry run \(nothing written, nothing sent\)/);
    assert.match(c.out(), /candidates 3 · would claim 3 · sent 0 · skipped 0 · deferred 0 · failed 0/);
    assert.deepEqual([await ledgerCount(), await runCount(), fake.requests.length], [0, 0, 0]);
  });

  test('--once emails exactly the dormant users, one email each', async () => {
    const c = captureIo(env);
    assert.equal(await runRun(dir, { once: true }, c.io), 0, c.err());
    assert.deepEqual(fake.uniqueEmails().map((e) => e.to.join(',')).sort(), dormant);
    assert.equal(fake.requests.length, 1, 'three emails fit one batch request');
    assert.match(c.out(), /^\[skene\] dormant-users: request \S+ · 3 email\(s\) · sent 3 failed 0$/m);
    assert.match(c.out(), /dormant-users: succeeded \(tick \d{4}-\d\d-\d\dT\d\d:00:00\.000Z\)\n {2}candidates 3 · claimed 3 · sent 3 · skipped 0 · deferred 0 · failed 0 · \d+\.\d s\n/);
    assert.equal(await ledgerCount(), 3);
  });

  test('a second --once in the same tick sends nothing', async () => {
    const c = captureIo(env);
    assert.equal(await runRun(dir, { once: true }, c.io), 0, c.err());
    assert.match(c.out(), /dormant-users: skipped — tick \S+ already claimed/);
    assert.equal(fake.uniqueEmails().length, 3);
    assert.equal(await ledgerCount(), 3);
  });

  test('--dry-run after the run lists the same candidates and leaves the ledger as it was', async () => {
    const [ledgerBefore, runsBefore] = [await ledgerCount(), await runCount()];
    const c = captureIo(env);
    assert.equal(await runRun(dir, { dryRun: true }, c.io), 0, c.err());
    assert.deepEqual(listed(c.out()), dormant);
    assert.match(c.out(), /candidates 3 · would claim 0 · sent 0 · skipped 3 \(already_sent 3\)/);
    assert.deepEqual([await ledgerCount(), await runCount(), fake.uniqueEmails().length], [ledgerBefore, runsBefore, 3]);
  });

  test('without --once (on a terminal): runs at each tick until stopped; a newly dormant user is emailed at the next tick, with a progress bar', async () => {
    let fire: ((at: Date) => void) | null = null;
    let stopped = false;
    const scheduler: Scheduler = (_cron, _tz, f) => {
      fire = f;
      return { stop: () => void (stopped = true), next: () => new Date('2099-01-01T08:00:00Z') };
    };
    const c = captureIo(env, true);
    const exit = runRun(dir, {}, c.io, { scheduler, forceExit: () => assert.fail('no forced exit') });
    await waitFor('the start-up run', () => c.out().includes('Waiting for the next tick'));
    assert.match(c.out(), /dormant-users: skipped — tick \S+ already claimed/);
    await sql(url, "UPDATE accounts_user SET last_activity_at = now() - interval '9 days' WHERE username = 'active1'");
    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    (fire as unknown as (at: Date) => void)(tomorrow);
    await waitFor('the next tick', () => (c.out().match(/Waiting for the next tick/g) ?? []).length === 2);
    assert.match(c.out(), /candidates 4 · claimed 1 · sent 1 · skipped 3 \(already_sent 3\)/);
    // The bar's total comes from a dry pass (1 email to send); it is redrawn in place and cleared at the end.
    assert.match(c.out(), /\r\x1b\[2Kdormant-users \[#{24}\] 1\/1 sent · 0 not accepted · \d+\.\d\/s\r\x1b\[2K/);
    c.stop('SIGTERM');
    assert.equal(await exit, 0);
    assert.equal(stopped, true);
    assert.deepEqual(fake.uniqueEmails().map((e) => e.to.join(',')).sort(), ['active1@example.com', ...dormant]);
  });

  test('a config with an error is refused with the checker\'s report (exit 1)', async () => {
    const file = path.join(dir, 'skene.config.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace("cron: '0 9 * * *'", "cron: '0 25 * * *'"));
    try {
      const c = captureIo(env);
      assert.equal(await runRun(dir, { once: true }, c.io), 1);
      assert.match(c.err(), /skene\.config\.ts:\d+:\d+: error \S+: .*\n.*0 25 \* \* \*/);
      assert.match(c.err(), /skene run: not started: 1 thing to fix first .*\n\[FAIL\] Config: skene\.config\.ts has 1 error\(s\) \(line \d+: /);
      assert.equal(c.out(), '');
    } finally {
      writeFileSync(file, original);
    }
  });

  test('missing DATABASE_URL: exit 2 naming it (through the CLI)', async () => {
    const { DATABASE_URL: _unused, ...rest } = env;
    const tsx = path.resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs');
    const result = await runProcess(process.execPath, ['--import', tsx, path.resolve(__dirname, '../../cli/cli.ts'), 'run', dir, '--once'], { env: rest });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr,
      'skene run: not started: 1 thing to fix first (`skene doctor` checks these and the database, Resend and beat):\n' +
        '[FAIL] DATABASE_URL: is not set\n' +
        '       fix: export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME (the database of Django\'s DATABASES["default"])\n',
    );
  });

  test('an unreachable database: the loop fails with the connection error (exit 1)', async () => {
    const c = captureIo({ ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(await runRun(dir, { once: true }, c.io), 1);
    assert.match(c.err(), /^skene run: dormant-users: .*ECONNREFUSED/);
  });

  test('every missing or invalid setting in one message, in the order they are fixed: exit 2, nothing run', async () => {
    const c = captureIo({ ...env, DATABASE_URL: 'mysql://app@localhost/app', RESEND_API_KEY: '', SKENE_UNSUBSCRIBE_URL: 'app.example.com/unsubscribe', SKENE_SECRET: '' });
    assert.equal(await runRun(dir, { once: true }, c.io), 2);
    const named = [...c.err().matchAll(/^\[FAIL\] ([A-Z_]+): (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    assert.deepEqual(named, [
      'DATABASE_URL: is not a postgres:// or postgresql:// URL',
      'RESEND_API_KEY: is not set (the resend provider needs it)',
      'SKENE_UNSUBSCRIBE_URL: "app.example.com/unsubscribe" is not an http(s) URL',
      'SKENE_SECRET: is not set: it signs the unsubscribe link every email carries',
    ]);
    assert.match(c.err(), /^skene run: not started: 4 things to fix first/);
    assert.equal((c.err().match(/^ {7}fix: /gm) ?? []).length, 4, 'each has its fix');
    assert.equal(c.out(), '');
  });

  test('a dry run needs the database only; the log provider needs no Resend key or unsubscribe URL', async () => {
    const dry = captureIo({ PATH: env.PATH });
    assert.equal(await runRun(dir, { dryRun: true }, dry.io), 2);
    assert.deepEqual([...dry.err().matchAll(/^\[FAIL\] (\S+):/gm)].map((m) => m[1]), ['DATABASE_URL']);
    const log = captureIo({ PATH: env.PATH, DATABASE_URL: env.DATABASE_URL, SKENE_EMAIL_PROVIDER: 'log' });
    assert.equal(await runRun(dir, { once: true }, log.io), 2);
    assert.deepEqual([...log.err().matchAll(/^\[FAIL\] (\S+):/gm)].map((m) => m[1]), ['SKENE_SECRET']);
  });
});
