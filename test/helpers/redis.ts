import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { freePort } from './freePort';
import { makeTempDir, removeTempDir } from './tempDir';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:<port>/0 */
  url: string;
  stop(): Promise<void>;
}

const START_ATTEMPTS = 4;
const READY_TIMEOUT_MS = 10_000;

/** A throw-away redis-server on a free port: no RDB snapshots, no AOF, its working dir in a temp dir. */
export async function startRedis(): Promise<RedisServer> {
  const dir = await makeTempDir('skene-redis-');
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitUntilReady(child, port);
      running.set(child, dir);
      return { port, url: `redis://127.0.0.1:${port}/0`, stop: () => stopRedis(child, dir) };
    } catch (error) {
      // Most likely another test file took the port between our probe and redis's bind: try another.
      lastError = error as Error;
      child.kill('SIGKILL');
    }
  }
  await removeTempDir(dir);
  throw lastError ?? new Error('redis-server did not start');
}

/** Resolves once PING answers PONG; rejects if the server exits first or takes longer than READY_TIMEOUT_MS. */
async function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before answering PING:\n${output}`)));
  });
  exited.catch(() => undefined); // handled by the race below; keeps a late exit from being an unhandled rejection
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const reply = await Promise.race([redisCommand(port, ['PING']).catch(() => undefined), exited]);
    if (reply === '+PONG') return;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 25)), exited]);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

async function stopRedis(child: ChildProcess, dir: string): Promise<void> {
  if (!running.delete(child)) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await removeTempDir(dir);
}

/**
 * Sends one command in RESP and resolves with the first line of the reply, e.g. "+PONG" or "$5".
 * Enough for health checks and tests; no redis client package is installed.
 */
export function redisCommand(port: number, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2_000, () => socket.destroy(new Error('redis command timed out')));
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end >= 0) {
        socket.end();
        resolve(received.slice(0, end));
      }
    });
    socket.once('connect', () => socket.write(encodeCommand(args)));
  });
}

function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** Servers not stopped yet: killed when the test process exits so none outlives a crashed test file. */
const running = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, dir] of running) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
