/**
 * The manifest-stale quick fix: "Regenerate" rewrites only what the config change needs — loops.json, the beat entry
 * (crontab and the comment that repeats the cron) and the manifest's recorded hash — with no confirmation step and no
 * other file of a whole Initialize; afterwards the config checks clean. Where django-celery-beat's database scheduler
 * holds the schedule, a changed cron gets a new data migration, and the user is told to migrate (and only then).
 * A cron that restricts both day-of-month and day-of-week (cron ORs them, crontab() ANDs them) is two schedules: going
 * to one and back adds and removes the second beat entry (or, with django-celery-beat, a migration each way). The
 * Celery app Initialize created itself (celery.py, recorded as its own) is where its beat entry changes, hash and all.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ApplyWorkspaceEditRequest, DidChangeWatchedFilesNotification, ExecuteCommandRequest, FileChangeType, ShowMessageRequest, type ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol/node';
import { ServerCommands, type InitializeCommandResult } from '../../server/protocol';
import { withLoops } from '../unit/generators/planKit';
import { applyEdits } from './support/applyEdits';
import { copyInitializedProject, EXAMPLE_PROJECT, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, startSession, waitFor, type TestSession } from './support/session';

/**
 * `NAME = [...]` holding these crontab dicts (`"minute": "0", ...`), one dict per line or laid out one key per line
 * as ruff format writes a dict past 88 columns (Skene's migrations are formatted so).
 */
function crontabsPattern(name: string, dicts: string[]): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dict = (fields: string) => `\\{\\s*${fields.split(', ').map(escape).join(',\\s*')},?\\s*\\},\\s*`;
  return new RegExp(`^${name} = \\[\\s*${dicts.map(dict).join('')}\\]$`, 'm');
}

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const BEATSHOP = path.resolve(__dirname, '../fixtures/init/beatshop');
const PLAINBLOG = path.resolve(__dirname, '../fixtures/init/plainblog');

interface Opened {
  copy: ProjectCopy;
  session: TestSession;
  uri: string;
  /** What the server asked the client to apply, and the messages it showed, since the last regenerate. */
  edits: ApplyWorkspaceEditParams[];
  messages: string[];
  isOpen: boolean;
}

interface Regenerated extends Opened {
  changed: string;
  result: InitializeCommandResult;
  /** Each file the one workspace edit writes, as it would read afterwards (created files from empty). */
  texts: Map<string, string>;
  created: string[];
}

/** An initialized copy of `project` with a session on it that applies edits and records the messages shown. */
async function openInitialized(t: TestContext, project: string, initArgs: string[] = []): Promise<Opened> {
  const copy = await copyInitializedProject(project, initArgs);
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const opened: Opened = { copy, session, uri: copy.uri('skene.config.ts'), edits: [], messages: [], isOpen: false };
  session.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
    opened.edits.push(params);
    return { applied: true };
  });
  session.connection.onRequest(ShowMessageRequest.type, (params) => {
    opened.messages.push(params.message);
    return null;
  });
  return opened;
}

/** Initializes a copy of `project`, changes the cron in skene.config.ts and runs the Regenerate quick fix. */
async function regenerateAfterCronChange(t: TestContext, project: string, to = '0 10 * * *'): Promise<Regenerated> {
  return regenerateCron(await openInitialized(t, project), '0 9 * * *', to);
}

/** Changes the saved config's cron `from` → `to`, opens it (or sends the change) and runs the Regenerate quick fix. */
async function regenerateCron(opened: Opened, from: string, to: string): Promise<Regenerated> {
  const saved = readFileSync(opened.copy.file('skene.config.ts'), 'utf8');
  assert.ok(saved.includes(`cron: '${from}'`), saved);
  return regenerateConfig(opened, saved.replace(`cron: '${from}'`, `cron: '${to}'`));
}

