/**
 * The manifest-stale quick fix: "Regenerate" rewrites only what the config change needs — loops.json, the beat entry
 * (crontab and the comment that repeats the cron) and the manifest's recorded hash — with no confirmation step and no
 * other file of a whole Initialize; afterwards the config checks clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApplyWorkspaceEditRequest, DidChangeWatchedFilesNotification, ExecuteCommandRequest, FileChangeType, type ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol/node';
import { ServerCommands, type InitializeCommandResult } from '../../server/protocol';
import { applyEdits } from './support/applyEdits';
import { copyInitializedProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

test('a changed cron: the Regenerate quick fix writes loops.json, the beat entry with its comment, and the recorded hash — nothing else', async (t) => {
  const copy = await copyInitializedProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const saved = readFileSync(copy.file('skene.config.ts'), 'utf8');
  assert.match(saved, /cron: '0 9 \* \* \*'/);
  const changed = saved.replace("cron: '0 9 * * *'", "cron: '0 10 * * *'");
  copy.write('skene.config.ts', changed);
  await session.open(uri, changed);
  const stale = (await session.pull(uri)).items.find((d) => d.code === 'manifest-stale');
  assert.ok(stale, 'loops.json is stale after the cron change');

  const actions = await session.codeActions({ textDocument: { uri }, range: stale.range, context: { diagnostics: [stale], only: ['quickfix'] } });
  const regenerate = actions.find((a) => a.command?.command === ServerCommands.regenerate);
  assert.equal(regenerate?.title, 'Regenerate skene_retention/loops.json (and the beat entry) from this config');
  assert.equal(regenerate?.isPreferred, true);

  const edits: ApplyWorkspaceEditParams[] = [];
  session.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
    edits.push(params);
    return { applied: true };
  });
  const result = (await session.connection.sendRequest(ExecuteCommandRequest.type, { command: regenerate?.command?.command ?? '', arguments: regenerate?.command?.arguments ?? [] })) as InitializeCommandResult;
  assert.equal(result.applied, true);
  assert.equal(edits.length, 1);
  const edit = edits[0]!;
  assert.equal(edit.label, 'Skene: Regenerate skene_retention/loops.json');
  assert.equal(edit.edit.changeAnnotations, undefined, 'no refactor preview: the quick fix is the confirmation');
  const texts = new Map<string, string>();
  for (const change of edit.edit.documentChanges ?? []) {
    assert.ok(!('kind' in change), 'no file is created');
    const file = change.textDocument.uri.replace(`file://${copy.root}/`, '');
    texts.set(file, applyEdits(readFileSync(copy.file(file), 'utf8'), change.edits));
  }
  assert.deepEqual([...texts.keys()].sort(), ['.skene/generated.json', 'config/settings/base.py', 'skene_retention/loops.json']);
  assert.deepEqual(result.files.map((f) => f.path), ['skene_retention/loops.json', 'config/settings/base.py', '.skene/generated.json']);

  const settings = texts.get('config/settings/base.py') ?? '';
  assert.match(settings, /# Skene: loop "dormant-users" from skene\.config\.ts, cron '0 10 \* \* \*' in Europe\/Paris\.\n    "skene-dormant-users": \{\n[^}]*"schedule": crontab\(minute=0, hour=10\),/);
  assert.doesNotMatch(settings, /cron '0 9 \* \* \*'/);
  const before = readFileSync(copy.file('config/settings/base.py'), 'utf8');
  const changedLines = settings.split('\n').filter((line, i) => line !== before.split('\n')[i]);
  assert.equal(changedLines.length, 2, changedLines.join('\n'));
  const manifest = texts.get('skene_retention/loops.json') ?? '';
  assert.equal(JSON.parse(manifest).loops[0].cron, '0 10 * * *');
  assert.equal(JSON.parse(texts.get('.skene/generated.json') ?? '{}').files['skene_retention/loops.json'], sha(manifest));

  // Written, the config checks clean: loops.json is current.
  for (const [file, text] of texts) copy.write(file, text);
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [...texts.keys()].map((file) => ({ uri: copy.uri(file), type: FileChangeType.Changed })) });
  await session.change(uri, changed);
  assert.deepEqual((await session.pull(uri)).items.filter((d) => d.code === 'manifest-stale'), []);
});
