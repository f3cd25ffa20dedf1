import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

test('Preview plan returns the FilePlan and writes nothing', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const result = await session.connection.sendRequest<any>('workspace/executeCommand', { command: 'skene.server.previewPlan', arguments: [{ root: copy.root }] });
  assert.equal(result.root, copy.root);
  assert.equal(result.error, undefined);
  const byPath = new Map<string, any>(result.files.map((f: any) => [f.path, f]));
  assert.equal(byPath.get('skene.config.ts')?.action, 'create');
  assert.match(byPath.get('skene.config.ts')?.after, /FROM accounts_user/);
  assert.equal(byPath.get('accounts/models.py')?.action, 'modify');
  assert.match(byPath.get('accounts/models.py')?.diff, /^\+.*last_activity_at/m);
  assert.ok(result.files.every((f: any) => ['create', 'modify', 'unchanged', 'conflict'].includes(f.action) && typeof f.reason === 'string'));
  assert.equal(existsSync(copy.file('skene.config.ts')), false);
});

test('Initialize with apply: one workspace/applyEdit, every change annotated needsConfirmation; applied, the files are on disk', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const edits: any[] = [];
  // The client side of workspace/applyEdit: what VS Code does after the user accepts the refactor preview.
  session.connection.onRequest('workspace/applyEdit', (params: any) => {
    edits.push(params);
    for (const change of params.edit.documentChanges) {
      if (change.kind === 'create') {
        const file = fileURLToPath(change.uri);
        mkdirSync(path.dirname(file), { recursive: true });
        if (!existsSync(file)) writeFileSync(file, '');
      } else {
        const file = fileURLToPath(change.textDocument.uri);
        const document = TextDocument.create(change.textDocument.uri, 'text', 0, readFileSync(file, 'utf8'));
        writeFileSync(file, TextDocument.applyEdits(document, change.edits));
      }
    }
    return { applied: true };
  });
  const preview = await session.connection.sendRequest<any>('workspace/executeCommand', { command: 'skene.server.previewPlan', arguments: [{ root: copy.root }] });
  const result = await session.connection.sendRequest<any>('workspace/executeCommand', { command: 'skene.server.initialize', arguments: [{ root: copy.root, apply: true }] });
  assert.equal(result.applied, true);
  assert.equal(edits.length, 1);
  assert.equal(edits[0].label, 'Skene: Initialize');
  const written = preview.files.filter((f: any) => f.action === 'create' || f.action === 'modify');
  const annotations = Object.values(edits[0].edit.changeAnnotations) as any[];
  assert.equal(annotations.length, written.length);
  assert.ok(annotations.every((a) => a.needsConfirmation === true));
  for (const file of written) assert.equal(readFileSync(copy.file(file.path), 'utf8'), file.after, file.path);
  // The editor's file watcher reports the saved files, as VS Code does after a refactoring.
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: written.map((f: any) => ({ uri: copy.uri(f.path), type: f.action === 'create' ? 1 : 2 })) });

  // The lens over User now summarizes the generated loop.
  const lenses = await session.connection.sendRequest<any[]>('textDocument/codeLens', { textDocument: { uri: copy.uri('accounts/models.py') } });
  assert.deepEqual(lenses.map((l) => [l.command.title, l.command.command]), [['Skene · dormant 7 d · daily 09:00 Europe/Paris · 1 step', 'skene.openConfig']]);

  // Re-running plans nothing new: every file is unchanged.
  const again = await session.connection.sendRequest<any>('workspace/executeCommand', { command: 'skene.server.previewPlan', arguments: [{ root: copy.root }] });
  assert.deepEqual(again.files.filter((f: any) => f.action !== 'unchanged').map((f: any) => [f.path, f.action]), []);
});
