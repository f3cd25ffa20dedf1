/**
 * Names and strings from the user's project can never become code: a hostile table name, time zone,
 * sender and events table go through every generator, and every generated file still parses and carries
 * the value as data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { Project } from 'ts-morph';
import type { InitPlan } from '../../../generators/types';
import { checkConfig } from '../../../server/core/config/checkConfig';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { EXAMPLE_DIR, planInMemory } from './planKit';

const TABLE = 'acc`${process.exit(1)}"; DROP TABLE x; --\'';
const ZONE = "Europe/Paris'); import os; os.system('rm -rf /'); ('";
const FROM = 'Bad </title><script>alert(1)</script> <a@b.example>';
const EVENTS = 'ev"ents';

let plan: InitPlan;

before(async () => {
  const project = exampleProjectModel();
  project.root = '/tmp/$(touch pwned)';
  project.userModel = { ...project.userModel!, table: TABLE };
  project.settings.timeZone = ZONE;
  project.email.defaultFromEmail = FROM;
  project.activity.eventsModel = { ...project.activity.eventsModel!, table: EVENTS };
  project.celery = null;
  project.activity.lastActivityField = null;
  project.settings = { ...project.settings, module: 'config.settings.dev', files: ['config/settings/base.py'], installedAppsAt: { file: 'config/settings/base.py', line: 18, column: 18 }, middlewareAt: { file: 'config/settings/base.py', line: 31, column: 14 } };
  const files = new Map<string, string>();
  for (const rel of ['accounts/models.py', 'config/settings/base.py', 'config/urls.py', 'config/__init__.py']) files.set(rel, readFileSync(path.join(EXAMPLE_DIR, rel), 'utf8'));
  plan = await planInMemory(project, files, { scheduler: 'celery' });
});

function after(file: string): string {
  const found = plan.files.find((f) => f.path === file);
  assert.ok(found, `${file} is in the plan`);
  return found.after;
}

test('every generated Python file compiles', () => {
  const sources = Object.fromEntries(plan.files.filter((f) => f.path.endsWith('.py')).map((f) => [f.path, f.after]));
  const script = 'import json, sys\nbad = []\nfor name, src in json.load(sys.stdin).items():\n    try:\n        compile(src, name, "exec")\n    except SyntaxError as e:\n        bad.append("%s: %s" % (name, e))\nprint(json.dumps(bad))';
  const result = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), []);
  assert.ok(Object.keys(sources).length >= 12);
});

test('the hostile time zone is a Python string in celery.py, and SQL identifiers are quoted in the migration', () => {
  assert.ok(after('config/celery.py').includes(`app.conf.timezone = ${JSON.stringify(ZONE)}`));
  const migration = after('skene_retention/migrations/0001_initial.py');
  assert.ok(after('skene_retention/migrations/0002_backfill_last_activity.py').includes('UPDATE "acc`${process.exit(1)}""; DROP TABLE x; --\'" AS u'));
  assert.ok(migration.includes('AFTER INSERT ON "ev""ents"'));
});

test('skene.config.ts parses and carries the table name as data', () => {
  const { issues, loops } = checkConfig(after('skene.config.ts'), null);
  assert.deepEqual(issues.filter((i) => i.code === 'syntax-error' || i.code === 'not-statically-checked'), []);
  assert.ok(loops[0]?.manifest?.query.includes('FROM "acc`${process.exit(1)}""; DROP TABLE x; --\'"'));
  assert.equal(loops[0]?.manifest?.schedule.timezone, ZONE);
});

test('the runner parses, and the sender and zone are string literals in it', () => {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile('/runner.ts', after('skene/runner.ts'));
  const literals = file.getDescendants().filter((n) => n.getKindName() === 'StringLiteral').map((n) => n.getText().slice(1, -1));
  assert.equal((file.compilerNode as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length, 0);
  assert.ok(literals.some((l) => l.includes('<script>alert(1)</script>')));
});

test('the email templates escape the product name in HTML', () => {
  const html = after('templates/skene/emails/re_engagement.html');
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test("the runner's package.json has a fixed name, whatever the project folder is called", () => {
  assert.equal(JSON.parse(after('skene/package.json')).name, 'skene-runner');
});
