/**
 * Skene's migrations on a big, busy user table: examples/saas with 300,000 users and 600,000 events in a
 * throw-away PostgreSQL 15, while the "site" keeps updating one random user row at a time (and inserting
 * events). Measured:
 * - the longest wait of a one-row UPDATE of the user table while `manage.py migrate` applies Skene's
 *   migrations (target ≤ 1 s), against the baseline in the same run: the migrations Skene wrote before
 *   (AddField with a default and a plain index in one transaction, then the whole backfill as one UPDATE);
 * - event inserts with last-activity tracking on versus off (target ≤ 1.5x), for Skene's trigger, for the
 *   throttled trigger of the round before (an UPDATE per event that changes nothing inside the window) and for
 *   the baseline trigger that wrote the user row on every event.
 * Insert workload: single-row INSERTs by users not seen before, a burst of events each, as a site's traffic
 * does; the first event of each user really writes its row, the others fall inside the throttle window. The
 * ratio is read on the server's CPU time for the inserts (this machine is shared, so wall time mostly measures
 * the neighbours); the wall-time ratio is printed beside it. `npx tsx bench/bigTable.ts [--users=300000] [--events=600000]` → bench/results/bigTable.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runInit } from '../cli/commands/init';
import { copyProject, djangoDbEnv, runManage } from '../test/helpers/django';
import { startPostgres, type PostgresCluster } from '../test/helpers/postgres';
import { removeTempDir } from '../test/helpers/tempDir';
import { stats } from './stats';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const USERS = arg('users', 300_000);
const EVENTS = arg('events', 600_000);
// Insert workload: PAIRS pairs of blocks, one with tracking off and one with it on, in alternating order (so a
// neighbour's load on this shared machine falls on both sides). A block: BLOCK_USERS users not seen before,
// EVENTS_PER_USER events each, interleaved, as concurrent sessions produce them.
const PAIRS = arg('pairs', 10);
const BLOCK_USERS = arg('block-users', 100);
const EVENTS_PER_USER = arg('events-per-user', 20);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Users and events by SQL, spread over two years, like a real site's history. */
async function seed(url: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query(`INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined,
        last_login, company, timezone, stripe_customer_id, marketing_opt_in)
      SELECT '!', false, 'user' || g, 'User', 'N' || g, 'user' || g || '@example.com', false, true, now() - (g % 730) * interval '1 day',
        CASE WHEN g % 3 = 0 THEN NULL ELSE now() - (g % 90) * interval '1 day' END, '', 'UTC', '', false
      FROM generate_series(1, $1) AS g`, [USERS]);
    await client.query(`INSERT INTO events_event (user_id, name, properties, created_at)
      SELECT 1 + (g::bigint * 7919) % $1, 'page_view', '{}', now() - (g % 700) * interval '1 day' FROM generate_series(1, $2) AS g`, [USERS, EVENTS]);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

interface WaitReport {
  updates: number;
  maxMs: number;
  medianMs: number;
  p95Ms: number;
  migrateMs: number;
}

/** One-row UPDATEs of random users (and an event insert each) until `work` ends; each UPDATE's latency. */
async function busySite(url: string, work: () => Promise<void>): Promise<WaitReport> {
  const client = await connect(url);
  const samples: number[] = [];
  let done = false;
  const writer = (async () => {
    while (!done) {
      const id = 1 + Math.floor(Math.random() * USERS);
      const started = performance.now();
      await client.query('UPDATE accounts_user SET last_login = now() WHERE id = $1', [id]);
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const started = performance.now();
  try {
    await work();
  } finally {
    done = true;
    await writer;
    await client.end();
  }
  const s = stats(samples);
  return { updates: samples.length, maxMs: Math.round(s.maxMs), medianMs: s.medianMs, p95Ms: s.p95Ms, migrateMs: Math.round(performance.now() - started) };
}

/** What Skene's migrations did before: AddField with a default and an index in one transaction, then the backfill as one UPDATE and a trigger writing on every event. */
const PREVIOUS_MIGRATIONS = [
  `BEGIN;
   ALTER TABLE accounts_user ADD COLUMN last_activity_at timestamptz DEFAULT now() NULL;
   ALTER TABLE accounts_user ALTER COLUMN last_activity_at DROP DEFAULT;
   CREATE INDEX accounts_user_last_activity_at ON accounts_user (last_activity_at);
   COMMIT;`,
  `BEGIN;
   UPDATE accounts_user AS u SET last_activity_at = COALESCE(GREATEST((SELECT max(e.created_at) FROM events_event AS e WHERE e.user_id = u.id), u.last_login), u.date_joined, u.last_activity_at);
   CREATE OR REPLACE FUNCTION skene_touch_last_activity() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE accounts_user SET last_activity_at = NEW.created_at WHERE id = NEW.user_id AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at);
     RETURN NULL;
   END; $$;
   CREATE TRIGGER skene_last_activity AFTER INSERT ON events_event FOR EACH ROW WHEN (NEW.user_id IS NOT NULL AND NEW.created_at IS NOT NULL) EXECUTE FUNCTION skene_touch_last_activity();
   COMMIT;`,
];

/**
 * CPU time (ms) the server process of this connection has used so far, from /proc (Linux). Wall time on a
 * shared 2-core machine mostly measures the neighbours; the backend's own CPU time is what the trigger costs.
 */
function backendCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): state is the 1st, utime the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** One block of single-row event inserts by fresh users (block number → user set): wall and backend CPU ms. */
async function insertBlock(client: pg.Client, pid: number, block: number): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const cpuBefore = backendCpuMs(pid);
  for (let i = 0; i < BLOCK_USERS * EVENTS_PER_USER; i++) {
    const user = 1 + ((block * BLOCK_USERS + (i % BLOCK_USERS)) * 7_919) % USERS;
    await client.query("INSERT INTO events_event (user_id, name, properties, created_at) VALUES ($1, 'click', '{}', clock_timestamp())", [user]);
  }
  return { wallMs: performance.now() - started, cpuMs: backendCpuMs(pid) - cpuBefore };
}

interface Ratio {
  onMs: number;
  offMs: number;
  /** Total with tracking on ÷ off. */
  ratio: number;
  /** The median of the pairs' own ratios (robust to a pause that hits one block). */
  medianPairRatio: number;
}

interface InsertOverhead {
  /** The server's CPU time for the inserts (the measure the target is read on). */
  serverCpu: Ratio;
  /** Client-side wall time per block, round trips included (noisy on a shared machine). */
  wall: Ratio;
}

function ratio(on: number[], off: number[]): Ratio {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const pairs = on.map((ms, i) => ms / Math.max(off[i] ?? ms, 1)).sort((a, b) => a - b);
  const middle = pairs.length / 2;
  const median = pairs.length % 2 ? (pairs[Math.floor(middle)] ?? 0) : ((pairs[middle - 1] ?? 0) + (pairs[middle] ?? 0)) / 2;
  return { onMs: Math.round(sum(on)), offMs: Math.round(sum(off)), ratio: Number((sum(on) / Math.max(sum(off), 1)).toFixed(2)), medianPairRatio: Number(median.toFixed(2)) };
}

let nextBlock = 0;

/** Tracking on versus off on the same database: the trigger enabled and disabled for alternate blocks. */
async function insertOverhead(url: string): Promise<InsertOverhead> {
  const client = await connect(url);
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    const on: Array<{ wallMs: number; cpuMs: number }> = [];
    const off: Array<{ wallMs: number; cpuMs: number }> = [];
    const block = async (enabled: boolean) => {
      await client.query(`ALTER TABLE events_event ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER skene_last_activity`);
      (enabled ? on : off).push(await insertBlock(client, pid, nextBlock++));
    };
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const enabled of pair % 2 === 0 ? [false, true] : [true, false]) await block(enabled);
    }
    await client.query('ALTER TABLE events_event ENABLE TRIGGER skene_last_activity');
    return { serverCpu: ratio(on.map((b) => b.cpuMs), off.map((b) => b.cpuMs)), wall: ratio(on.map((b) => b.wallMs), off.map((b) => b.wallMs)) };
  } finally {
    await client.end();
  }
}

