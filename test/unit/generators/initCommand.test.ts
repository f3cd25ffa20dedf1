/** `skene init` as a command: --dry-run and a refused non-terminal run write nothing; --json is the plan. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runInit, type InitIo } from '../../../cli/commands/init';
import { copyProject } from '../../helpers/django';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

const FIXTURE = path.resolve(__dirname, '../../fixtures/init/teamapp');
let dir: string;

function io(answer: boolean | null = null): InitIo & { out: string; err: string; asked: number } {
  const state = {
    out: '',
    err: '',
    asked: 0,
    stdout: (t: string) => { state.out += t; },
    stderr: (t: string) => { state.err += t; },
    isTTY: answer !== null,
    confirm: () => { state.asked++; return Promise.resolve(answer === true); },
  };
  return state;
}

function listing(): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

before(async () => {
  dir = await copyProject(FIXTURE);
});

after(async () => {
  await removeTempDir(dir);
});

test('--dry-run prints every file with its action and diff and writes nothing', async () => {
  const files = listing();
  const terminal = io();
  assert.equal(await runInit(dir, { dryRun: true }, terminal), 0);
  assert.deepEqual(listing(), files);
  assert.match(terminal.out, /^ {2}create {4}skene\.config\.ts {2}— /m);
  assert.match(terminal.out, /^ {2}modify {4}accounts\/models\/user\.py {2}— /m);
  assert.match(terminal.out, /^\+ {4}"skene_retention",$/m);
});

test('a non-terminal without --yes prints the plan, exits 1 and writes nothing', async () => {
  const files = listing();
  const terminal = io();
  assert.equal(await runInit(dir, {}, terminal), 1);
  assert.deepEqual(listing(), files);
  assert.match(terminal.err, /Re-run with --yes/);
});

test('a terminal asks, and "no" writes nothing', async () => {
  const files = listing();
  const terminal = io(false);
  assert.equal(await runInit(dir, {}, terminal), 1);
  assert.equal(terminal.asked, 1);
  assert.deepEqual(listing(), files);
});

test('--json --dry-run prints the plan as JSON', async () => {
  const terminal = io();
  assert.equal(await runInit(dir, { dryRun: true, json: true }, terminal), 0);
  const plan = JSON.parse(terminal.out) as { root: string; files: Array<{ path: string; action: string; reason: string; diff: string }>; notes: unknown[] };
  assert.equal(plan.root, dir);
  assert.deepEqual(plan.notes, []);
  const config = plan.files.find((f) => f.path === 'skene.config.ts');
  assert.deepEqual(Object.keys(config ?? {}), ['path', 'action', 'reason', 'diff']);
  assert.equal(config?.action, 'create');
});

test('a folder without a Django project exits 2', async () => {
  const empty = await makeTempDir('skene-empty-');
  try {
    const terminal = io();
    assert.equal(await runInit(empty, { dryRun: true }, terminal), 2);
    assert.match(terminal.err, /^skene init: /);
  } finally {
    await removeTempDir(empty);
  }
});

test('a startproject template (settings module {{project_name}}.settings) is named as such, not as a missing auth.User', async () => {
  // The shape of django-react-boilerplate: manage.py and settings still hold the template's placeholders.
  const template = await makeTempDir('skene-template-');
  try {
    await mkdir(path.join(template, 'project_name/settings'), { recursive: true });
    await writeFile(path.join(template, 'manage.py'), 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{project_name}}.settings.local")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n');
    await writeFile(path.join(template, 'project_name/__init__.py'), '');
    await writeFile(path.join(template, 'project_name/settings/__init__.py'), '');
    await writeFile(path.join(template, 'project_name/settings/base.py'), 'AUTH_USER_MODEL = "users.User"\nROOT_URLCONF = "{{project_name}}.urls"\n');
    const terminal = io();
    assert.equal(await runInit(template, { dryRun: true }, terminal), 1);
    assert.match(terminal.out + terminal.err, /looks like a project template, not a project: its settings module is \{\{project_name\}\}\.settings\.local\. Create a project from it first/);
    assert.doesNotMatch(terminal.out + terminal.err, /auth\.User was not found/);
  } finally {
    await removeTempDir(template);
  }
});
