/**
 * `skene send-test` on an initialized, migrated copy of examples/saas, sending to the fake Resend: the email is the
 * runtime's for that step and user (sample or real), marked as a test, with an unsubscribe link that names no real
 * user; the ledger, the runs and the caps are untouched; addresses outside the allowlist are refused, and the
 * default allowlist is the git user's email.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSendTest } from '../../cli/commands/sendTest';
import type { CommandIo } from '../../cli/run/commandIo';
import { buildRuntimeLoops } from '../../cli/run/buildRuntimeLoops';
import { readLoopProject } from '../../cli/run/readLoopProject';
import { previewEmail } from '../../server/core/preview/emailPreview';
import { sampleUserRow } from '../../server/core/preview/sampleUser';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, initProject, ok, sql } from './initHarness';

function captureIo(env: NodeJS.ProcessEnv): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CommandIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, unicode: false, env, onStopSignal: () => () => undefined };
  return { io, out: () => out, err: () => err };
}

describe('skene send-test on examples/saas', () => {
  let cluster: PostgresCluster;
  let fake: FakeResend;
  let dir: string;
  let url: string;
  let env: Record<string, string>;
  let adaId: string;

  before(async () => {
    [cluster, dir, fake] = await Promise.all([startPostgres(), copyProject(), startFakeResend({ apiKey: 're_test' })]);
    url = await cluster.createDatabase('saas');
    const django = { ...djangoDbEnv(cluster, 'saas'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' };
    ok(await initProject(dir, { yes: true }));
    ok(await runManage(dir, ['migrate', '--no-input'], django));
    ok(await runDjangoPython(dir, `${SETUP}from accounts.models import User\nu = User.objects.create_user("grace", "grace@customer.example", "pw", first_name="Grace <Hopper>")\nprint(u.pk)`, django));
    adaId = (await sql<{ id: string }>(url, "SELECT id::text AS id FROM accounts_user WHERE username = 'grace'"))[0]!.id;
    env = { PATH: process.env.PATH ?? '', DATABASE_URL: url, RESEND_API_KEY: 're_test', RESEND_BASE_URL: fake.url, SKENE_SECRET: 'test-secret', SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/', SKENE_TEST_RECIPIENTS: 'me@example.com, Other@Example.com' };
  });

  after(async () => {
    await Promise.all([cluster?.stop(), fake?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  const untouched = async () => sql<{ ledger: number; runs: number }>(url, 'SELECT (SELECT count(*) FROM skene_send_ledger)::int AS ledger, (SELECT count(*) FROM skene_run)::int AS runs');

  test('a sample user: the runtime email for step 1, marked as a test, to the allowed address; nothing in the ledger', async () => {
    const c = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'me@example.com' }, c.io), 0, c.err());
    const [email] = fake.uniqueEmails();
    const loopProject = await readLoopProject(dir);
    const [loop] = buildRuntimeLoops(loopProject, { defaultFrom: loopProject.project!.email.defaultFromEmail ?? null, unsubscribeUrl: env.SKENE_UNSUBSCRIBE_URL! });
    const expected = previewEmail({ loop: loop!, step: 0, user: sampleUserRow(loopProject.project!.userModel!.fields), secret: 'test-secret', testTo: 'me@example.com' });
    assert.deepEqual({ to: email!.to, subject: email!.subject, html: email!.html, text: email!.text, test: email!.headers['X-Skene-Test'] }, { to: ['me@example.com'], subject: `[TEST] ${expected.subject}`, html: expected.html, text: expected.text, test: 'true' });
    assert.match(email!.html, /Ada/);
    assert.match(email!.headers['List-Unsubscribe']!, /^<https:\/\/app\.example\.com\/skene\/unsubscribe\/\?l=[^&]+&u=skene-test%3A42&t=[\w-]+>$/);
    assert.match(c.out(), /^Sent a test of \S+ step 1 \(template \S+, a sample user\) to me@example\.com via resend \(id \S+\)\.\nSubject: \[TEST\] /);
    assert.deepEqual(await untouched(), [{ ledger: 0, runs: 0 }]);
  });

  test('--user: a real user read from the database (escaped in HTML, raw in text); allowlist matching ignores case', async () => {
    const c = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'other@example.COM', user: adaId }, c.io), 0, c.err());
    const email = fake.uniqueEmails().at(-1)!;
    assert.match(email.html, /Grace &lt;Hopper&gt;/);
    assert.match(email.text, /Grace <Hopper>/);
    assert.deepEqual(email.to, ['other@example.COM']);
    assert.ok(!JSON.stringify(email).includes('grace@customer.example'), 'the customer address is never used');
    assert.match(email.headers['List-Unsubscribe']!, new RegExp(`u=skene-test%3A${adaId}&`));
    assert.deepEqual(await untouched(), [{ ledger: 0, runs: 0 }]);
  });

  test('an address outside the allowlist is refused before anything is read or sent', async () => {
    const before = fake.requests.length;
    const c = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'grace@customer.example' }, c.io), 2);
    assert.equal(c.err(), 'skene send-test: grace@customer.example is not an allowed test recipient (SKENE_TEST_RECIPIENTS: me@example.com, other@example.com); add it to SKENE_TEST_RECIPIENTS so a test never reaches a customer.\n');
    assert.equal(fake.requests.length, before);
  });

  test('without SKENE_TEST_RECIPIENTS only the git user\'s email is allowed', async () => {
    ok(await runProcess('git', ['init', '-q', dir], { timeoutMs: 10_000 }));
    ok(await runProcess('git', ['-C', dir, 'config', 'user.email', 'dev@example.com'], { timeoutMs: 10_000 }));
    const { SKENE_TEST_RECIPIENTS: _unused, ...withoutList } = env;
    const refused = captureIo(withoutList);
    assert.equal(await runSendTest(dir, { to: 'me@example.com' }, refused.io), 2);
    assert.match(refused.err(), /\(git config user\.email: dev@example\.com\)/);
    const sent = captureIo(withoutList);
    assert.equal(await runSendTest(path.join(dir), { to: 'dev@example.com', step: '1' }, sent.io), 0, sent.err());
  });

  test('a provider refusal is exit 1 with the reason; a wrong loop or step is a usage error', async () => {
    fake.script({ status: 422, name: 'validation_error' });
    const c = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'me@example.com' }, c.io), 1);
    assert.equal(c.err(), 'skene send-test: resend refused the test email: rejected: 422 validation_error\n');
    const wrongLoop = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'me@example.com', loop: 'nope' }, wrongLoop.io), 2);
    assert.match(wrongLoop.err(), /no loop "nope" in skene\.config\.ts \(loops: /);
    const wrongStep = captureIo(env);
    assert.equal(await runSendTest(dir, { to: 'me@example.com', step: '9' }, wrongStep.io), 2);
    assert.deepEqual(await untouched(), [{ ledger: 0, runs: 0 }]);
  });
});
