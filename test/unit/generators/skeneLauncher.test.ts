import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

const LAUNCHER = path.resolve(__dirname, '../../../templates/node/skene-bin.js');

function launch(args: string[], env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  delete clean.SKENE_CLI;
  return spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', env: { ...clean, ...env } });
}

function fakeExtension(home: string, folder: string, version: string): void {
  const dist = path.join(home, folder, `skene.skene-django-${version}`, 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, 'cli.js'), `process.stdout.write('cli ${version} ' + process.argv.slice(2).join(' ')); process.exit(7);\n`);
}

test('npx skene runs the newest installed Skene extension CLI (VS Code or Cursor), passing arguments and exit code', async (t) => {
  const home = await makeTempDir('skene-home-');
  t.after(() => removeTempDir(home));
  fakeExtension(home, '.vscode/extensions', '0.9.0');
  fakeExtension(home, '.cursor/extensions', '0.10.1');
  const run = launch(['check', '--format', 'json'], { HOME: home });
  assert.deepEqual({ status: run.status, stdout: run.stdout }, { status: 7, stdout: 'cli 0.10.1 check --format json' });
});

test('SKENE_CLI (set by the extension in its terminals) wins; with no extension the launcher says what to install', async (t) => {
  const home = await makeTempDir('skene-home-');
  t.after(() => removeTempDir(home));
  const pinned = path.join(home, 'pinned-cli.js');
  writeFileSync(pinned, "process.stdout.write('pinned'); process.exit(0);\n");
  assert.deepEqual(launch([], { HOME: home, SKENE_CLI: pinned }).stdout, 'pinned');
  const missing = launch(['check'], { HOME: home });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /ships inside the "Skene for Django" extension, which was not found/);
});
