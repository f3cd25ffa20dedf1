import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, chown, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { freePort } from './freePort';
import { runProcess, type ProcessResult } from './runProcess';
import { makeTempDir, removeTempDir } from './tempDir';

/** PostgreSQL 15 from Debian's packages; never the system service, only its binaries. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';
/** The cluster's superuser (trust auth, no password). */
const SUPERUSER = 'skene';
const START_ATTEMPTS = 4;

export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  /** postgres:// URL of the default `postgres` database. */
  url: string;
  dataDir: string;
  /** Creates a database and returns its postgres:// URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Extra postgresql.conf settings, e.g. { statement_timeout: '5s' }. */
  settings?: Record<string, string>;
}

interface ServerAccount {
  uid: number;
  gid: number;
}

/**
 * initdb and postgres refuse to run as root, and CI runs tests as root. Then the server runs as
 * Debian's `postgres` account (created by the postgresql package), or `nobody` where that is missing.
 * As any other user it simply runs as that user.
 */
function serverAccount(): ServerAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, but neither a "postgres" nor a "nobody" account exists to run PostgreSQL');
}

function runPg(binary: string, args: string[], baseDir: string, account: ServerAccount | undefined): Promise<ProcessResult> {
  // cwd inside the cluster's dir: the server account may not be able to enter the caller's cwd (/root).
  return runProcess(path.join(PG_BIN, binary), args, { cwd: baseDir, uid: account?.uid, gid: account?.gid, timeoutMs: 60_000 });
}

/** A throw-away PostgreSQL 15 cluster on 127.0.0.1:<free port>, socket and data in a fresh temp dir. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const account = serverAccount();
  const baseDir = await makeTempDir('skene-pg-');
  try {
    if (account) await chown(baseDir, account.uid, account.gid);
    const dataDir = path.join(baseDir, 'data');
    const init = await runPg('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], baseDir, account);
    if (init.code !== 0) throw new Error(`initdb failed (${init.code}):\n${init.stderr}${init.stdout}`);
    const port = await startServer(baseDir, dataDir, account, options.settings ?? {});
    const cluster = makeCluster(baseDir, dataDir, port, account);
    running.set(dataDir, { baseDir, account });
    return cluster;
  } catch (error) {
    await removeTempDir(baseDir);
    throw error;
  }
}

/** Tries free ports until the server binds: another test file may grab the same port between our probe and bind. */
async function startServer(baseDir: string, dataDir: string, account: ServerAccount | undefined, settings: Record<string, string>): Promise<number> {
  const logFile = path.join(baseDir, 'postgres.log');
  let lastLog = '';
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    // Later lines win in postgresql.conf, so a retry simply appends the new port.
    await appendFile(path.join(dataDir, 'postgresql.conf'), serverSettings(port, baseDir, settings));
    const started = await runPg('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start'], baseDir, account);
    if (started.code === 0) return port;
    lastLog = await readFile(logFile, 'utf8').catch(() => started.stderr);
    if (!/could not bind|address already in use/i.test(lastLog)) break;
  }
  throw new Error(`PostgreSQL did not start; server log:\n${lastLog}`);
}

function serverSettings(port: number, socketDir: string, extra: Record<string, string>): string {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    // Throw-away data: durability only costs time here.
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'off',
    ...extra,
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key} = '${value.replace(/'/g, "''")}'`);
  return `\n# skene test harness\n${lines.join('\n')}\n`;
}

function makeCluster(baseDir: string, dataDir: string, port: number, account: ServerAccount | undefined): PostgresCluster {
  const host = '127.0.0.1';
  const urlFor = (database: string) => `postgres://${SUPERUSER}@${host}:${port}/${database}`;
  return {
    host,
    port,
    user: SUPERUSER,
    url: urlFor('postgres'),
    dataDir,
    async createDatabase(name) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      if (!running.delete(dataDir)) return;
      await runPg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], baseDir, account);
      await removeTempDir(baseDir);
    },
  };
}

/** Clusters not stopped yet, so a test file that crashes or forgets stop() leaves nothing running. */
const running = new Map<string, { baseDir: string; account: ServerAccount | undefined }>();
process.once('exit', () => {
  for (const [dataDir, { baseDir, account }] of running) {
    spawnSync(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { cwd: baseDir, uid: account?.uid, gid: account?.gid, stdio: 'ignore' });
    rmSync(baseDir, { recursive: true, force: true });
  }
});

/**
 * For node:test files: starts a cluster in before() and stops it in after() of the enclosing suite.
 * Read `.cluster` inside tests (it exists once before() has run).
 */
export function withPostgres(options: PostgresOptions = {}): { readonly cluster: PostgresCluster } {
  let current: PostgresCluster | undefined;
  before(async () => {
    current = await startPostgres(options);
  });
  after(async () => {
    await current?.stop();
  });
  return {
    get cluster(): PostgresCluster {
      if (!current) throw new Error('withPostgres: the cluster is read before before() ran (or it failed to start)');
      return current;
    },
  };
}

/**
 * Everything a database holds, as pg_dump prints it (schema, rows, sequences, large objects), for tests that
 * assert a database is byte-for-byte unchanged. The dump's own timestamps and its random
 * `\restrict` key (pg_dump 15.14+) are stripped. `extra`: more pg_dump options (e.g. `--exclude-table-data=…`).
 */
export async function dumpDatabase(url: string, extra: string[] = []): Promise<string> {
  const result = await runProcess(path.join(PG_BIN, 'pg_dump'), ['--no-owner', '--no-privileges', '--blobs', ...extra, '-d', url], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`pg_dump failed (${result.code}):\n${result.stderr}`);
  return result.stdout.replace(/^-- (Started|Completed|Dumped) .*$/gm, '').replace(/^\\(un)?restrict .*$/gm, '');
}