/**
 * The throttled trigger of the round before (an UPDATE on every event that changes nothing inside the window),
 * swapped in on Skene's database for one measurement and then replaced by the migration's own function again.
 */
async function withUnguardedThrottle<T>(url: string, measure: () => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    const current = await client.query<{ def: string }>("SELECT pg_get_functiondef('skene_touch_last_activity'::regproc) AS def");
    await client.query(`CREATE OR REPLACE FUNCTION skene_touch_last_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE accounts_user SET last_activity_at = NEW.created_at
        WHERE id = NEW.user_id AND (last_activity_at IS NULL OR last_activity_at < NEW.created_at - interval '5 minutes');
        RETURN NULL;
      END; $$`);
    try {
      return await measure();
    } finally {
      await client.query(current.rows[0]?.def ?? '');
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  let cluster: PostgresCluster | null = null;
  let dir: string | null = null;
  try {
    cluster = await startPostgres({ settings: { shared_buffers: '256MB', max_wal_size: '2GB' } });
    const url = await cluster.createDatabase('skene');
    dir = await copyProject();
    const env = { ...djangoDbEnv(cluster, 'skene'), DJANGO_SETTINGS_MODULE: 'config.settings.dev' };
    const migrate = async () => {
      const result = await runManage(dir ?? '', ['migrate', '--no-input'], env, { timeoutMs: 1_800_000 });
      if (result.code !== 0) throw new Error(`migrate failed:\n${result.stderr}`);
    };
    await migrate();
    const seedStarted = performance.now();
    await seed(url);
    console.log(`seeded ${USERS} users, ${EVENTS} events in ${Math.round(performance.now() - seedStarted)} ms`);
    // The baseline gets an identical copy of the seeded database.
    const admin = await connect(cluster.url);
    await admin.query('CREATE DATABASE baseline TEMPLATE skene');
    await admin.end();
    const baselineUrl = url.replace(/\/skene$/, '/baseline');

    const init = await runInit(dir, { yes: true }, { stdout: () => undefined, stderr: (t) => process.stderr.write(t), isTTY: false, confirm: () => Promise.resolve(false) });
    if (init !== 0) throw new Error(`skene init exited ${init}`);
    const skene = await busySite(url, migrate);
    console.log(`Skene's migrations: longest one-row UPDATE wait ${skene.maxMs} ms (p95 ${skene.p95Ms} ms, ${skene.updates} updates, migrate ${skene.migrateMs} ms)`);

    const previous = await busySite(baselineUrl, async () => {
      const client = await connect(baselineUrl);
      try {
        for (const sql of PREVIOUS_MIGRATIONS) await client.query(sql);
      } finally {
        await client.end();
      }
    });
    console.log(`previous migrations (baseline): longest one-row UPDATE wait ${previous.maxMs} ms (p95 ${previous.p95Ms} ms, ${previous.updates} updates, ${previous.migrateMs} ms)`);

    // Both databases were just rewritten by migrations: vacuum them now so autovacuum does not run during some blocks only.
    for (const target of [url, baselineUrl]) {
      const client = await connect(target);
      await client.query('VACUUM ANALYZE');
      await client.query('CHECKPOINT');
      await client.end();
    }
    const describe = ({ serverCpu: c, wall: w }: InsertOverhead) =>
      `server CPU ${c.onMs} / ${c.offMs} ms = ${c.ratio}x (median pair ${c.medianPairRatio}x); wall ${w.onMs} / ${w.offMs} ms = ${w.ratio}x (median pair ${w.medianPairRatio}x)`;
    const inserts = await insertOverhead(url);
    console.log(`event inserts, Skene's trigger (read first, then a throttled write) on/off: ${describe(inserts)}`);
    const unguarded = await withUnguardedThrottle(url, () => insertOverhead(url));
    console.log(`event inserts, throttled UPDATE on every event (previous round) on/off: ${describe(unguarded)}`);
    const baselineInserts = await insertOverhead(baselineUrl);
    console.log(`event inserts, a write per event (baseline) on/off: ${describe(baselineInserts)}`);

    const result = {
      users: USERS,
      events: EVENTS,
      insertWorkload: { pairs: PAIRS, blockUsers: BLOCK_USERS, eventsPerUser: EVENTS_PER_USER },
      updateWait: { skene: skene, previous, targetMaxMs: 1000 },
      insertOverhead: { skene: inserts, unguardedThrottle: unguarded, previous: baselineInserts, targetRatio: 1.5 },
    };
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'bigTable.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
