/**
 * The Initialize review's rows: the project's own files first (skene.config.ts on top), the vendored SDK as one
 * row, and the target folder named when the project is a subfolder of the workspace (a monorepo).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { groupPlannedFiles, removedRowLabel, targetFolderLabel, VENDORED_SDK_DIR, vendoredRowLabel } from '../../../extension/planGroups';
import { parentFoldersDeepestFirst } from '../../../generators/paths/parentFolders';
import { SDK_DIR } from '../../../generators/node/runnerFiles';
import type { PlannedFile } from '../../../server/protocol';

const file = (filePath: string, action: PlannedFile['action'] = 'create'): PlannedFile => ({ path: filePath, action, after: '', diff: '', reason: '' });

test('own files first, skene.config.ts on top, then by path; every vendored SDK file in one group', () => {
  const groups = groupPlannedFiles([
    file(`${SDK_DIR}/index.ts`), file('package.json', 'modify'), file(`${SDK_DIR}/runtime/ledger.sql`),
    file('accounts/models.py', 'modify'), file('skene.config.ts'), file(`${SDK_DIR}/package.json`), file('skene/runner.ts'),
  ]);
  assert.deepEqual(groups.own.map((f) => f.path), ['skene.config.ts', 'accounts/models.py', 'package.json', 'skene/runner.ts']);
  assert.deepEqual(groups.vendored.map((f) => f.path), [`${SDK_DIR}/index.ts`, `${SDK_DIR}/runtime/ledger.sql`, `${SDK_DIR}/package.json`]);
  assert.equal(vendoredRowLabel(groups.vendored), 'skene/sdk/ — vendored @skene/sdk: 3 new files');
});

test("an older Skene's files to remove are one row of their own, even under skene/sdk/", () => {
  const groups = groupPlannedFiles([file(`${SDK_DIR}/index.js`), file(`${SDK_DIR}/runtime/engine.ts`, 'delete'), file('package.json', 'modify'), file(`${SDK_DIR}/schema.ts`, 'delete')]);
  assert.deepEqual(groups.own.map((f) => f.path), ['package.json']);
  assert.deepEqual(groups.vendored.map((f) => f.path), [`${SDK_DIR}/index.js`]);
  assert.deepEqual(groups.removed.map((f) => f.path), [`${SDK_DIR}/runtime/engine.ts`, `${SDK_DIR}/schema.ts`]);
  assert.equal(removedRowLabel(groups.removed), "skene/sdk/ — an older Skene's vendored sources: 2 files to remove");
});

test('the folders removed files may leave empty: deepest first, never the root', () => {
  assert.deepEqual(parentFoldersDeepestFirst(['skene/sdk/runtime/engine.ts', 'skene/sdk/bin/skene.js', 'skene/sdk/schema.ts', 'top.txt']), ['skene/sdk/bin', 'skene/sdk/runtime', 'skene/sdk', 'skene']);
});

test("the extension's SDK folder is the generator's", () => {
  assert.equal(VENDORED_SDK_DIR, SDK_DIR);
});

test('the target folder: none for a workspace folder itself, relative inside one, absolute outside every one', () => {
  const workspace = path.resolve('/work/monorepo');
  assert.equal(targetFolderLabel([workspace], workspace), null);
  assert.equal(targetFolderLabel([workspace], path.join(workspace, 'services', 'backend')), 'services/backend');
  assert.equal(targetFolderLabel([path.resolve('/elsewhere'), workspace], path.join(workspace, 'backend')), 'backend');
  assert.equal(targetFolderLabel([workspace], path.resolve('/other/app')), path.resolve('/other/app'));
});
