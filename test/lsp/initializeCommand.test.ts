import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplyWorkspaceEditRequest, type ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ACTIVITY_MIDDLEWARE, AGENTS_FILE, CURSOR_RULE_FILE, ServerCommands } from '../../server/protocol';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { copyExampleProject, copyProjectFrom, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, PUSH_CLIENT, startSession, type TestSession } from './support/session';

/** The client side of workspace/applyEdit: what VS Code does once the user accepts the refactor preview. */
function applyToDisk(params: ApplyWorkspaceEditParams): void {
  for (const change of params.edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'delete') {
        rmSync(fileURLToPath(change.uri), { force: true });
        continue;
      }
      if (change.kind !== 'create') throw new Error(`unexpected ${change.kind}`);
      const file = fileURLToPath(change.uri);
      mkdirSync(path.dirname(file), { recursive: true });
      if (!existsSync(file)) writeFileSync(file, '');
      continue;
    }
    const file = fileURLToPath(change.textDocument.uri);
    const document = TextDocument.create(change.textDocument.uri, 'text', 0, readFileSync(file, 'utf8'));
    writeFileSync(file, TextDocument.applyEdits(document, change.edits));
  }
}

/** The workspace/applyEdit requests the server sends; `accept`: applied to disk as VS Code would, else declined. */
function recordEdits(session: TestSession, accept: boolean): ApplyWorkspaceEditParams[] {
  const edits: ApplyWorkspaceEditParams[] = [];
  session.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
    edits.push(params);
    if (accept) applyToDisk(params);
    return { applied: accept };
  });
  return edits;
}

function written(copy: ProjectCopy, files: Array<{ path: string; action: string }>) {
  return files.filter((f) => f.action === 'create' || f.action === 'modify').map((f) => ({ ...f, uri: copy.uri(f.path) }));
}

test('Preview plan returns the FilePlan and writes nothing', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const result = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.equal(result.root, copy.root);
  assert.equal(result.error, undefined);
  const byPath = new Map(result.files.map((f) => [f.path, f]));
  assert.equal(byPath.get('skene.config.ts')?.action, 'create');
  assert.match(byPath.get('skene.config.ts')?.after ?? '', /FROM accounts_user/);
  assert.equal(byPath.get('accounts/models.py')?.action, 'modify');
  assert.match(byPath.get('accounts/models.py')?.diff ?? '', /^\+.*last_activity_at/m);
  assert.ok(result.files.every((f) => ['create', 'modify', 'unchanged', 'conflict'].includes(f.action) && typeof f.reason === 'string'));
  assert.equal(existsSync(copy.file('skene.config.ts')), false);
});

test('Initialize with apply: one workspace/applyEdit, every change annotated needsConfirmation; applied, the files are on disk', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const edits = recordEdits(session, true);
  const preview = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  const result = await session.execute(ServerCommands.initialize, { root: copy.root, apply: true });
  assert.equal(result.applied, true);
  assert.deepEqual(edits.map((e) => e.label), ['Skene: Initialize']);
  const files = written(copy, preview.files);
  const annotations = Object.values(edits[0]?.edit.changeAnnotations ?? {});
  assert.deepEqual(annotations.map((a) => a.needsConfirmation), files.map(() => true));
  for (const file of files) assert.equal(readFileSync(copy.file(file.path), 'utf8'), preview.files.find((f) => f.path === file.path)?.after, file.path);
  // The editor's file watcher reports the saved files, as VS Code does after a refactoring.
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: files.map((f) => ({ uri: f.uri, type: f.action === 'create' ? 1 : 2 })) });

  // The lens over User now summarizes the generated loop.
  const lenses = await session.codeLenses(copy.uri('accounts/models.py'));
  assert.deepEqual(lenses.map((l) => [l.command?.title, l.command?.command]), [['Skene · dormant 7 d · daily 09:00 Europe/Paris · 1 step', 'skene.openConfig']]);

  // Re-running plans nothing new: every file is unchanged.
  const again = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(again.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]), []);
});

test('Initialize outside a Django project answers with an error, not a crash', async (t) => {
  const empty = await makeTempDir('skene-lsp-empty');
  t.after(() => removeTempDir(empty));
  const session = await startSession(t, { capabilities: PULL_CLIENT });
  const result = await session.execute(ServerCommands.initialize, { root: empty, apply: true });
  assert.deepEqual(result, { root: empty, files: [], notes: [], error: `No Django project found in ${empty} (no manage.py).` });
});

