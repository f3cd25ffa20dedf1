/**
 * The smtp provider in both runtimes against a local SMTP sink (aiosmtpd): the TypeScript provider
 * (nodemailer) on its own, each SMTP outcome through the shared classifier, and the generated Celery task
 * with provider 'smtp' sending through Django's SMTP backend.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { classifyAnswer } from '../../sdk/runtime/classifyError';
import { emailBody } from '../../sdk/runtime/emailBody';
import { idempotencyKey } from '../../sdk/runtime/keys';
import { smtpMessageId, smtpProvider } from '../../sdk/runtime/providers/smtpProvider';
import type { ProviderResult } from '../../sdk/runtime/providers/provider';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { freePort } from '../helpers/freePort';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { startSmtpSink, type SmtpSink } from '../helpers/smtpSink';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, lastJson, ok, sql } from './initHarness';

const REPO = path.resolve(__dirname, '../..');
const FROM = 'Acme <hello@acme.example>';

function body(to: string, userId: string): string {
  return emailBody({
    loopId: 'dormant-users', userId, email: to, from: FROM, subject: 'It has been a while',
    html: '<p>Hi {{first_name}}, <a href="{{unsubscribe_url}}">unsubscribe</a></p>', text: 'Hi {{first_name}}\n{{unsubscribe_url}}\n',
    personalization: { first_name: '<Ann>' }, user: {}, unsubscribeBaseUrl: 'https://app.example.com/skene/unsubscribe/', secret: 's3cret',
  });
}

function outcome(result: ProviderResult): string {
  if (result.kind === 'network') return classifyAnswer({ networkError: result.error }).outcome;
  return classifyAnswer({ status: result.status, errorName: (result.json as { name?: string } | null)?.name }).outcome;
}

describe('smtp provider (TypeScript, nodemailer) against a local SMTP sink', () => {
  let sink: SmtpSink;
  let authSink: SmtpSink;
  before(async () => {
    [sink, authSink] = await Promise.all([startSmtpSink(), startSmtpSink({ auth: 'mailer:right' })]);
  });
  after(async () => {
    await Promise.all([sink?.stop(), authSink?.stop()]);
  });

  test('delivers the stored body with the unsubscribe headers and a Message-ID derived from the idempotency key', async () => {
    const provider = smtpProvider({ url: `smtp://${sink.host}:${sink.port}` });
    const key = idempotencyKey('dormant-users', 0, '1', '1700000000');
    const sent = JSON.parse(body('ann@example.com', '1')) as { headers: Record<string, string>; html: string; text: string };
    const result = await provider.send({ idempotencyKey: key, body: body('ann@example.com', '1'), count: 1 });
    const messageId = smtpMessageId(key, FROM);
    assert.match(messageId, /^<skene\.[0-9a-f]{40}@acme\.example>$/);
    assert.deepEqual(result, { kind: 'response', status: 200, headers: {}, json: { id: messageId } });
    const [message] = await sink.waitForMessages(1);
    assert.equal(sink.messages.length, 1);
    assert.deepEqual([message?.mailFrom, message?.rcptTos], ['hello@acme.example', ['ann@example.com']]);
    assert.deepEqual(
      [message?.headers['Message-ID'], message?.headers.Subject, message?.headers.From, message?.headers.To, message?.headers['List-Unsubscribe'], message?.headers['List-Unsubscribe-Post']],
      [messageId, 'It has been a while', FROM, 'ann@example.com', sent.headers['List-Unsubscribe'], 'List-Unsubscribe=One-Click'],
    );
    assert.equal(message?.html.trim(), sent.html);
    assert.equal(message?.text.replace(/\r\n/g, '\n').trim(), sent.text.trim());
    assert.match(sent.html, /Hi &lt;Ann&gt;,/);
  });

  test('a 5xx rejection is never retried, a 4xx is retried and then delivered, connection refused is retried', async () => {
    const provider = smtpProvider({ host: sink.host, port: sink.port });
    const bounced = await provider.send({ idempotencyKey: 'skene:x:0:bounce', body: body('bounce-bo@example.com', '2'), count: 1 });
    assert.deepEqual([bounced.kind === 'response' && bounced.status, outcome(bounced)], [422, 'never']);
    assert.equal(classifyAnswer({ status: 422, errorName: 'smtp_550' }).reason, 'rejected: 422 smtp_550');
    const first = await provider.send({ idempotencyKey: 'skene:x:0:later', body: body('later-cy@example.com', '3'), count: 1 });
    assert.deepEqual([first.kind === 'response' && first.status, outcome(first)], [503, 'retry']);
    const retried = await provider.send({ idempotencyKey: 'skene:x:0:later', body: body('later-cy@example.com', '3'), count: 1 });
    assert.equal(outcome(retried), 'ok');
    assert.deepEqual(sink.rcpts.filter((r) => r.address !== 'ann@example.com'), [
      { address: 'bounce-bo@example.com', code: 550 }, { address: 'later-cy@example.com', code: 451 }, { address: 'later-cy@example.com', code: 250 },
    ]);
    assert.deepEqual((await sink.waitForMessages(2)).map((m) => m.rcptTos[0]).sort(), ['ann@example.com', 'later-cy@example.com']);
    const closed = smtpProvider({ host: '127.0.0.1', port: await freePort(), timeoutMs: 5_000 });
    const refused = await closed.send({ idempotencyKey: 'skene:x:0:refused', body: body('di@example.com', '4'), count: 1 });
    assert.deepEqual([refused.kind, outcome(refused)], ['network', 'retry']);
  });

  test('an authentication failure (535) stops the run; the right credentials deliver', async () => {
    const wrong = smtpProvider({ url: `smtp://mailer:wrong@${authSink.host}:${authSink.port}` });
    const denied = await wrong.send({ idempotencyKey: 'skene:x:0:auth', body: body('ann@example.com', '1'), count: 1 });
    assert.deepEqual([denied.kind === 'response' && denied.status, (denied as { json: { name: string } }).json.name, outcome(denied)], [401, 'smtp_535', 'stop']);
    const right = smtpProvider({ host: authSink.host, port: authSink.port, user: 'mailer', password: 'right' });
    assert.equal(outcome(await right.send({ idempotencyKey: 'skene:x:0:auth', body: body('ann@example.com', '1'), count: 1 })), 'ok');
    assert.deepEqual((await authSink.waitForMessages(1)).map((m) => m.rcptTos), [['ann@example.com']]);
  });
});

describe('the Celery task with provider smtp sends through Django\'s SMTP backend', () => {
  let cluster: PostgresCluster;
  let sink: SmtpSink;
  let dir: string;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    [cluster, sink, dir] = await Promise.all([startPostgres(), startSmtpSink(), copyProject()]);
    url = await cluster.createDatabase('saas');
    env = { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.smtp_sink', SKENE_SECRET: 'smtp-secret', SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/' };
  });
  after(async () => {
    await Promise.all([cluster?.stop(), sink?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  test('exactly the dormant users get one email each; a 550 bounce is failed after one attempt', async () => {
    const init = () => runProcess(process.execPath, ['--import', 'tsx', 'cli/cli.ts', 'init', dir, '--yes'], { cwd: REPO });
    ok(await init());
    // What a user does: choose smtp in skene.config.ts, re-run init (loops.json follows), point Django's
    // EMAIL_* settings at the server.
    const configFile = path.join(dir, 'skene.config.ts');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace("provider: 'resend'", "provider: 'smtp'"));
    ok(await init());
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'skene_retention/loops.json'), 'utf8')).loops[0].steps[0].provider, 'smtp');
    writeFileSync(path.join(dir, 'config/settings/smtp_sink.py'), `from .dev import *  # noqa\n\nEMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = "${sink.host}"\nEMAIL_PORT = ${sink.port}\nEMAIL_USE_TLS = False\nEMAIL_HOST_USER = ""\nEMAIL_HOST_PASSWORD = ""\n`);
    ok(await runManage(dir, ['migrate', '--no-input'], env));

    const users: Array<[string, number]> = [['ann', 30], ['bo', 20], ['cy', 9], ['bounce-di', 15], ['eve', 2]];
    for (const [name, days] of users) {
      await sql(url, `INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, company, timezone, stripe_customer_id, marketing_opt_in, last_activity_at)
        VALUES ('!', false, $1, $1, '', $2, false, true, now() - interval '60 days', '', 'UTC', '', false, now() - make_interval(days => $3))`, [name, `${name}@example.com`, days]);
    }
    const summary = lastJson(await runDjangoPython(dir, `${SETUP}from skene_retention.tasks import run_loop\nprint(json.dumps(run_loop.apply(args=("dormant-users",)).get()))`, env));
    assert.equal(summary.status, 'succeeded', JSON.stringify(summary));

    const ledger = await sql<{ email: string; status: string; attempts: number; last_error: string | null; provider_message_id: string | null; idempotency_key: string }>(url,
      'SELECT u.email, l.status, l.attempts, l.last_error, l.provider_message_id, l.idempotency_key FROM skene_send_ledger l JOIN accounts_user u ON u.id::text = l.user_id ORDER BY u.email');
    assert.deepEqual(ledger.map((r) => r.email), ['ann@example.com', 'bo@example.com', 'bounce-di@example.com', 'cy@example.com']);
    const bounce = ledger.find((r) => r.email === 'bounce-di@example.com');
    // Holdout is a fixed hash of loop and user id: with these ids the bounced user is not held out.
    assert.deepEqual([bounce?.status, bounce?.attempts], ['failed', 1]);
    assert.match(bounce?.last_error ?? '', /rejected: 422 smtp_550/);
    assert.deepEqual(summary.failed, 1);
    const sent = ledger.filter((r) => r.status === 'sent');
    assert.deepEqual(ledger.filter((r) => r.email !== 'bounce-di@example.com' && r.status !== 'sent' && r.status !== 'held_out'), []);
    assert.deepEqual((await sink.waitForMessages(sent.length)).map((m) => m.rcptTos.join(',')).sort(), sent.map((r) => r.email));
    for (const row of sent) {
      const message = sink.messages.find((m) => m.rcptTos[0] === row.email);
      assert.equal(message?.headers['Message-ID'], smtpMessageId(row.idempotency_key, FROM), 'the same Message-ID as the TypeScript provider');
      assert.equal(row.provider_message_id, message?.headers['Message-ID']);
      assert.equal(message?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      assert.match(message?.headers['List-Unsubscribe'] ?? '', /^<https:\/\/app\.example\.com\/skene\/unsubscribe\/\?l=dormant-users&u=\d+&t=[\w-]+>$/);
      assert.match(message?.text ?? '', /^Hi \w+,/);
    }
    assert.equal(summary.sent, sent.length);
  });
});