/** Saves `changed` as skene.config.ts, opens it (or sends the change) and runs the Regenerate quick fix. */
async function regenerateConfig(opened: Opened, changed: string): Promise<Regenerated> {
  const { copy, session, uri } = opened;
  opened.edits.length = 0;
  opened.messages.length = 0;
  copy.write('skene.config.ts', changed);
  if (opened.isOpen) await session.change(uri, changed);
  else await session.open(uri, changed);
  opened.isOpen = true;
  const stale = (await session.pull(uri)).items.find((d) => d.code === 'manifest-stale');
  assert.ok(stale, 'loops.json is stale after the cron change');

  const actions = await session.codeActions({ textDocument: { uri }, range: stale.range, context: { diagnostics: [stale], only: ['quickfix'] } });
  const regenerate = actions.find((a) => a.command?.command === ServerCommands.regenerate);
  assert.equal(regenerate?.title, 'Regenerate skene_retention/loops.json (and the beat entry) from this config');
  assert.equal(regenerate?.isPreferred, true);

  const result = (await session.connection.sendRequest(ExecuteCommandRequest.type, { command: regenerate?.command?.command ?? '', arguments: regenerate?.command?.arguments ?? [] })) as InitializeCommandResult;
  assert.equal(result.applied, true);
  assert.equal(opened.edits.length, 1);
  const edit = opened.edits[0]!;
  assert.equal(edit.label, 'Skene: Regenerate skene_retention/loops.json');
  assert.equal(edit.edit.changeAnnotations, undefined, 'no refactor preview: the quick fix is the confirmation');
  const texts = new Map<string, string>();
  const created: string[] = [];
  const rel = (uri: string) => uri.replace(`file://${copy.root}/`, '');
  for (const change of edit.edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create', 'files are only created, never renamed or deleted');
      created.push(rel(change.uri));
      continue;
    }
    const file = rel(change.textDocument.uri);
    texts.set(file, applyEdits(created.includes(file) ? '' : readFileSync(copy.file(file), 'utf8'), change.edits));
  }
  await waitFor(() => opened.messages.length > 0);
  return { ...opened, changed, result, texts, created };
}

/** Writes what the edit wrote, tells the server, and returns the config's manifest-stale diagnostics afterwards. */
async function applyAndRecheck({ copy, session, uri, changed, texts }: Regenerated) {
  for (const [file, text] of texts) copy.write(file, text);
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [...texts.keys()].map((file) => ({ uri: copy.uri(file), type: FileChangeType.Changed })) });
  await session.change(uri, changed);
  return (await session.pull(uri)).items.filter((d) => d.code === 'manifest-stale');
}

