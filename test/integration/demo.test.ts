/**
 * `skene demo` in-process (not through `npm run build`, which would rewrite dist/ under other tests): the
 * copy is initialized, the embedded PostgreSQL gets the generated migration's SQL, the first run emails
 * exactly the dormant, active, subscribed people and the second run nobody; the output is the same twice.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDemo } from '../../cli/demo/runDemo';
import type { CommandIo } from '../../cli/run/commandIo';
import { removeTempDir } from '../helpers/tempDir';

interface DemoRun {
  code: number;
  out: string;
  err: string;
  seconds: number;
}

async function demo(keep: boolean): Promise<DemoRun> {
  let out = '';
  let err = '';
  const io: CommandIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, unicode: false, env: {}, onStopSignal: () => () => undefined };
  const started = performance.now();
  const code = await runDemo(io, { keep });
  return { code, out, err, seconds: (performance.now() - started) / 1000 };
}

/** Durations and the kept copy's path are the only parts that may differ between two runs. */
function stable(out: string): string {
  return out.replace(/\d+\.\d s\b/g, '<duration>').replace(/ The initialized copy is in \S+\./, '');
}

function section(out: string, heading: RegExp): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  assert.ok(start >= 0, `no section ${heading}`);
  const end = lines.findIndex((line, i) => i > start && line === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('skene demo', () => {
  let first: DemoRun;
  let second: DemoRun;
  let kept: string | undefined;

  before(async () => {
    first = await demo(true);
    kept = /The initialized copy is in (\S+)\./.exec(first.out)?.[1];
    second = await demo(false);
  });

  after(async () => {
    if (kept) await removeTempDir(kept);
  });

  // How long the demo takes is a benchmark's business, not a test's: on a busy 2-core CI machine a timed
  // assertion fails for reasons that have nothing to do with the demo.
  test('succeeds with nothing on stderr', () => {
    assert.deepEqual([first.code, first.err, second.code, second.err], [0, '', 0, '']);
  });

  test('Initialize wrote the project files into the copy (kept with --keep)', () => {
    const files = section(first.out, /^1\. Initialize/);
    for (const file of ['skene.config.ts', 'skene_retention/migrations/0001_initial.py', 'accounts/migrations/0003_user_last_activity_at.py', 'templates/skene/emails/re_engagement.txt']) {
      assert.ok(files.some((line) => line.endsWith(` ${file}`)), `${file} not listed`);
    }
    assert.ok(kept && existsSync(path.join(kept, 'skene.config.ts')) && existsSync(path.join(kept, 'skene_retention/loops.json')));
  });

  test('the schema comes from the models and the generated migration\'s SQL', () => {
    assert.deepEqual(section(first.out, /^2\. Embedded PostgreSQL \d+\.\d+ \(PGlite/), [
      '   accounts_user (accounts.User as models.py declares it)',
      '   events_event (events.Event)',
      '   skene_retention/migrations/0001_initial.py: LEDGER_SQL',
      '   skene_retention/migrations/0001_initial.py: TRIGGER_SQL',
    ]);
  });

  test('the seeded people, with last activity as the trigger set it', () => {
    assert.deepEqual(section(first.out, /^3\. Seeded 7 people and 14 events/), [
      '   ann@example.com  last active 30 days ago    dormant',
      '   bo@example.com   last active 12 days ago    dormant',
      '   cy@example.com   last active 9 days ago     dormant, no first name',
      '   dan@example.com  last active 1 day ago      active',
      '   eve@example.com  last active 2 hours ago    active',
      '   fay@example.com  last active 40 days ago    dormant, account deactivated',
      '   gus@example.com  last active 20 days ago    dormant, unsubscribed earlier (in skene_suppression)',
    ]);
  });

  test('run 1 emails exactly the dormant, active, subscribed people', () => {
    const run = section(first.out, /^4\. Run 1 of loop dormant-users \(0 9 \* \* \* in Europe\/Paris\)/);
    assert.deepEqual(run.filter((line) => line.startsWith('   > ')), [
      '   > to ann@example.com — "It has been a while"',
      '   > to bo@example.com — "It has been a while"',
      '   > to cy@example.com — "It has been a while"',
    ]);
    assert.ok(run.includes('       | Hi Ann,') && run.includes('       | Hi there,'));
    assert.ok(run.some((line) => /^ {7}List-Unsubscribe: <http:\/\/localhost:8000\/skene\/unsubscribe\/\?l=dormant-users&u=1&t=[\w-]{43}>$/.test(line)));
    assert.deepEqual(run.slice(-3).map(stable), [
      '   tick 2025-06-02T07:00:00.000Z: succeeded',
      '   Emailed: ann@example.com, bo@example.com, cy@example.com',
      '   Summary: candidates 4 · claimed 3 · sent 3 · skipped 1 (suppressed 1) · deferred 0 · failed 0 · <duration>',
    ]);
  });

  test('run 2 at the next tick emails nobody', () => {
    assert.deepEqual(section(first.out, /^5\. Run 2/).map(stable), [
      '   tick 2025-06-03T07:00:00.000Z: succeeded',
      '   Emailed: nobody',
      '   Summary: candidates 4 · claimed 0 · sent 0 · skipped 4 (already_sent 3, suppressed 1) · deferred 0 · failed 0 · <duration>',
      '   Nobody twice: each dormant user already has this dormancy episode\'s email in the ledger (skene_send_ledger).',
    ]);
  });

  test('the output is the same on every run (fixed clock, fixed demo secret)', () => {
    assert.equal(stable(second.out), stable(first.out));
  });
});
