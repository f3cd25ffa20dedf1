import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from './support/applyEdits';
import { withCursor } from './support/cursor';
import { copyInitializedProject, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';
import { ServerCommands } from '../../server/protocol';

const BEATSHOP = path.resolve(__dirname, '../fixtures/init/beatshop');

async function openAt(t: TestContext, search: string, marked: string, project?: string) {
  const copy = await copyInitializedProject(project);
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const config = readFileSync(copy.file('skene.config.ts'), 'utf8');
  const { text, position } = withCursor(config.replace(search, marked));
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, text);
  return { copy, session, uri, text, position };
}

/** The edit applied to every text file it names (renames of files are listed, not applied). */
function applyWorkspaceEdit(edit: WorkspaceEdit | null, copy: ProjectCopy, openText: string): { texts: Map<string, string>; moves: string[]; created: string[] } {
  const texts = new Map<string, string>();
  const moves: string[] = [];
  const created = new Set<string>();
  for (const change of edit?.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'rename') moves.push(`${rel(change.oldUri, copy)} -> ${rel(change.newUri, copy)}`);
      if (change.kind === 'create') created.add(rel(change.uri, copy));
      continue;
    }
    const file = rel((change).textDocument.uri, copy);
    const before = file === 'skene.config.ts' ? openText : created.has(file) ? '' : readFileSync(copy.file(file), 'utf8');
    texts.set(file, applyEdits(before, (change).edits));
  }
  return { texts, moves, created: [...created] };
}

const rel = (uri: string, copy: ProjectCopy) => uri.replace(`file://${copy.root}/`, '');
const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

test('rename a loop id: config, loops.json, the beat entry and Initialize\'s record, each change to confirm', async (t) => {
  const { copy, session, uri, text, position } = await openAt(t, "id: 'dormant-users'", "id: 'dormant-|users'");
  assert.deepEqual(await session.prepareRename(uri, position), { range: { start: { line: position.line, character: 7 }, end: { line: position.line, character: 20 } }, placeholder: 'dormant-users' });
  const edit = await session.rename(uri, position, 'lapsed-users');
  const { texts, moves } = applyWorkspaceEdit(edit, copy, text);
  assert.deepEqual([...texts.keys()], ['skene.config.ts', 'skene_retention/loops.json', 'config/settings/base.py', '.skene/generated.json']);
  assert.deepEqual(moves, []);
  assert.ok(texts.get('skene.config.ts')?.includes("id: 'lapsed-users'"));
  const settings = texts.get('config/settings/base.py') ?? '';
  assert.match(settings, /# Skene: loop "lapsed-users", cron/);
  assert.match(settings, /"skene-lapsed-users": \{/);
  assert.match(settings, /"args": \("lapsed-users",\)/);
  assert.ok(!settings.includes('dormant-users'));
  const manifest = texts.get('skene_retention/loops.json') ?? '';
  assert.equal(JSON.parse(manifest).loops[0].id, 'lapsed-users');
  const state = JSON.parse(texts.get('.skene/generated.json') ?? '{}');
  assert.equal(state.config.loopId, 'lapsed-users');
  assert.equal(state.files['skene_retention/loops.json'], sha(manifest));
  // VS Code shows its refactor preview when an annotation needs confirmation; the ledger consequence is stated.
  const annotations = Object.values(edit?.changeAnnotations ?? {});
  assert.equal(annotations.length, 4);
  assert.ok(annotations.every((a) => a.needsConfirmation === true && a.label === "Rename loop 'dormant-users' to 'lapsed-users'"));
  assert.match(annotations[0]?.description ?? '', /Sends already recorded under 'dormant-users' stay in the ledger/);
  // Applied, the config checks clean against the renamed manifest (no manifest-stale).
  const renamed = texts.get('skene.config.ts') ?? '';
  copy.write('skene_retention/loops.json', manifest);
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: copy.uri('skene_retention/loops.json'), type: FileChangeType.Changed }] });
  await session.change(uri, renamed);
  const problems = (await session.pull(uri)).items.filter((d) => d.severity === 1 || d.code === 'manifest-stale');
  assert.deepEqual(problems, []);
});

test('rename a template: every step, loops.json and the .html/.txt files', async (t) => {
  const { copy, session, uri, text, position } = await openAt(t, "template: 're_engagement'", "template: 're_en|gagement'");
  const edit = await session.rename(uri, position, 'come_back');
  const { texts, moves } = applyWorkspaceEdit(edit, copy, text);
  assert.deepEqual([...texts.keys()], ['skene.config.ts', 'skene_retention/loops.json', '.skene/generated.json']);
  // Every change, the file moves included, waits for the user's confirmation in VS Code's refactor preview.
  const changes = edit?.documentChanges ?? [];
  assert.equal(changes.length, 5);
  for (const change of changes) {
    const id = 'kind' in change ? change.annotationId : change.edits.map((e) => ('annotationId' in e ? e.annotationId : undefined))[0];
    assert.equal(edit?.changeAnnotations?.[id ?? '']?.needsConfirmation, true, JSON.stringify(change));
  }
  assert.ok(texts.get('skene.config.ts')?.includes("template: 'come_back'"));
  assert.equal(JSON.parse(texts.get('skene_retention/loops.json') ?? '{}').loops[0].steps[0].template, 'come_back');
  assert.deepEqual(moves, ['templates/skene/emails/re_engagement.html -> templates/skene/emails/come_back.html', 'templates/skene/emails/re_engagement.txt -> templates/skene/emails/come_back.txt']);
  assert.ok(existsSync(copy.file('templates/skene/emails/re_engagement.html')), 'nothing is written by the server');
});

