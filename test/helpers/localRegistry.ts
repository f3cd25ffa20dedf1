/**
 * A private npm registry for tests: verdaccio 6.8 (a devDependency) on 127.0.0.1:<free port>, with its
 * storage, config and a fresh user in a temp dir, and no uplinks: nothing is fetched from the internet, so a
 * package installs from it only if it needs nothing else. `npmEnv` points npm and npx at it with their own
 * cache and userconfig, as a user's machine that has never seen the package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './freePort';
import { makeTempDir, removeTempDir } from './tempDir';

export interface LocalRegistry {
  url: string;
  /** Environment for npm / npx: this registry, a logged-in userconfig, an empty cache. */
  npmEnv: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const VERDACCIO = path.resolve(__dirname, '../../node_modules/verdaccio/bin/verdaccio');

function config(dir: string): string {
  return [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    'uplinks: {}',
    // Verdaccio refuses bodies over 10 MB by default; the package (Ruff's and PostgreSQL's parser wasm) is near that.
    'max_body_size: 64mb',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer at ${url}:\n${output()}`);
}

/** Creates a user through the registry's own API (what `npm adduser` does) and returns its token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(`${url}/-/user/org.couchdb.user:skene-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'skene-test', password: 'skene-test-password' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) throw new Error(`could not create a registry user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = await makeTempDir('skene-registry-');
  await writeFile(path.join(dir, 'config.yaml'), config(dir));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [VERDACCIO, '--config', path.join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await removeTempDir(dir);
  };
  try {
    await waitForPing(url, child, () => output);
    const token = await addUser(url);
    const userconfig = path.join(dir, 'npmrc');
    await writeFile(userconfig, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    // Without the npm_* variables `npm test` sets for itself: the registry's user sees a plain shell.
    const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    const npmEnv: NodeJS.ProcessEnv = {
      ...shell,
      npm_config_registry: `${url}/`,
      npm_config_userconfig: userconfig,
      npm_config_cache: path.join(dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    return { url, npmEnv, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
