/**
 * Benchmark: the packaged extension in a real VS Code (code-server 4.100.3): VSIX size, and activation
 * time over fresh windows of the example project, as VS Code itself measures it (loading extension.js +
 * activate(), shown by "Developer: Show Running Extensions"), next to the time inside activate() that
 * the extension logs. (Timestamps of log lines are not used: the output channel's lines are stamped when
 * they reach the log file, not when they were written.)
 * Run: `npx tsx bench/extension.ts`. Writes bench/results/extension.json. Target: activation <= 50 ms.
 * SKENE_BENCH_VSIX=<file> measures an already packaged VSIX instead of running `npm run package`.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../test/helpers/tempDir';
import { findLogFiles, installCodeServer, installExtension, readText, startCodeServer, waitFor, writeUserSettings } from '../test/e2e/codeServer';
import { fileSize, packageVsix } from '../test/e2e/packageVsix';
import { CHROMIUM_ARGS, Workbench } from '../test/e2e/workbench';
import { runProcess } from '../test/helpers/runProcess';

const root = path.resolve(__dirname, '..');
const WINDOWS = Number(process.env.SKENE_BENCH_WINDOWS ?? 5);

interface Activation {
  /** VS Code's own figure ("Developer: Show Running Extensions"): loading extension.js + activate(). */
  vscodeMs: number;
  /** The extension's own log line: time spent inside activate(). */
  activateBodyMs: number;
}

/** "activated in 1.1 ms" from the Skene log of the n-th extension host (one per window). */
function insideActivateMs(userDataDir: string, n: number): number | undefined {
  const log = findLogFiles(path.join(userDataDir, 'logs'), /^Skene\.log$/).find((f) => path.basename(path.dirname(path.dirname(f))) === `exthost${n}`);
  const match = log ? /activated in ([\d.]+) ms/.exec(readText(log)) : null;
  return match ? Number(match[1]) : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function vsixFiles(vsix: string): Promise<Record<string, number>> {
  const listing = await runProcess('unzip', ['-l', vsix]);
  const files: Record<string, number> = {};
  for (const match of listing.stdout.matchAll(/^\s*(\d+)\s+\S+\s+\S+\s+(extension\/\S+)$/gm)) {
    if (!match[2]?.includes('/templates/')) files[match[2] ?? ''] = Number(match[1]);
  }
  return files;
}

async function main(): Promise<void> {
  const temp = await makeTempDir('skene-bench-ext');
  try {
    const bin = await installCodeServer();
    mkdirSync(path.join(temp, 'staging'));
    const vsix = process.env.SKENE_BENCH_VSIX ?? (await packageVsix(path.join(temp, 'staging')));
    const dirs = { userDataDir: path.join(temp, 'user'), extensionsDir: path.join(temp, 'extensions') };
    await installExtension(bin, vsix, dirs);
    writeUserSettings(dirs);
    const project = path.join(temp, 'saas');
    cpSync(path.join(root, 'examples/saas'), project, { recursive: true });
    const samples = await measureWindows(bin, dirs, project);
    const result = {
      benchmark: 'extension',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, vscode: '1.100.3 (code-server 4.100.3)' },
      vsix: { bytes: fileSize(vsix), kib: Math.round(fileSize(vsix) / 1024), uncompressedBytes: await vsixFiles(vsix) },
      activation: {
        windows: samples.length,
        medianMs: median(samples.map((s) => s.vscodeMs)),
        maxMs: Math.max(...samples.map((s) => s.vscodeMs)),
        samplesMs: samples.map((s) => s.vscodeMs),
        insideActivateMedianMs: median(samples.map((s) => s.activateBodyMs)),
      },
      targets: { activationAtMost50ms: median(samples.map((s) => s.vscodeMs)) <= 50 },
    };
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(path.join(root, 'bench/results/extension.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await removeTempDir(temp);
  }
}

/** Opens the project WINDOWS times; each page load starts a fresh extension host (exthost1, exthost2, ...). */
async function measureWindows(bin: string, dirs: { userDataDir: string; extensionsDir: string }, project: string): Promise<Activation[]> {
  const server = await startCodeServer(bin, dirs);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const samples: Activation[] = [];
    for (let n = 1; n <= WINDOWS; n++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(project)}`);
      const bench = new Workbench(page, path.join(dirs.userDataDir, 'screenshots'));
      await bench.statusBarItem('Skene').waitFor({ timeout: 60_000 });
      await bench.runCommand('Developer: Show Running Extensions');
      const time = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Skene for Django' }).locator('.activation-time');
      const vscodeMs = Number(/Activation: (\d+)\s*ms/.exec(await time.innerText({ timeout: 20_000 }))?.[1] ?? NaN);
      const activateBodyMs = await waitFor(`the activation line of window ${n}`, 20_000, () => insideActivateMs(dirs.userDataDir, n));
      samples.push({ vscodeMs, activateBodyMs });
      await page.close();
    }
    return samples;
  } finally {
    await browser.close();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
