/**
 * A project initialized by an older Skene (vendored @skene/sdk sources under skene/sdk/, an edited root
 * package.json): a re-run shows the removal of the old vendored files and of the package.json entries Skene added,
 * and does it only with consent (--yes). Fixture: teamapp with test/fixtures/upgrade/old-layout laid over it.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runInit, type InitIo } from '../../../cli/commands/init';
import { parseState } from '../../../generators/state/initState';
import { copyProject } from '../../helpers/django';
import { removeTempDir } from '../../helpers/tempDir';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const OLD = ['skene/sdk/bin/skene.js', 'skene/sdk/index.ts', 'skene/sdk/package.json', 'skene/sdk/runtime/engine.ts', 'skene/sdk/runtime/ledger.sql', 'skene/sdk/schema.ts'];
let dir: string;

function io(): InitIo & { out: string; err: string } {
  const state = { out: '', err: '', stdout: (t: string) => { state.out += t; }, stderr: (t: string) => { state.err += t; }, isTTY: false, confirm: () => Promise.resolve(false) };
  return state;
}

const exists = (rel: string) => existsSync(path.join(dir, rel));
const packageJson = () => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;

before(async () => {
  dir = await copyProject(path.join(FIXTURES, 'init/teamapp'));
  cpSync(path.join(FIXTURES, 'upgrade/old-layout'), dir, { recursive: true });
});

after(async () => {
  await removeTempDir(dir);
});

test('the preview lists each old vendored file as delete, and package.json without the entries Skene added', async () => {
  const terminal = io();
  assert.equal(await runInit(dir, { dryRun: true }, terminal), 0, terminal.err);
  for (const rel of OLD) assert.match(terminal.out, new RegExp(`^ {2}delete {4}${rel.replace(/\./g, '\\.')} {2}— Vendored @skene/sdk source of an older Skene`, 'm'), rel);
  assert.match(terminal.out, /^ {2}modify {4}package\.json {2}— Restores your package\.json: removes dependencies\["@skene\/sdk"\] and scripts\["skene:run"\]/m);
  assert.match(terminal.out, /^- {4}"@skene\/sdk": "file:skene\/sdk"$/m);
  assert.match(terminal.out, /^- {4}"skene:run": "tsx skene\/runner\.ts --once"$/m);
  assert.match(terminal.out, /^warning: Left in place, edited since an older Skene vendored them: skene\/sdk\/types\.ts\./m);
  assert.match(terminal.out, /^info: package\.json keeps tsx, typescript in devDependencies/m);
  assert.match(terminal.out, /\(\d+ create, \d+ modify, 0 unchanged, 0 conflict, 6 delete\)/);
  assert.ok(OLD.every(exists));
});

test('without --yes (not a terminal) nothing is removed', async () => {
  const terminal = io();
  assert.equal(await runInit(dir, {}, terminal), 1);
  assert.ok(OLD.every(exists));
  assert.equal(packageJson().dependencies?.['@skene/sdk'], 'file:skene/sdk');
});

test('with --yes the old files go, package.json is the project\'s own again, and a re-run plans no removal', async () => {
  const terminal = io();
  assert.equal(await runInit(dir, { yes: true }, terminal), 0, terminal.err);
  assert.match(terminal.out, /removed 6\./);
  assert.deepEqual(OLD.filter(exists), []);
  assert.ok(exists('skene/sdk/types.ts'), 'the edited file stays');
  assert.ok(exists('skene/sdk/index.js') && exists('skene/package.json'));
  assert.deepEqual(['skene/sdk/bin', 'skene/sdk/runtime'].filter(exists), [], 'the folders the removal left empty go too');
  assert.deepEqual(packageJson(), {
    name: 'teamapp-frontend',
    private: true,
    scripts: { build: 'vite build' },
    dependencies: { 'htmx.org': '^2.0.0' },
    devDependencies: { vite: '^5.4.0', tsx: '^4.20.0', typescript: '^5.9.3' },
  });
  const state = parseState(readFileSync(path.join(dir, '.skene/generated.json'), 'utf8'));
  assert.deepEqual(OLD.filter((rel) => rel in state.files), []);
  const again = io();
  assert.equal(await runInit(dir, { dryRun: true }, again), 0);
  assert.doesNotMatch(again.out, /^ {2}delete /m);
  assert.doesNotMatch(again.out, /package\.json {2}— Restores/);
});
