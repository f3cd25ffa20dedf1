/**
 * The activity source the user picks (`skene init --activity`, the editor's Initialize asks) decides what the
 * retention migration installs: a trigger on the picked table, or no trigger and the middleware. A re-run keeps
 * the pick; a choice that names no candidate blocks the plan.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runInit, type InitIo } from '../../../cli/commands/init';
import { activitySummary } from '../../../generators/activitySource';
import { parseState } from '../../../generators/state/initState';
import { planInit } from '../../../generators/planInit';
import type { InitOptions, InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { copyProject } from '../../helpers/django';
import { removeTempDir } from '../../helpers/tempDir';
import { applyInMemory, diskReader, EXAMPLE_DIR } from './planKit';

const RETENTION = 'skene_retention/migrations/0001_initial.py';
const SETTINGS = 'config/settings/base.py';
let project: ProjectModel;

before(async () => {
  project = await analyzeProject(EXAMPLE_DIR);
});

/** The example's files as a plan sees them: written files (the Map) over the example on disk. */
async function planExample(files: Map<string, string>, options: InitOptions = {}): Promise<InitPlan> {
  await loadSqlParser();
  const disk = diskReader(EXAMPLE_DIR);
  return planInit(project, options, (rel) => files.get(rel) ?? disk(rel));
}

const contents = (plan: InitPlan, rel: string) => plan.files.find((f) => f.path === rel)?.after ?? '';

test('by default the table with evidence gets the trigger and no middleware is added', async () => {
  const plan = await planExample(new Map());
  assert.match(contents(plan, RETENTION), /CREATE TRIGGER skene_last_activity AFTER INSERT ON "events_event"/);
  assert.doesNotMatch(contents(plan, SETTINGS), /skene_retention\.middleware/);
  assert.equal(plan.activity?.chosenBy, 'evidence');
  assert.equal(plan.state.activity, undefined);
});

test('middleware picked: no trigger, the middleware in settings, the pick recorded and kept by a re-run', async () => {
  const files = new Map<string, string>();
  const plan = await planExample(files, { activity: 'middleware' });
  assert.doesNotMatch(contents(plan, RETENTION), /CREATE TRIGGER/);
  assert.match(contents(plan, SETTINGS), /skene_retention\.middleware/);
  assert.ok(plan.files.some((f) => f.path === 'skene_retention/middleware.py' && /your choice/.test(f.reason)));
  assert.equal(plan.state.activity, 'middleware');
  applyInMemory(plan, files);
  const again = await planExample(files);
  assert.equal(again.activity?.events, null);
  assert.equal(again.activity?.chosenBy, 'user');
  // (The analysis is of the example on disk, so only Skene's own files and the settings can be compared; settings
  // that already read as planned have no entry.)
  const kept = again.files.filter((f) => [RETENTION, SETTINGS, 'skene_retention/middleware.py', '.skene/generated.json'].includes(f.path));
  assert.deepEqual(kept.map((f) => [f.path, f.action]), [['skene_retention/middleware.py', 'unchanged'], [RETENTION, 'unchanged'], ['.skene/generated.json', 'unchanged']]);
});

test('another candidate picked by app label and model, or by table: the trigger goes on that table', async () => {
  for (const choice of ['billing.Subscription', 'billing_subscription']) {
    const plan = await planExample(new Map(), { activity: choice });
    assert.match(contents(plan, RETENTION), /CREATE TRIGGER skene_last_activity AFTER INSERT ON "billing_subscription"/, choice);
    assert.match(plan.files.find((f) => f.path === RETENTION)?.reason ?? '', /from billing_subscription \(your choice\)/);
    assert.equal(plan.state.activity, 'billing.Subscription');
  }
});

