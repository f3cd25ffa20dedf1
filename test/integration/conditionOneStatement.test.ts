// A loops.json edited by hand so that its condition holds several statements, with the sha256 seal recomputed
// to match: the seal cannot tell, the Python runtime does not parse SQL, so PostgreSQL itself must refuse to run
// more than one statement (sdk/runtime/conditionCursor.ts). Handed to the Python runtime on psycopg2, psycopg 3
// with server-side and with client-side binding (Django 4.2+'s default), and to the TypeScript runtime (its gate
// refuses first; its page reader, called with the gate skipped, meets the same refusal in the database): the
// target table survives, the database is byte-for-byte unchanged, nothing is sent, and the run's reason names
// the loop. A control shows each payload is live: the same page text sent as plain SQL text deletes the table.
// Then every hostile condition of the shared vectors (condition.json), resealed, run as a milestone loop (its rows
// need no activity column, so each condition is planned and run, not refused for a missing column) by the Python
// runtime and by the TypeScript page reader without its gate: whatever runs or fails, the application's data,
// schema, sequences and large objects are byte-for-byte unchanged (only Skene's own run and ledger rows move).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { dumpDatabase, withPostgres } from '../helpers/postgres';
import { conditionPageSql } from '../../sdk/runtime/conditionCursor';
import type { LoopManifest } from '../../sdk/runtime/manifest';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { readAudiencePage } from '../../sdk/runtime/readAudience';
import { runLoopOnce } from '../../sdk/runtime/runLoopOnce';
import { RunHalt, type RunContext } from '../../sdk/runtime/runTypes';
import { queryRows, runPythonLoop, seedUsers, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

const COLUMNS = 'id, email, first_name, last_activity_at';

/** Each closes the runtime's wrapper, so the page's text holds several statements; the middle ones write. */
const PAYLOADS = [
  `SELECT ${COLUMNS} FROM app_user) AS q LIMIT 0; COMMIT; DELETE FROM victim; SELECT * FROM (SELECT ${COLUMNS} FROM app_user`,
  // The report: `x$a$` is an identifier to PostgreSQL, a dollar quote to a hand-written guard.
  `SELECT ${COLUMNS}, 1 AS x$a$ FROM app_user) AS q LIMIT 0; COMMIT; DELETE FROM victim; SELECT * FROM (SELECT ${COLUMNS}, 2 AS y$a$ FROM app_user`,
  `SELECT ${COLUMNS} FROM app_user) AS q LIMIT 0; ROLLBACK; BEGIN READ WRITE; DROP TABLE victim; COMMIT; SELECT * FROM (SELECT ${COLUMNS} FROM app_user`,
];

type Python = 'psycopg2' | 'psycopg' | 'psycopg-client';
const PYTHON_DRIVERS: Python[] = ['psycopg2', 'psycopg', 'psycopg-client'];

const NOT_ONE_SELECT = /^the audience query of loop "winback" is not one SELECT: PostgreSQL refused to run it \(cannot open multi-query plan as cursor\); loops\.json no longer holds the condition skene init sealed/;

async function victimRows(url: string): Promise<number | string> {
  try {
    return (await queryRows<{ n: number }>(url, 'SELECT count(*)::int AS n FROM victim'))[0]?.n ?? 0;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A dump without the run-id sequence's position (runs that failed still took an id). */
const withoutRunIds = (dump: string) => dump.replace(/^SELECT pg_catalog\.setval\('public\.skene_run_id_seq'.*$/m, '');

/** Each payload's run gets a tick of its own (a failed run keeps its tick). */
async function pythonRun(driver: Python, url: string, fake: FakeResend, manifest: LoopManifest, tick: number): Promise<Record<string, unknown>> {
  const scheduledAt = new Date(Date.UTC(2024, 2, 10, tick)).toISOString();
  const job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET, driver, timeoutS: 2, scheduledAt };
  const { summary, stderr, code } = await runPythonLoop(job);
  assert.equal(code, 0, stderr);
  return summary ?? {};
}

/** The TypeScript engine's page reader with the gate skipped: what node-postgres and the database do on their own. */
async function tsPageWithoutGate(url: string, manifest: LoopManifest): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await readAudiencePage({ client, manifest } as unknown as RunContext, null);
    return 'ran';
  } catch (error) {
    return error instanceof RunHalt ? error.reason : `threw ${(error as Error).message}`;
  } finally {
    await client.end();
  }
}

describe('a tampered, resealed condition with several statements runs none of them', () => {
  const pg15 = withPostgres();
  let databases = 0;

  async function database(): Promise<string> {
    const url = await pg15.cluster.createDatabase(`one_statement_${++databases}`);
    await seedUsers(url, 5, 5);
    await queryRows(url, 'CREATE TABLE victim (id int PRIMARY KEY); INSERT INTO victim SELECT g FROM generate_series(1, 3) g');
    return url;
  }

  test('control: sent as plain SQL text (the simple query protocol psycopg2 always uses), each payload deletes or drops the table', async () => {
    const outcomes: Array<number | string> = [];
    for (const payload of PAYLOADS) {
      const url = await database();
      const manifest = testManifest({ audience: { query: payload, timeoutMs: 2000 } });
      await queryRows(url, `BEGIN READ ONLY; ${conditionPageSql(manifest, null, 10)}`);
      outcomes.push(await victimRows(url));
    }
    assert.deepEqual(outcomes, [0, 0, 'relation "victim" does not exist']);
  });

  for (const driver of PYTHON_DRIVERS) {
    test(`python on ${driver}: refused by PostgreSQL before any statement runs, the run fails naming the loop`, async () => {
      const url = await database();
      const fake = await startFakeResend();
      try {
        const before = await dumpDatabase(url);
        const outcomes: unknown[] = [];
        for (const [tick, payload] of PAYLOADS.entries()) {
          const summary = await pythonRun(driver, url, fake, testManifest({ audience: { query: payload, timeoutMs: 2000 } }), tick);
          outcomes.push({ status: summary.status, refused: NOT_ONE_SELECT.test(String(summary.reason)) || summary.reason, sent: summary.sent });
        }
        const runs = await queryRows<{ status: string; n: number }>(url, 'SELECT status, count(*)::int AS n FROM skene_run GROUP BY status');
        // The failed runs' rows are the only change: the dump is compared without them.
        await queryRows(url, 'TRUNCATE skene_run, skene_tick');
        const unchanged = withoutRunIds(await dumpDatabase(url)) === withoutRunIds(before);
        assert.deepEqual({ outcomes, victim: await victimRows(url), runs, unchanged, requests: fake.requests.length }, {
          outcomes: PAYLOADS.map(() => ({ status: 'failed', refused: true, sent: 0 })),
          victim: 3,
          runs: [{ status: 'failed', n: PAYLOADS.length }],
          unchanged: true,
          requests: 0,
        });
      } finally {
        await fake.stop();
      }
    });
  }

  test('typescript: the gate refuses it before the database; the page reader on its own meets the same refusal in PostgreSQL', async () => {
    const url = await database();
    const fake = await startFakeResend();
    try {
      const before = await dumpDatabase(url);
      const outcomes: unknown[] = [];
      for (const payload of PAYLOADS) {
        const manifest = testManifest({ audience: { query: payload, timeoutMs: 2000 } });
        const provider = resendProvider({ apiKey: TEST_API_KEY, baseUrl: fake.url, timeoutMs: 2000 });
        const summary = await runLoopOnce(manifest, { databaseUrl: url, provider, secret: TEST_SECRET });
        const withoutGate = await tsPageWithoutGate(url, manifest);
        outcomes.push({ status: summary.status, gate: /^condition refused \(syntax\): /.test(String(summary.reason)) || summary.reason, database: NOT_ONE_SELECT.test(withoutGate) || withoutGate });
      }
      assert.deepEqual({ outcomes, victim: await victimRows(url), unchanged: (await dumpDatabase(url)) === before, requests: fake.requests.length }, {
        outcomes: PAYLOADS.map(() => ({ status: 'failed', gate: true, database: true })),
        victim: 3,
        unchanged: true,
        requests: 0,
      });
    } finally {
      await fake.stop();
    }
  });
});

/** pg_dump without the rows of Skene's tables (runs, ticks and, for conditions that read, ledger rows are expected). */
async function applicationDump(url: string): Promise<string> {
  return (await dumpDatabase(url, ['--exclude-table-data=skene_*'])).replace(/^SELECT pg_catalog\.setval\('public\.skene_\w+_seq'.*$/gm, '');
}

describe('every hostile condition of the shared vectors, resealed, leaves the application database unchanged in both runtimes', () => {
  const pg15 = withPostgres();

  test('python runs each sealed text as is, typescript\'s page reader runs it without the gate: read-only, one statement, rolled back', async (t) => {
    const url = await pg15.cluster.createDatabase('resealed_hostile');
    await seedUsers(url, 5, 5);
    // What a successful attack would change: another table, sequences, a project function that deletes.
    await queryRows(url, 'CREATE TABLE app_event (id bigserial PRIMARY KEY, user_id bigint, at timestamptz DEFAULT now()); INSERT INTO app_event (user_id) SELECT g FROM generate_series(1, 5) g');
    await queryRows(url, 'CREATE SEQUENCE app_user_id_seq; CREATE SEQUENCE s');
    await queryRows(url, 'CREATE FUNCTION purge_users() RETURNS int LANGUAGE sql AS $$ DELETE FROM app_event RETURNING 1 $$');
    const fake = await startFakeResend();
    try {
      const before = await applicationDump(url);
      const vectors = JSON.parse(readFileSync(path.join(__dirname, '..', 'vectors', 'condition.json'), 'utf8')) as { cases: Array<{ query: string; code: string | null }> };
      const hostile = vectors.cases.filter((c) => c.code !== null);
      const crashed: string[] = [];
      const ran: string[] = [];
      for (const [tick, c] of hostile.entries()) {
        const manifest = testManifest({ type: 'milestone', milestone: 'm', audience: { query: c.query, timeoutMs: 2000 } });
        const summary = await pythonRun('psycopg2', url, fake, manifest, tick);
        if (!['failed', 'succeeded'].includes(String(summary.status))) crashed.push(`python ${JSON.stringify(c.query)}: ${JSON.stringify(summary)}`);
        const page = await tsPageWithoutGate(url, manifest);
        if (page.startsWith('threw')) crashed.push(`ts ${JSON.stringify(c.query)}: ${page}`);
        if (summary.status === 'succeeded') ran.push(c.query);
        const reason = typeof summary.reason === 'string' ? summary.reason.slice(0, 140) : '';
        t.diagnostic(`${String(c.code)}: python ${String(summary.status)} ${reason} | ts ${page.slice(0, 140)}`);
      }
      const after = await applicationDump(url);
      // The milestone setup lets a condition run: those PostgreSQL does not refuse read and send (the seal is the
      // Python runtime's only check of what a condition calls; the database is what must not change).
      assert.ok(ran.includes("SELECT id, email FROM app_user WHERE current_setting('is_superuser') = 'on'"), ran.join('\n'));
      assert.deepEqual({ hostile: hostile.length >= 40, crashed, unchanged: after === before, events: await queryRows(url, 'SELECT count(*)::int AS n FROM app_event') }, {
        hostile: true,
        crashed: [],
        unchanged: true,
        events: [{ n: 5 }],
      });
    } finally {
      await fake.stop();
    }
  });
});
