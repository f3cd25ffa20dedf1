// The requests behind the report view and the email preview, against the bundled server on an init'd copy of
// examples/saas and a real PostgreSQL ledger: skene/reportView (the report with its history; trusted only; no lens
// setting needed), skene/previewEmail (exactly the body `skene run` would render for the sample user, unsaved
// template text, a real user by id only when trusted) and skene/sendTestEmail's allowlist refusal.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { buildRuntimeLoops } from '../../cli/run/buildRuntimeLoops';
import { readLoopProject } from '../../cli/run/readLoopProject';
import { emailBody } from '../../sdk/runtime/emailBody';
import type { PreviewView } from '../../server/core/preview/buildPreview';
import { PLACEHOLDER_SECRET, PLACEHOLDER_UNSUBSCRIBE_URL } from '../../server/core/preview/buildPreview';
import { sampleUserRow } from '../../server/core/preview/sampleUser';
import type { Report } from '../../server/core/report/reportTypes';
import { Requests, ServerCommands, type PreviewEmailParams, type SendTestResult } from '../../server/protocol';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { seedReportLedger } from '../helpers/reportLedger';
import { copyExampleProject, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, startSession, type TestSession } from './support/session';

interface Facts { userTable: string; userIdColumn: string; emailColumn: string; activityColumn: string }

async function initProject(session: TestSession, copy: ProjectCopy): Promise<{ facts: Facts; loopId: string; template: string }> {
  const plan = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  for (const file of plan.files) {
    mkdirSync(path.dirname(copy.file(file.path)), { recursive: true });
    writeFileSync(copy.file(file.path), file.after);
  }
  const loops = JSON.parse(plan.files.find((f) => f.path === 'skene_retention/loops.json')!.after) as { project: Facts; loops: Array<{ id: string; steps: Array<{ template: string }> }> };
  const html = plan.files.find((f) => /skene\/emails\/[^/]+\.html$/.test(f.path))!.path;
  return { facts: loops.project, loopId: loops.loops[0]!.id, template: copy.file(html) };
}

describe('report view and email preview requests (bundled server)', () => {
  let cluster: PostgresCluster;
  let url: string;
  let seeded = false;

  before(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('views');
  });
  after(async () => {
    await cluster?.stop();
  });

  async function open(t: TestContext, trusted: boolean) {
    const copy = await copyExampleProject();
    t.after(() => copy.remove());
    const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT, initializationOptions: { trusted } });
    session.configuration.value = { report: { databaseUrl: url } };
    const project = await initProject(session, copy);
    if (!seeded) await seedReportLedger(url, project.facts, project.loopId);
    seeded = true;
    return { session, copy, ...project };
  }

  test('skene/reportView: the report with its history, without turning the lens on', async (t) => {
    const { session, copy } = await open(t, true);
    const result = await session.connection.sendRequest<{ report?: Report; error?: string }>(Requests.reportView, { root: copy.root });
    assert.equal(result.error, undefined);
    const step = result.report!.loops[0]!.steps[0]!;
    assert.deepEqual([step.sent, step.sentConverted, step.held, step.heldConverted, step.verdict], [100, 40, 50, 10, 'lift']);
    assert.deepEqual(result.report!.loops[0]!.history!.lift.map((p) => [p.sent, p.held]), [[100, 50]]);
  });

  test('skene/reportView untrusted: a sentence asking for trust, no database read', async (t) => {
    const { session, copy } = await open(t, false);
    assert.deepEqual(await session.connection.sendRequest(Requests.reportView, { root: copy.root }), { error: 'The report reads your database: trust this workspace to see it (Manage Workspace Trust).' });
  });

  test('skene/previewEmail: the body skene run would render for the sample user; unsaved text; a real user only when trusted', async (t) => {
    const { session, copy, template } = await open(t, true);
    const ask = (params: Partial<PreviewEmailParams>) => session.connection.sendRequest<{ preview?: PreviewView; error?: string }>(Requests.previewEmail, { root: copy.root, ...params });
    const sample = await ask({ templatePath: template });
    assert.equal(sample.error, undefined);
    const loopProject = await readLoopProject(copy.root);
    const [loop] = buildRuntimeLoops(loopProject, { defaultFrom: loopProject.project!.email.defaultFromEmail ?? null, unsubscribeUrl: PLACEHOLDER_UNSUBSCRIBE_URL });
    const user = sampleUserRow(loopProject.project!.userModel!.fields);
    const step = loop!.steps[0]!;
    const expected = emailBody({ loopId: loop!.id, userId: String(user[loop!.userIdColumn]), email: String(user[loop!.emailColumn]), from: step.from, replyTo: step.replyTo, subject: step.subject, html: step.html, text: step.text, personalization: step.personalization, user, unsubscribeBaseUrl: PLACEHOLDER_UNSUBSCRIBE_URL, secret: PLACEHOLDER_SECRET });
    assert.equal(sample.preview!.body, expected);
    assert.equal(sample.preview!.html, (JSON.parse(expected) as { html: string }).html);
    assert.equal(sample.preview!.user.kind, 'sample');

    const edited = await ask({ templatePath: template, unsaved: { [template]: '<p>{{user.first_name}} EDITED</p>' } });
    assert.equal(edited.preview!.html, '<p>Ada EDITED</p>');
    assert.deepEqual(edited.preview!.warnings.map((w) => w.code), []);

    const real = await ask({ templatePath: template, userId: '7', unsaved: { [template]: '<p>{{user.first_name}}</p>' } });
    assert.deepEqual([real.preview!.user, real.preview!.to, real.preview!.html], [{ kind: 'real', id: '7' }, ['u7@example.com'], '<p>Real7</p>']);
    assert.deepEqual(await ask({ templatePath: template, userId: '999999' }), { error: 'Cannot read user 999999: no user with id = 999999 in accounts_user' });
  });

  test('skene/previewEmail untrusted: the sample user renders, a real user is refused', async (t) => {
    const { session, copy, template } = await open(t, false);
    const sample = await session.connection.sendRequest<{ preview?: PreviewView }>(Requests.previewEmail, { root: copy.root, templatePath: template });
    assert.equal(sample.preview!.user.kind, 'sample');
    assert.deepEqual(await session.connection.sendRequest(Requests.previewEmail, { root: copy.root, templatePath: template, userId: '7' }), { error: 'A real user is read from your database: trust this workspace first.' });
    assert.deepEqual(await session.connection.sendRequest<SendTestResult>(Requests.sendTestEmail, { root: copy.root, to: 'me@example.com' }), { ok: false, message: 'A test send uses your provider credentials: trust this workspace first.' });
  });

  test('skene/sendTestEmail: an address outside skene.testSend.recipients is refused', async (t) => {
    const { session, copy } = await open(t, true);
    session.configuration.value = { report: { databaseUrl: url }, testSend: { recipients: ['me@example.com'] } };
    assert.deepEqual(await session.connection.sendRequest<SendTestResult>(Requests.sendTestEmail, { root: copy.root, to: 'customer@example.com' }), { ok: false, message: 'customer@example.com is not an allowed test recipient (allowed: me@example.com); add it to skene.testSend.recipients.' });
  });
});
