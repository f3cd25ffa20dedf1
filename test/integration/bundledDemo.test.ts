import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The README's main job, run from the built bundle: files the bundle reads beside itself (wasm, templates,
// sdk sources, ledger.sql) only go missing in dist/, never when the sources run through tsx.
// The time limit only stops a hung demo: it starts PostgreSQL, migrates Django and runs Celery, which on a loaded
// 2-core CI machine has taken over a minute.
test('node dist/cli.js demo emails the dormant users once and nobody on the second run', () => {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const run = spawnSync(process.execPath, [cli, 'demo'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, run.stderr);
  const emailed = run.stdout.split('\n').filter((line) => line.trim().startsWith('Emailed:')).map((line) => line.trim());
  assert.deepEqual(emailed, ['Emailed: ann@example.com, bo@example.com, cy@example.com', 'Emailed: nobody']);
});