test('the agent files are planned only when chosen (the editor asks, as `skene init --agents`)', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const agentFiles = (files: Array<{ path: string; action: string }>) => files.filter((f) => f.path === AGENTS_FILE || f.path === CURSOR_RULE_FILE).map((f) => [f.path, f.action]);
  const without = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(agentFiles(without.files), []);
  const chosen = await session.execute(ServerCommands.previewPlan, { root: copy.root, agents: true });
  assert.deepEqual(agentFiles(chosen.files), [[CURSOR_RULE_FILE, 'create'], [AGENTS_FILE, 'create']]);
  assert.match(chosen.files.find((f) => f.path === AGENTS_FILE)?.after ?? '', /npx --yes skene-django check/);
});

test('the plan lists the tables that could feed activity with their reasons; `activity` picks another source', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const retention = (files: Array<{ path: string; after: string }>) => files.find((f) => f.path === 'skene_retention/migrations/0001_initial.py')?.after ?? '';
  const byEvidence = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(byEvidence.activity, {
    candidates: [
      { id: 'events.Event', table: 'events_event', userColumn: 'user_id', timeColumn: 'created_at', why: 'user_id is set on every row and created_at when the row is written (auto_now_add); rows are written with the acting user at events/tracking.py:8 Event.objects.create(user=user)' },
      { id: 'billing.Subscription', table: 'billing_subscription', userColumn: 'user_id', timeColumn: 'created_at', why: 'its name does not say it records events' },
    ],
    recommended: 'events.Event',
    used: 'events.Event',
    chosenBy: 'evidence',
  });
  assert.match(retention(byEvidence.files), /AFTER INSERT ON "events_event"/);
  const middleware = await session.execute(ServerCommands.previewPlan, { root: copy.root, activity: ACTIVITY_MIDDLEWARE });
  assert.deepEqual([middleware.activity?.used, middleware.activity?.chosenBy], [ACTIVITY_MIDDLEWARE, 'user']);
  assert.doesNotMatch(retention(middleware.files), /CREATE TRIGGER/);
  assert.ok(middleware.files.some((f) => f.path === 'skene_retention/middleware.py'));
  const unknown = await session.execute(ServerCommands.previewPlan, { root: copy.root, activity: 'accounts.Nope' });
  assert.deepEqual(unknown.files, []);
  assert.match(unknown.notes.map((n) => n.message).join('\n'), /"accounts\.Nope" is not a table with a foreign key to the user/);
});

test("an older Skene's vendored files are DeleteFile operations of the Initialize edit, each confirmed; without delete support they stay", async (t) => {
  const fixtures = path.resolve(__dirname, '../fixtures');
  const copy = await copyProjectFrom(path.join(fixtures, 'init/teamapp'));
  t.after(() => copy.remove());
  cpSync(path.join(fixtures, 'upgrade/old-layout'), copy.root, { recursive: true });
  const old = ['skene/sdk/bin/skene.js', 'skene/sdk/index.ts', 'skene/sdk/package.json', 'skene/sdk/runtime/engine.ts', 'skene/sdk/runtime/ledger.sql', 'skene/sdk/schema.ts'];

  const push = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const pushEdits = recordEdits(push, false);
  await push.execute(ServerCommands.initialize, { root: copy.root, apply: true });
  assert.deepEqual((pushEdits[0]?.edit.documentChanges ?? []).filter((c) => 'kind' in c && c.kind === 'delete'), [], 'a client that cannot delete files gets no delete');

  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const edits = recordEdits(session, true);
  const preview = await session.execute(ServerCommands.previewPlan, { root: copy.root });
  assert.deepEqual(preview.files.filter((f) => f.action === 'delete').map((f) => f.path), old);
  assert.match(preview.notes.map((n) => n.message).join('\n'), /so does the editor's Initialize/);
  const result = await session.execute(ServerCommands.initialize, { root: copy.root, apply: true });
  assert.equal(result.applied, true);
  const deletes = (edits[0]?.edit.documentChanges ?? []).filter((c) => 'kind' in c && c.kind === 'delete');
  assert.deepEqual(deletes.map((c) => ('uri' in c ? c.uri : '')), old.map((rel) => copy.uri(rel)));
  const annotations = edits[0]?.edit.changeAnnotations ?? {};
  for (const rel of old) assert.deepEqual([annotations[`skene:${rel}`]?.label, annotations[`skene:${rel}`]?.needsConfirmation], [`Delete ${rel}`, true]);
  assert.deepEqual(old.filter((rel) => existsSync(copy.file(rel))), []);
  assert.ok(existsSync(copy.file('skene/sdk/types.ts')), 'a vendored file edited since stays');
  assert.ok(existsSync(copy.file('skene/sdk/index.js')), 'the new SDK is written in the same edit');
});
