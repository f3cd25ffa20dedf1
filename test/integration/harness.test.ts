import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { describe, test } from 'node:test';
import pg from 'pg';
import { freePort } from '../helpers/freePort';
import { startPostgres, withPostgres } from '../helpers/postgres';
import { redisCommand, startRedis } from '../helpers/redis';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves with what the server answered to a raw RESP PING, written by hand on a plain socket. */
function rawPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('data', (reply: string) => {
      socket.end();
      resolve(reply);
    });
  });
}

/** Resolves with the error code of a TCP connection attempt ('ECONNREFUSED' once nothing listens). */
function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('startPostgres', () => {
  test('two clusters start side by side, answer queries, create databases and leave nothing behind', async () => {
    const [plain, tuned] = await Promise.all([startPostgres(), startPostgres({ settings: { statement_timeout: '1234ms' } })]);
    try {
      assert.notEqual(plain.port, tuned.port);
      assert.notEqual(plain.dataDir, tuned.dataDir);
      assert.deepEqual(
        { host: plain.host, user: plain.user, url: plain.url },
        { host: '127.0.0.1', user: 'skene', url: `postgres://skene@127.0.0.1:${plain.port}/postgres` },
      );
      const rows = await query(plain.url, "SELECT 1 AS one, current_user AS who, current_setting('server_version_num')::int / 10000 AS major, current_setting('fsync') AS fsync");
      assert.deepEqual(rows, [{ one: 1, who: 'skene', major: 15, fsync: 'off' }]);
      assert.deepEqual(await query(tuned.url, 'SHOW statement_timeout'), [{ statement_timeout: '1234ms' }]);

      const dbUrl = await plain.createDatabase('harness_check');
      assert.equal(dbUrl, `postgres://skene@127.0.0.1:${plain.port}/harness_check`);
      assert.deepEqual(await query(dbUrl, 'SELECT current_database() AS db'), [{ db: 'harness_check' }]);
      await assert.rejects(plain.createDatabase('bad"name'), /not a plain database name/);
    } finally {
      await Promise.all([plain.stop(), tuned.stop()]);
    }
    assert.deepEqual([existsSync(plain.dataDir), existsSync(tuned.dataDir)], [false, false]);
    assert.deepEqual(await Promise.all([connectError(plain.port), connectError(tuned.port)]), ['ECONNREFUSED', 'ECONNREFUSED']);
    await plain.stop(); // a second stop is harmless
  });
});

describe('withPostgres', () => {
  const pgHandle = withPostgres({ settings: { application_name: 'skene-harness' } });

  test('gives the tests of its suite a running cluster with the requested settings', async () => {
    const rows = await query(pgHandle.cluster.url, "SELECT current_setting('application_name') AS app, current_setting('port')::int AS port");
    assert.deepEqual(rows, [{ app: 'skene-harness', port: pgHandle.cluster.port }]);
  });
});

describe('startRedis', () => {
  test('answers PING on a raw socket, keeps data in memory and refuses connections once stopped', async () => {
    const redis = await startRedis();
    try {
      assert.equal(redis.url, `redis://127.0.0.1:${redis.port}/0`);
      assert.equal(await rawPing(redis.port), '+PONG\r\n');
      assert.deepEqual(
        [await redisCommand(redis.port, ['SET', 'skene', 'loop']), await redisCommand(redis.port, ['CONFIG', 'GET', 'appendonly'])],
        ['+OK', '*2'],
      );
    } finally {
      await redis.stop();
    }
    assert.equal(await connectError(redis.port), 'ECONNREFUSED');
  });
});

describe('freePort and makeTempDir', () => {
  test('freePort gives a port that can be bound on 127.0.0.1', async () => {
    const port = await freePort();
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.ok(port > 0 && port < 65536, `port ${port}`);
  });

  test('makeTempDir makes distinct empty directories and removeTempDir deletes them', async () => {
    const [a, b] = await Promise.all([makeTempDir('skene-harness'), makeTempDir('skene-harness-')]);
    assert.notEqual(a, b);
    assert.match(a, /skene-harness-[^/]+$/);
    assert.deepEqual(await readdir(a), []);
    await Promise.all([removeTempDir(a), removeTempDir(b), removeTempDir(b)]);
    assert.deepEqual([existsSync(a), existsSync(b)], [false, false]);
  });
});
