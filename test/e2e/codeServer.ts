import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../helpers/freePort';
import { runProcess } from '../helpers/runProcess';

const root = path.resolve(__dirname, '../..');

/** The repository's own installer: a fresh clone needs nothing beside it. */
export const INSTALL_SCRIPT = path.resolve(root, 'scripts/install-code-server.sh');

/** Installs code-server 4.100.3 (VS Code 1.100) and Debian's chromium if needed; returns the code-server binary. */
export async function installCodeServer(): Promise<string> {
  if (!existsSync(INSTALL_SCRIPT)) {
    throw new Error(`${INSTALL_SCRIPT} is missing from this checkout`);
  }
  const result = await runProcess('bash', [INSTALL_SCRIPT], { timeoutMs: 600_000 });
  const bin = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !existsSync(bin)) throw new Error(`install-code-server.sh failed (${result.code}):\n${result.stderr.slice(-3000)}`);
  return bin;
}

export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
}

export async function installExtension(bin: string, vsix: string, dirs: CodeServerDirs): Promise<void> {
  const result = await runProcess(bin, ['--install-extension', vsix, '--force', ...dirArgs(dirs)], { timeoutMs: 120_000 });
  if (result.code !== 0 || !/successfully installed/i.test(result.stdout + result.stderr)) {
    throw new Error(`code-server --install-extension failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** User settings that keep the test's workbench quiet and deterministic: no trust prompt, no welcome page. */
export function writeUserSettings(dirs: CodeServerDirs): void {
  const userDir = path.join(dirs.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'files.refactoring.autoSave': true,
    'editor.codeLens': true,
    'editor.minimap.enabled': false,
    'chat.commandCenter.enabled': false,
    'workbench.enableExperiments': false,
    'skene.trace.server': 'off',
  };
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts code-server on a free port of 127.0.0.1 and resolves once it answers HTTP. */
export async function startCodeServer(bin: string, dirs: CodeServerDirs): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...dirArgs(dirs)];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKENE_E2E: '1' } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`code-server on ${url}`, 30_000, async () => {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { url, process: child, output: () => output, stop };
}

function dirArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

/** Polls a condition until it holds or the deadline passes; the error names what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | false | undefined> | T | false | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file under a folder whose name matches, newest logs first (code-server writes one folder per session). */
export function findLogFiles(dir: string, name: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder)) {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.test(entry)) found.push(full);
    }
  };
  walk(dir);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