test('a changed cron: the Regenerate quick fix writes loops.json, the beat entry with its comment, and the recorded hash — nothing else, nothing to migrate', async (t) => {
  const run = await regenerateAfterCronChange(t, EXAMPLE_PROJECT);
  const { copy, texts, result } = run;
  assert.deepEqual(run.created, []);
  assert.deepEqual([...texts.keys()].sort(), ['.skene/generated.json', 'config/settings/base.py', 'skene_retention/loops.json']);
  assert.deepEqual(result.files.map((f) => f.path), ['skene_retention/loops.json', 'config/settings/base.py', '.skene/generated.json']);

  const settings = texts.get('config/settings/base.py') ?? '';
  assert.match(settings, /# Skene: loop "dormant-users", cron '0 10 \* \* \*' in Europe\/Paris\.\n    "skene-dormant-users": \{\n[^}]*"schedule": crontab\(minute=0, hour=10\),/);
  assert.doesNotMatch(settings, /cron '0 9 \* \* \*'/);
  const before = readFileSync(copy.file('config/settings/base.py'), 'utf8');
  const changedLines = settings.split('\n').filter((line, i) => line !== before.split('\n')[i]);
  assert.equal(changedLines.length, 2, changedLines.join('\n'));
  const manifest = texts.get('skene_retention/loops.json') ?? '';
  assert.equal(JSON.parse(manifest).loops[0].cron, '0 10 * * *');
  assert.equal(JSON.parse(texts.get('.skene/generated.json') ?? '{}').files['skene_retention/loops.json'], sha(manifest));
  // No migration changed, and the user is told so rather than to migrate.
  const summary = 'Updated skene_retention/loops.json and the beat entry in config/settings/base.py. No migration changed: nothing to migrate.';
  assert.deepEqual(run.messages, [`Skene: ${summary}`]);
  assert.deepEqual(result.notes, [{ severity: 'info', message: summary }]);

  // Written, the config checks clean: loops.json is current.
  assert.deepEqual(await applyAndRecheck(run), []);
});

test('django-celery-beat (schedule in the database): Regenerate adds one data migration for the new cron, records it, and says to migrate', async (t) => {
  const run = await regenerateAfterCronChange(t, BEATSHOP);
  const { copy, texts, result, session } = run;
  const migration = 'skene_retention/migrations/0004_schedule_dormant_users.py';
  assert.deepEqual(run.created, [migration]);
  assert.deepEqual([...texts.keys()].sort(), ['.skene/generated.json', 'skene_retention/loops.json', migration]);
  assert.deepEqual(result.files.map((f) => [f.path, f.action]), [['skene_retention/loops.json', 'modify'], [migration, 'create'], ['.skene/generated.json', 'modify']]);

  // The earlier schedule migration may have run: it stays as written; the new one follows it and moves the task.
  const earlier = readFileSync(copy.file('skene_retention/migrations/0003_schedule_dormant_users.py'), 'utf8');
  assert.match(earlier, /cron '0 9 \* \* \*' in Asia\/Tokyo/);
  const text = texts.get(migration) ?? '';
  assert.match(text, /^# Schedules Skene's loop "dormant-users" in django-celery-beat's database scheduler:\n# cron '0 10 \* \* \*' in Asia\/Tokyo\.$/m);
  assert.match(text, crontabsPattern('CRONTABS', ['"minute": "0", "hour": "10", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"']));
  assert.match(text, crontabsPattern('PREVIOUS_CRONTABS', ['"minute": "0", "hour": "9", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"']));
  assert.match(text, /dependencies = \[\n {8}\(["']skene_retention["'], ["']0003_schedule_dormant_users["']\),\n {8}\(["']django_celery_beat["'], ["']0006_auto_20180322_0932["']\),\n {4}\]/);
  assert.match(text, /migrations\.RunPython\(schedule_loop, restore_previous_schedule\)/);
  assert.doesNotMatch(text, /0 9 \* \* \*/, 'no comment repeats the old cron');

  const state = JSON.parse(texts.get('.skene/generated.json') ?? '{}') as { files: Record<string, string>; migrations: Record<string, string> };
  assert.equal(state.files['skene_retention/loops.json'], sha(texts.get('skene_retention/loops.json') ?? ''));
  assert.equal(state.migrations['beat:dormant-users:0 10 * * *@Asia/Tokyo'], migration);
  assert.equal(state.migrations['beat:dormant-users:0 9 * * *@Asia/Tokyo'], 'skene_retention/migrations/0003_schedule_dormant_users.py');

  const summary = `Updated skene_retention/loops.json, and added ${migration} (cron '0 10 * * *' in Asia/Tokyo): django-celery-beat keeps the schedule in the database, so run \`python manage.py migrate skene_retention\` to apply it.`;
  assert.deepEqual(run.messages, [`Skene: ${summary}`]);
  assert.deepEqual(result.notes, [{ severity: 'info', message: summary }]);

  // Written: the config checks clean, and the next Initialize sees nothing left to do (no second migration).
  assert.deepEqual(await applyAndRecheck(run), []);
  const next = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('a cron that restricts day-of-month and day-of-week, and back: Regenerate adds the second beat entry, then removes it', async (t) => {
  const split = await regenerateAfterCronChange(t, EXAMPLE_PROJECT, '0 9 1 * 1');
  const { copy } = split;
  const original = readFileSync(copy.file('config/settings/base.py'), 'utf8');
  assert.deepEqual(split.created, []);
  assert.deepEqual([...split.texts.keys()].sort(), ['.skene/generated.json', 'config/settings/base.py', 'skene_retention/loops.json']);
  const settings = split.texts.get('config/settings/base.py') ?? '';
  // crontab() ANDs day_of_month with day_of_week where cron ORs them: one entry for each part, the second after the first.
  assert.match(settings, new RegExp([
    `    # Skene: loop "dormant-users", cron '0 9 1 \\* 1' in Europe/Paris, its day-of-month part\\.`,
    '    "skene-dormant-users": \\{\\n[^}]*"schedule": crontab\\(minute=0, hour=9, day_of_month=1\\),\\n[^}]*\\},',
    `    # Skene: loop "dormant-users", cron '0 9 1 \\* 1' in Europe/Paris, its day-of-week part\\.`,
    '    "skene-dormant-users-2": \\{\\n[^}]*"schedule": crontab\\(minute=0, hour=9, day_of_week=1\\),\\n[^}]*"args": \\("dormant-users",\\),\\n    \\},',
  ].join('\\n')));
  assert.doesNotMatch(settings, /cron '0 9 \* \* \*'/);
  assert.deepEqual(split.messages, ['Skene: Updated skene_retention/loops.json and the beat entry in config/settings/base.py. No migration changed: nothing to migrate.']);
  assert.deepEqual(await applyAndRecheck(split), []);

  const back = await regenerateCron(split, '0 9 1 * 1', '0 9 * * *');
  assert.deepEqual([...back.texts.keys()].sort(), ['.skene/generated.json', 'config/settings/base.py', 'skene_retention/loops.json']);
  // The second entry and its comment are gone: the settings read as Initialize wrote them.
  assert.equal(back.texts.get('config/settings/base.py'), original);
  assert.deepEqual(back.messages, ['Skene: Updated skene_retention/loops.json and the beat entry in config/settings/base.py. No migration changed: nothing to migrate.']);
  assert.deepEqual(await applyAndRecheck(back), []);
  const next = await back.session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('django-celery-beat, a cron that restricts day-of-month and day-of-week, and back: a migration each way, both reversible', async (t) => {
  const split = await regenerateAfterCronChange(t, BEATSHOP, '0 9 1 * 1');
  const { copy, session } = split;
  const first = 'skene_retention/migrations/0004_schedule_dormant_users.py';
  assert.deepEqual(split.created, [first]);
  const text = split.texts.get(first) ?? '';
  // Two periodic tasks ("skene: dormant-users" and "skene: dormant-users (2)"), back to one migrated backwards.
  assert.match(text, crontabsPattern('CRONTABS', ['"minute": "0", "hour": "9", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"', '"minute": "0", "hour": "9", "day_of_week": "1", "day_of_month": "*", "month_of_year": "*"']));
  assert.match(text, crontabsPattern('PREVIOUS_CRONTABS', ['"minute": "0", "hour": "9", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"']));
  assert.match(text, /migrations\.RunPython\(schedule_loop, restore_previous_schedule\)/);
  assert.doesNotMatch(text, /only the day-of-month/);
  const state = JSON.parse(split.texts.get('.skene/generated.json') ?? '{}') as { migrations: Record<string, string> };
  assert.equal(state.migrations['beat:dormant-users:0 9 * 1 *|0 9 1 * *@Asia/Tokyo'], first);
  assert.deepEqual(split.messages, [`Skene: Updated skene_retention/loops.json, and added ${first} (cron '0 9 1 * 1' in Asia/Tokyo): django-celery-beat keeps the schedule in the database, so run \`python manage.py migrate skene_retention\` to apply it.`]);
  assert.deepEqual(split.result.notes.filter((n) => n.severity !== 'info'), [], 'no warning that a schedule was left out');
  assert.deepEqual(await applyAndRecheck(split), []);

  const back = await regenerateCron(split, '0 9 1 * 1', '0 9 * * *');
  const second = 'skene_retention/migrations/0005_schedule_dormant_users.py';
  assert.deepEqual(back.created, [second]);
  const backText = back.texts.get(second) ?? '';
  assert.match(backText, crontabsPattern('CRONTABS', ['"minute": "0", "hour": "9", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"']));
  assert.match(backText, /^PREVIOUS_CRONTABS = \[\s*\{[^}]*"day_of_month": "1"[^}]*\},\s*\{[^}]*"day_of_week": "1"[^}]*\},\s*\]$/m);
  assert.match(backText, /dependencies = \[\n {8}\(["']skene_retention["'], ["']0004_schedule_dormant_users["']\),/);
  assert.equal((JSON.parse(back.texts.get('.skene/generated.json') ?? '{}') as { migrations: Record<string, string> }).migrations['beat:dormant-users:0 9 * * *@Asia/Tokyo'], second);
  assert.deepEqual(await applyAndRecheck(back), []);
  const next = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('a Celery app Initialize created (its own celery.py): Regenerate rewrites its beat schedule and records the file\'s new hash', async (t) => {
  const run = await regenerateCron(await openInitialized(t, PLAINBLOG, ['--scheduler', 'celery']), '0 9 * * *', '0 10 * * *');
  const { copy, texts } = run;
  assert.deepEqual(run.created, []);
  assert.deepEqual([...texts.keys()].sort(), ['.skene/generated.json', 'blogsite/celery.py', 'skene_retention/loops.json']);
  const app = texts.get('blogsite/celery.py') ?? '';
  assert.match(app, /# Skene: loop "dormant-users", cron '0 10 \* \* \*' in [^\n]*\n {4}"skene-dormant-users": \{\n[^}]*"schedule": crontab\(minute=0, hour=10\),/);
  assert.doesNotMatch(app, /cron '0 9 \* \* \*'/);
  const state = JSON.parse(texts.get('.skene/generated.json') ?? '{}') as { files: Record<string, string> };
  assert.equal(state.files['blogsite/celery.py'], sha(app), 'the next Initialize still knows celery.py as its own');
  assert.deepEqual(run.messages, ['Skene: Updated skene_retention/loops.json and the beat entry in blogsite/celery.py. No migration changed: nothing to migrate.']);
  assert.deepEqual(await applyAndRecheck(run), []);
  const next = await run.session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('a loop deleted from the config: Regenerate removes its beat entries (both of a split cron) with their comments', async (t) => {
  const opened = await openInitialized(t, EXAMPLE_PROJECT);
  const seeded = readFileSync(opened.copy.file('skene.config.ts'), 'utf8');
  const original = readFileSync(opened.copy.file('config/settings/base.py'), 'utf8');
  const daily = { id: 'dormant-users', cron: '0 9 * * *' };
  const two = await regenerateConfig(opened, withLoops(seeded, [daily, { id: 'weekly-digest', cron: '0 9 1 * 1' }]));
  assert.match(two.texts.get('config/settings/base.py') ?? '', /"skene-weekly-digest-2": \{/);
  assert.deepEqual(await applyAndRecheck(two), []);

  const one = await regenerateConfig(two, withLoops(seeded, [daily]));
  assert.deepEqual([...one.texts.keys()].sort(), ['.skene/generated.json', 'config/settings/base.py', 'skene_retention/loops.json']);
  // The entries and comments of 'weekly-digest' are gone: the settings read as Initialize wrote them for one loop.
  assert.equal(one.texts.get('config/settings/base.py'), original);
  assert.deepEqual(one.messages, ["Skene: Updated skene_retention/loops.json and the beat schedule in config/settings/base.py (removed the entries of 'weekly-digest', no longer in skene.config.ts). No migration changed: nothing to migrate."]);
  assert.deepEqual(await applyAndRecheck(one), []);
  const next = await one.session.execute(ServerCommands.previewPlan, { root: one.copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('django-celery-beat, a loop deleted from the config: Regenerate adds a migration that deletes its periodic tasks, records it, and says to migrate', async (t) => {
  const opened = await openInitialized(t, BEATSHOP);
  const seeded = readFileSync(opened.copy.file('skene.config.ts'), 'utf8');
  const daily = { id: 'dormant-users', cron: '0 9 * * *' };
  const two = await regenerateConfig(opened, withLoops(seeded, [daily, { id: 'weekly-digest', cron: '0 9 1 * 1' }]));
  assert.deepEqual(two.created, ['skene_retention/migrations/0004_schedule_weekly_digest.py']);
  assert.deepEqual(await applyAndRecheck(two), []);

  const one = await regenerateConfig(two, withLoops(seeded, [daily]));
  const migration = 'skene_retention/migrations/0005_unschedule_weekly_digest.py';
  assert.deepEqual(one.created, [migration]);
  assert.deepEqual([...one.texts.keys()].sort(), ['.skene/generated.json', 'skene_retention/loops.json', migration]);
  const text = one.texts.get(migration) ?? '';
  assert.match(text, /^NAME = "skene: weekly-digest"$/m);
  assert.match(text, /^PREVIOUS_CRONTABS = \[\s*\{[^}]*"day_of_month": "1"[^}]*\},\s*\{[^}]*"day_of_week": "1"[^}]*\},\s*\]$/m);
  assert.match(text, /dependencies = \[\n {8}\(["']skene_retention["'], ["']0004_schedule_weekly_digest["']\),/);
  assert.match(text, /migrations\.RunPython\(unschedule_loop, restore_schedule\)/);
  const state = JSON.parse(one.texts.get('.skene/generated.json') ?? '{}') as { migrations: Record<string, string> };
  assert.equal(state.migrations['beat:weekly-digest:removed'], migration);
  assert.deepEqual(one.messages, [`Skene: Updated skene_retention/loops.json, and added ${migration} (deletes its periodic tasks: the loop is no longer in skene.config.ts): django-celery-beat keeps the schedule in the database, so run \`python manage.py migrate skene_retention\` to apply it.`]);
  assert.deepEqual(await applyAndRecheck(one), []);
  const next = await one.session.execute(ServerCommands.previewPlan, { root: one.copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('no Celery: Regenerate after a cron change says the skene_run line changed, shows the one to replace, and records the new one', async (t) => {
  const run = await regenerateCron(await openInitialized(t, PLAINBLOG), '0 9 * * *', '15 * * * *');
  assert.deepEqual([...run.texts.keys()].sort(), ['.skene/generated.json', 'skene_retention/loops.json']);
  const state = JSON.parse(run.texts.get('.skene/generated.json') ?? '{}') as { scheduler?: string };
  assert.equal(state.scheduler, '15 * * * * cd /path/to/project && python manage.py skene_run');
  assert.deepEqual(run.messages, [[
    'Skene: Updated skene_retention/loops.json. No migration changed: nothing to migrate.',
    "Scheduling: the line that runs `python manage.py skene_run` changed since the last run (loop cron '15 * * * *' in America/New_York). With cron, in the crontab of the user that runs the app (or as a systemd timer / Kubernetes CronJob with the same command), replace",
    '    0 * * * * cd /path/to/project && python manage.py skene_run --window-minutes 60',
    'with',
    '    15 * * * * cd /path/to/project && python manage.py skene_run',
  ].join('\n')]);
  assert.deepEqual(await applyAndRecheck(run), []);
  const next = await run.session.execute(ServerCommands.previewPlan, { root: run.copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
  assert.equal(next.notes.find((n) => n.message.startsWith('Scheduling:'))?.severity, 'info', 'printed once, the line is not news');
});
