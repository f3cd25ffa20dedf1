/**
 * Skene's migrations on a big, busy user table: examples/saas with 300,000 users and 600,000 events in a
 * throw-away PostgreSQL 15, while the "site" keeps updating one random user row at a time (and inserting
 * events). Measured:
 * - the longest wait of a one-row UPDATE of the user table while `manage.py migrate` applies Skene's
 *   migrations (target ≤ 1 s), against the baseline in the same run: the migrations Skene wrote before
 *   (AddField with a default and a plain index in one transaction, then the whole backfill as one UPDATE);
 * - event inserts with last-activity tracking on versus off (target ≤ 1.5x), for Skene's throttled trigger and
 *   for the baseline trigger that wrote the user row on every event.
 * Insert workload: single-row INSERTs from a working set of active users (each inserts a burst of events), as
 * a site's traffic does. `npx tsx bench/bigTable.ts [--users=300000] [--events=600000]` → bench/results/bigTable.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
const INSERTS = arg('inserts', 20_000);
const ACTIVE_USERS = arg('active', 1_000);

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

/** INSERTS single-row event inserts by ACTIVE_USERS users (bursts, as sessions produce), in ms. */
async function insertWorkload(client: pg.Client, round: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < INSERTS; i++) {
    const user = 1 + ((round * 104_729 + (i % ACTIVE_USERS) * 7_919) % USERS);
    await client.query("INSERT INTO events_event (user_id, name, properties, created_at) VALUES ($1, 'click', '{}', clock_timestamp())", [user]);
  }
  return performance.now() - started;
}

/** Median time of the insert workload with the trigger enabled and disabled, alternating, 3 rounds each. */
async function insertOverhead(url: string): Promise<{ onMs: number; offMs: number; ratio: number }> {
  const client = await connect(url);
  try {
    const on: number[] = [];
    const off: number[] = [];
    for (let round = 0; round < 3; round++) {
      await client.query('ALTER TABLE events_event DISABLE TRIGGER skene_last_activity');
      off.push(await insertWorkload(client, round * 2));
      await client.query('ALTER TABLE events_event ENABLE TRIGGER skene_last_activity');
      on.push(await insertWorkload(client, round * 2 + 1));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0;
    return { onMs: Math.round(median(on)), offMs: Math.round(median(off)), ratio: Number((median(on) / median(off)).toFixed(2)) };
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

    const inserts = await insertOverhead(url);
    console.log(`event inserts, Skene's throttled trigger on/off: ${inserts.onMs} / ${inserts.offMs} ms = ${inserts.ratio}x`);
    const baselineInserts = await insertOverhead(baselineUrl);
    console.log(`event inserts, previous trigger on/off (baseline): ${baselineInserts.onMs} / ${baselineInserts.offMs} ms = ${baselineInserts.ratio}x`);

    const result = {
      users: USERS,
      events: EVENTS,
      insertWorkload: { inserts: INSERTS, activeUsers: ACTIVE_USERS },
      updateWait: { skene: skene, previous, targetMaxMs: 1000 },
      insertOverhead: { skene: inserts, previous: baselineInserts, targetRatio: 1.5 },
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