test('a new pick after 0001 was written: 0001 is kept and a new migration moves the trigger (and back)', async () => {
  const files = new Map<string, string>();
  applyInMemory(await planExample(files), files);
  const plan = await planExample(files, { activity: 'middleware' });
  assert.equal(plan.files.find((f) => f.path === RETENTION)?.action, 'unchanged');
  const moved = plan.files.find((f) => f.path === 'skene_retention/migrations/0003_activity_middleware.py');
  assert.equal(moved?.action, 'create');
  assert.match(moved?.reason ?? '', /from inserts into events_event \(trigger\) to the middleware \(no trigger\): skene_retention\/migrations\/0001_initial\.py is not rewritten/);
  assert.match(moved?.after ?? '', /^FORWARD_SQL = """DROP TRIGGER IF EXISTS skene_last_activity ON "events_event";\nDROP FUNCTION IF EXISTS skene_touch_last_activity\(\);"""$/m);
  assert.match(moved?.after ?? '', /^CREATE TRIGGER skene_last_activity AFTER INSERT ON "events_event"$/m, 'backwards, the trigger returns');
  assert.equal(plan.state.migrations.activity, 'skene_retention/migrations/0003_activity_middleware.py');
  applyInMemory(plan, files);
  // Kept: nothing more to move. Back to the table: the next migration, after 0003.
  assert.equal((await planExample(files, { activity: 'middleware' })).files.some((f) => /^skene_retention\/migrations\/\d+_activity_/.test(f.path)), false);
  const back = (await planExample(files, { activity: 'events.Event' })).files.find((f) => /^skene_retention\/migrations\/\d+_activity_/.test(f.path));
  assert.equal(back?.path, 'skene_retention/migrations/0004_activity_trigger.py');
  assert.match(back?.after ?? '', /\(["']skene_retention["'], ["']0003_activity_middleware["']\)/);
  assert.match(back?.after ?? '', /^# skene-activity-source: events_event$/m);
});

test('a choice that is not a candidate blocks the plan and lists the choices', async () => {
  const plan = await planExample(new Map(), { activity: 'accounts.Profile' });
  assert.deepEqual(plan.files, []);
  const note = plan.notes.find((n) => n.blocking);
  assert.match(note?.message ?? '', /"accounts\.Profile" is not a table with a foreign key to the user and a timestamp\. Choose auto, middleware, events\.Event, billing\.Subscription\./);
});

test('skene init --activity: the flag changes the migration written and is recorded; the plan lists the other choices', async () => {
  const dir = await copyProject(EXAMPLE_DIR);
  after(() => removeTempDir(dir));
  const terminal = io();
  assert.equal(await runInit(dir, { yes: true, activity: 'middleware' }, terminal), 0, terminal.err);
  assert.match(terminal.out, /^Activity: the middleware and the login signal count authenticated requests \(no table\), your choice\. Other choices \(--activity\): events\.Event \(user_id is set on every row/m);
  assert.doesNotMatch(readFileSync(path.join(dir, RETENTION), 'utf8'), /CREATE TRIGGER/);
  assert.match(readFileSync(path.join(dir, SETTINGS), 'utf8'), /skene_retention\.middleware/);
  assert.equal(parseState(readFileSync(path.join(dir, '.skene/generated.json'), 'utf8')).activity, 'middleware');
  const json = io();
  assert.equal(await runInit(dir, { dryRun: true, json: true }, json), 0);
  const plan = JSON.parse(json.out) as { activity: { used: string; chosenBy: string; candidates: Array<{ app: string; class: string }> } };
  assert.deepEqual([plan.activity.used, plan.activity.chosenBy], ['middleware', 'user']);
  assert.deepEqual(plan.activity.candidates.map((c) => `${c.app}.${c.class}`), ['events.Event', 'billing.Subscription']);
});

function io(): InitIo & { out: string; err: string } {
  const state = {
    out: '',
    err: '',
    stdout: (t: string) => { state.out += t; },
    stderr: (t: string) => { state.err += t; },
    isTTY: false,
    confirm: () => Promise.resolve(false),
  };
  return state;
}

test('the plan names the best five other candidates and counts the rest (bookwyrm has 35)', () => {
  const candidate = (i: number) => ({ app: 'books', class: `Thing${i}`, table: `books_thing${i}`, userField: 'user_id', timeField: 'created_at', why: 'its name does not say it records events' });
  const line = activitySummary({ events: null, chosenBy: 'evidence', candidates: Array.from({ length: 35 }, (_, i) => candidate(i)) }) ?? '';
  assert.match(line, /books\.Thing4 \(its name does not say it records events\); 30 more tables \(`skene analyze --json` lists them under activity\.candidates\)\.$/);
  assert.doesNotMatch(line, /Thing5\b/);
});
