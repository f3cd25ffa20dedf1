// One runner behind `npm test`: Node's built-in test runner over every test/**/*.test.ts (through tsx).
// Pass paths or folders to narrow the run: `npm test -- test/unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const targets = args.length ? args : ['test'];

function collect(target, out) {
  const full = path.resolve(root, target);
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full).sort()) {
      if (entry === 'node_modules' || entry === 'fixtures') continue;
      const child = path.join(full, entry);
      if (statSync(child).isDirectory() || entry.endsWith('.test.ts')) collect(child, out);
    }
  } else out.push(path.relative(root, full));
  return out;
}

const files = targets.flatMap((t) => collect(t, []));
if (!files.length) {
  console.error('no test files found under', targets.join(' '));
  process.exit(1);
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const concurrency = process.env.SKENE_TEST_CONCURRENCY ?? '2';
mkdirSync(path.join(root, '.tmp'), { recursive: true });
const tapFile = path.join(root, '.tmp', 'test-results.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    // A test file that leaves a socket or timer open must not hang CI after its tests finished, and a stuck
    // test fails after 5 minutes instead of eating the 90-minute budget.
    '--test-force-exit', '--test-timeout=300000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
// A closing line any CI can read, taken from the TAP totals of the same run.
const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
console.log(`\ntests: ${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
process.exit(result.status ?? 1);
