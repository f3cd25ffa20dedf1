/**
 * Benchmark: cold start of the `skene` CLI as the npm package ships it (scripts/buildCliPackage.mjs: minified
 * ES modules split per command), against bare `node -e 0` in the same script, interleaved round by round so
 * both see the same machine load. Each command runs in a fresh process:
 *   `skene --help`, `skene check` and `skene analyze` on an initialized copy of examples/saas.
 * `skene check` loads the TypeScript parser through V8's code cache (cli/startup/compileCache.ts): the target
 * case runs with the cache the warm-up run wrote, as every check after the first one does; `checkNoCache`
 * gives each run an empty cache folder, which is what the very first check after an install costs.
 * Reports medians and ratios to the baseline's median. Targets: --help <= 3x, check <= 8x, analyze <= 6x.
 * Run: `npx tsx bench/cliStart.ts [rounds]`. Writes bench/results/cliStart.json.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { stats } from './stats';

const root = path.resolve(__dirname, '..');
const ROUNDS = Number(process.argv[2] ?? 21);
const TARGETS = { help: 3, check: 8, analyze: 6 } as const;

interface Case {
  name: 'baseline' | 'checkNoCache' | keyof typeof TARGETS;
  args: string[];
  /** The code cache folder for this run (the bench's own, never the user's). */
  cacheDir: () => string;
}

function timeOnce(args: string[], cwd: string, cacheDir: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, SKENE_CACHE_DIR: cacheDir } });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'skene-bench-cli-'));
  try {
    const { buildCliPackage } = (await import(path.join(root, 'scripts/buildCliPackage.mjs'))) as { buildCliPackage: (outdir: string) => Promise<string> };
    const cli = path.join(await buildCliPackage(path.join(work, 'dist')), 'cli.js');
    const project = path.join(work, 'saas');
    cpSync(path.join(root, 'examples/saas'), project, { recursive: true });
    const cache = path.join(work, 'cache');
    timeOnce([cli, 'init', '--yes'], project, cache);
    let emptyCaches = 0;
    const cases: Case[] = [
      { name: 'baseline', args: ['-e', '0'], cacheDir: () => cache },
      { name: 'help', args: [cli, '--help'], cacheDir: () => cache },
      { name: 'check', args: [cli, 'check'], cacheDir: () => cache },
      { name: 'checkNoCache', args: [cli, 'check'], cacheDir: () => path.join(work, `empty-cache-${emptyCaches++}`) },
      { name: 'analyze', args: [cli, 'analyze'], cacheDir: () => cache },
    ];
    const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
    // Warms the file cache (and writes the code cache `check` reads); every timed run is a new process.
    for (const c of cases) timeOnce(c.args, project, c.cacheDir());
    for (let round = 0; round < ROUNDS; round++) for (const c of cases) samples.get(c.name)?.push(timeOnce(c.args, project, c.cacheDir()));
    const baseline = stats(samples.get('baseline') ?? [], 1);
    const commands = Object.fromEntries(
      (Object.keys(TARGETS) as Array<keyof typeof TARGETS>).map((name) => {
        const s = stats(samples.get(name) ?? [], 1);
        const ratio = Number((s.medianMs / baseline.medianMs).toFixed(2));
        return [name, { ...s, ratio, target: TARGETS[name], meetsTarget: ratio <= TARGETS[name] }];
      }),
    );
    const noCache = stats(samples.get('checkNoCache') ?? [], 1);
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      rounds: ROUNDS,
      baseline: { command: 'node -e 0', ...baseline },
      commands,
      checkWithoutCodeCache: { ...noCache, ratio: Number((noCache.medianMs / baseline.medianMs).toFixed(2)) },
    };
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(path.join(root, 'bench/results/cliStart.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