test('rename refuses an invalid id, a taken name, and anything that is not an id or a template', async (t) => {
  const { session, uri, position } = await openAt(t, "id: 'dormant-users'", "id: 'dormant-|users'");
  await assert.rejects(session.rename(uri, position, 'Bad Id'), /'Bad Id' is not a loop id: use lowercase letters/);
  const other = await openAt(t, "provider: 'resend'", "provider: 'res|end'");
  await assert.rejects(other.session.prepareRename(other.uri, other.position), /Skene renames a loop id or a template name/);
});

test('rename a loop id on django-celery-beat: the schedule migration stays as written, a new migration renames the periodic task', async (t) => {
  const { copy, session, uri, text, position } = await openAt(t, "id: 'dormant-users'", "id: 'dormant-|users'", BEATSHOP);
  // Definition from the id: loops.json (which the Celery task and the staff report read) and the schedule migration.
  const uses = (await session.definition(uri, position)).map((l) => `${l.uri.replace(`file://${copy.root}/`, '')}:${l.range.start.line + 1}`);
  const schedule = readFileSync(copy.file('skene_retention/migrations/0003_schedule_dormant_users.py'), 'utf8').split('\n');
  assert.deepEqual(uses, [
    `skene_retention/loops.json:${readFileSync(copy.file('skene_retention/loops.json'), 'utf8').split('\n').findIndex((l) => l.includes('"id": "dormant-users"')) + 1}`,
    `skene_retention/migrations/0003_schedule_dormant_users.py:${schedule.findIndex((l) => l.startsWith('# Schedules Skene\'s loop "dormant-users"')) + 1}`,
    `skene_retention/migrations/0003_schedule_dormant_users.py:${schedule.indexOf('LOOP_ID = "dormant-users"') + 1}`,
  ]);
  const edit = await session.rename(uri, position, 'lapsed-users');
  const { texts, created } = applyWorkspaceEdit(edit, copy, text);
  const migration = 'skene_retention/migrations/0004_rename_dormant_users_to_lapsed_users.py';
  assert.deepEqual(created, [migration]);
  assert.deepEqual([...texts.keys()].sort(), ['.skene/generated.json', 'skene.config.ts', 'skene_retention/loops.json', migration]);
  // 0003 may have run: editing it would leave the database's task on the old id. It is not part of the edit.
  assert.ok(!texts.has('skene_retention/migrations/0003_schedule_dormant_users.py'));
  const rename = texts.get(migration) ?? '';
  assert.match(rename, /^OLD_NAME = "skene: dormant-users"\nNEW_NAME = "skene: lapsed-users"\nOLD_LOOP_ID = "dormant-users"\nNEW_LOOP_ID = "lapsed-users"$/m);
  assert.match(rename, /dependencies = \[\n {8}\('skene_retention', '0003_schedule_dormant_users'\),\n {8}\('django_celery_beat', '0006_auto_20180322_0932'\),\n {4}\]/);
  assert.match(rename, /migrations\.RunPython\(rename_loop, restore_loop_id\)/);
  const state = JSON.parse(texts.get('.skene/generated.json') ?? '{}') as { config: { loopId: string }; migrations: Record<string, string> };
  assert.equal(state.config.loopId, 'lapsed-users');
  assert.deepEqual(Object.keys(state.migrations), [...Object.keys(state.migrations)].sort(), 'recorded in Initialize\'s (sorted) order');
  assert.equal(state.migrations['rename:dormant-users:lapsed-users'], migration);
  assert.equal(state.migrations['beat:lapsed-users:0 9 * * *@Asia/Tokyo'], 'skene_retention/migrations/0003_schedule_dormant_users.py');
  // The preview says what to run, and the new file waits for confirmation like every other change.
  const annotations = Object.values(edit?.changeAnnotations ?? {});
  assert.equal(annotations.length, 4);
  assert.ok(annotations.every((a) => a.needsConfirmation === true));
  assert.match(annotations[0]?.description ?? '', /The new migration skene_retention\/migrations\/0004_rename_dormant_users_to_lapsed_users\.py renames the django-celery-beat periodic task: run `python manage\.py migrate skene_retention`\.$/);

  // Applied: the config checks clean, and the next Initialize has nothing to add (no second schedule migration).
  for (const [file, written] of texts) copy.write(file, written);
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [...texts.keys()].map((file) => ({ uri: copy.uri(file), type: created.includes(file) ? FileChangeType.Created : FileChangeType.Changed })) });
  await session.change(uri, texts.get('skene.config.ts') ?? '');
  assert.deepEqual((await session.pull(uri)).items.filter((d) => d.severity === 1 || d.code === 'manifest-stale'), []);
  const next = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(next.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});
