// One runner behind `npm test`: Node's built-in test runner over every test/**/*.test.ts (through tsx).
// Pass paths or folders to narrow the run: `npm test -- test/unit`.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
// The spec reporter's totals are read from our own copy of its output: a TAP file written beside it would be cut
// short by --test-force-exit, which ends the process before file streams flush.
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    // A test file that leaves a socket or timer open must not hang CI after its tests finished, and a stuck
    // test fails after 10 minutes instead of eating the 90-minute budget. The limit also bounds a whole file (each
    // file runs in its own process), and the code-server e2e file takes over 5 minutes on a loaded 2-core machine.
    '--test-force-exit', '--test-timeout=600000',
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: ['inherit', 'pipe', 'inherit'], cwd: root },
);
// The totals ("ℹ pass 575") are read line by line as they stream: the reporter prints the failing tests' details
// after them, so a tail of the output can miss them when many tests fail.
const totals = new Map();
let partialLine = '';
child.stdout.setEncoding('utf8'); // a chunk may end inside a multi-byte character such as ℹ
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partialLine + chunk).split('\n');
  partialLine = lines.pop() ?? '';
  for (const line of lines) {
    const total = /^\S* ?(tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
    if (total) totals.set(total[1], Number(total[2]));
  }
});
const status = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
// A closing line any CI can read, from the runner's own totals. Cancelled tests (a file that died or timed out) and
// todo tests count as failures: a run that did not execute a test did not pass it.
const count = (name) => totals.get(name) ?? 0;
const [passed, failed, cancelled, todo, skipped] = ['pass', 'fail', 'cancelled', 'todo', 'skipped'].map(count);
const notPassed = failed + cancelled + todo;
if (cancelled || todo) console.log(`\n${failed} failed, ${cancelled} cancelled, ${todo} todo: each counts as failed`);
console.log(`\ntests: ${passed} passed, ${notPassed} failed, ${skipped} skipped`);
process.exit(status === 0 && notPassed > 0 ? 1 : status);
