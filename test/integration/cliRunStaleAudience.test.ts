import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyProject } from '../helpers/django';
import { removeTempDir } from '../helpers/tempDir';

const CLI = path.resolve(__dirname, '../../cli/cli.ts');
const skene = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });

// A Stripe audience added to the config after Initialize: loops.json has no compiled audience SQL yet. The run
// must refuse with the fix named (exit 1), before touching the database, instead of crashing with a stack trace.
test('skene run refuses a loop whose Stripe audience is not compiled into loops.json yet', async (t) => {
  const root = await copyProject();
  t.after(() => removeTempDir(root));
  assert.equal(skene(['init', root, '--yes']).status, 0);
  const config = path.join(root, 'skene.config.ts');
  const text = readFileSync(config, 'utf8');
  assert.match(text, /\n {2}audience: 'all',\n/, 'Initialize writes the default audience out');
  writeFileSync(config, text.replace("\n  audience: 'all',\n", "\n  audience: 'paying',\n"));
  const run = skene(['run', root, '--once'], { DATABASE_URL: 'postgres://127.0.0.1:1/unreachable', SKENE_SECRET: 's', SKENE_EMAIL_PROVIDER: 'log' });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(
    run.stderr.trim(),
    "skene run: loop dormant-users: audience 'paying' needs the Stripe subscription SQL that `skene init` compiles from the project; run `npx skene-django check` and `npx skene-django init`.",
  );
});
