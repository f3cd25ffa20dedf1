// The report lens above each loop of an init'd examples/saas config, against the bundled server and a real
// PostgreSQL ledger with known numbers: exact numbers when on + trusted, nothing when untrusted or off,
// "unavailable" when the database cannot be reached, and trust granted later turns it on.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { ledgerSql } from '../../sdk/runtime/ledgerSchema';
import { Notifications, ServerCommands } from '../../server/protocol';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { queryRows } from '../unit/runtime/fixtures/runtimeFixture';
import { copyExampleProject, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, startSession, waitFor, type TestSession } from './support/session';

const DAY_MS = 86_400_000;
const LIFT_LENS = 'Report · sent 100 · re-engaged 40.0 % · lift +20.0 pp (95 % CI +4.1…+33.1)';

interface Facts {
  userTable: string;
  userIdColumn: string;
  emailColumn: string;
  activityColumn: string;
}

/** Writes Initialize's plan into the copy (config, loops.json, templates…); returns the config text, facts and loop id. */
async function initProject(session: TestSession, copy: ProjectCopy): Promise<{ config: string; facts: Facts; loopId: string }> {
  const plan = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.equal(plan.error, undefined);
  for (const file of plan.files) {
    mkdirSync(path.dirname(copy.file(file.path)), { recursive: true });
    writeFileSync(copy.file(file.path), file.after);
  }
  const loops = JSON.parse(plan.files.find((f) => f.path === 'skene_retention/loops.json')!.after) as { project: Facts; loops: Array<{ id: string }> };
  return { config: plan.files.find((f) => f.path === 'skene.config.ts')!.after, facts: loops.project, loopId: loops.loops[0]!.id };
}

/** Step 1: 100 sent (40 back the next day), 50 held out (10 back); sent 20 days ago, windows closed. */
async function seed(url: string, facts: Facts, loopId: string): Promise<void> {
  const sentAt = new Date(Date.now() - 20 * DAY_MS);
  const back = new Date(sentAt.getTime() + DAY_MS);
  const never = new Date(sentAt.getTime() - 30 * DAY_MS);
  const rows = [
    ...Array<[string, Date]>(40).fill(['sent', back]),
    ...Array<[string, Date]>(60).fill(['sent', never]),
    ...Array<[string, Date]>(10).fill(['held_out', back]),
    ...Array<[string, Date]>(40).fill(['held_out', never]),
  ];
  const q = (name: string) => `"${name}"`;
  await queryRows(url, `CREATE TABLE ${q(facts.userTable)} (${q(facts.userIdColumn)} bigint PRIMARY KEY, ${q(facts.emailColumn)} text, ${q(facts.activityColumn)} timestamptz)`);
  await queryRows(url, ledgerSql());
  await queryRows(url, `INSERT INTO ${q(facts.userTable)} SELECT g, 'u' || g || '@example.com', a FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(a, g)`, [rows.map((r) => r[1])]);
  await queryRows(
    url,
    `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, status, created_at, sent_at)
     SELECT $1, 0, g::text, '1', 'u' || g || '@example.com', 'k' || g, '', repeat('0', 64), st, $2, CASE WHEN st = 'sent' THEN $2::timestamptz END
     FROM unnest($3::text[]) WITH ORDINALITY AS t(st, g)`,
    [loopId, sentAt, rows.map((r) => r[0])],
  );
}

const titles = async (session: TestSession, uri: string) => (await session.codeLenses(uri)).map((lens) => lens.command?.title);

describe('report lens above each loop of skene.config.ts', () => {
  let cluster: PostgresCluster;
  let url: string;
  let seeded = false;

  before(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('reportlens');
  });
  after(async () => {
    await cluster?.stop();
  });

  async function open(t: TestContext, settings: unknown, trusted: boolean): Promise<{ session: TestSession; uri: string }> {
    const copy = await copyExampleProject();
    t.after(() => copy.remove());
    const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT, initializationOptions: { trusted } });
    session.configuration.value = settings;
    const { config, facts, loopId } = await initProject(session, copy);
    if (!seeded) await seed(url, facts, loopId);
    seeded = true;
    const uri = copy.uri('skene.config.ts');
    await session.open(uri, config);
    return { session, uri };
  }

  test('on + trusted: "loading…" at once, then the exact numbers of step 1 and a refresh; the lens opens the report', async (t) => {
    const { session, uri } = await open(t, { report: { codeLens: true, databaseUrl: url } }, true);
    const first = await session.codeLenses(uri);
    assert.deepEqual(first.map((lens) => lens.command?.title), ['Regenerate artifacts', 'Preview plan', 'Report · loading…']);
    await waitFor(() => session.refreshes.codeLens > 0);
    await waitFor(async () => (await titles(session, uri))[2] !== 'Report · loading…');
    const lenses = await session.codeLenses(uri);
    assert.deepEqual(lenses[2], { range: first[0]!.range, command: { title: LIFT_LENS, command: 'skene.showReport', arguments: [{ root: (first[0]!.command!.arguments![0] as { root: string }).root }] } });
    const report = await session.connection.sendRequest<{ text: string }>('skene/report', lenses[2].command.arguments[0]);
    assert.match(report.text, /\n {2}1 +re_engagement +100 +50 +40 +40\.0 % +20\.0 % +\+20\.0 pp +\+4\.1 … \+33\.1 +lift\n/);
  });

  test('untrusted: no report lens; trust granted later (skene/didChangeTrust) turns it on', async (t) => {
    const { session, uri } = await open(t, { report: { codeLens: true, databaseUrl: url } }, false);
    assert.deepEqual(await titles(session, uri), ['Regenerate artifacts', 'Preview plan']);
    await session.connection.sendNotification(Notifications.didChangeTrust, { trusted: true });
    await waitFor(async () => (await titles(session, uri))[2] === LIFT_LENS);
  });

  test('setting off (the default): no report lens', async (t) => {
    const { session, uri } = await open(t, { report: { databaseUrl: url } }, true);
    assert.deepEqual(await titles(session, uri), ['Regenerate artifacts', 'Preview plan']);
  });

  test('unreachable database: an "unavailable" lens with the reason', async (t) => {
    const { session, uri } = await open(t, { report: { codeLens: true, databaseUrl: 'postgresql://skene@127.0.0.1:1/none' } }, true);
    await waitFor(async () => (await titles(session, uri))[2] !== 'Report · loading…');
    assert.deepEqual(await titles(session, uri), ['Regenerate artifacts', 'Preview plan', 'Report · unavailable: connect ECONNREFUSED 127.0.0.1:1']);
  });
});
