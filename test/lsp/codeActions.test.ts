import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits } from './support/applyEdits';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession } from './support/session';

async function openConfig(t: TestContext, text: string) {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, text);
  const pull = async () => (await session.pull(uri)).items;
  const actions = (diagnostics: Diagnostic[], only?: string[]) =>
    session.codeActions({
      textDocument: { uri },
      range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  return { copy, session, uri, pull, actions };
}

test('quick fix round trip: the suggested table is applied, and the problem is gone on the next pull', async (t) => {
  const text = CLEAN_CONFIG.replace('FROM accounts_user', 'FROM acounts_user');
  const { session, uri, pull, actions } = await openConfig(t, text);
  const table = (await pull()).filter((d) => d.code === 'unknown-table');
  const found = await actions(table, ['quickfix']);
  const [quickFix] = found;
  assert.deepEqual(found, [{
    title: "Use 'accounts_user'",
    kind: 'quickfix',
    diagnostics: table,
    isPreferred: true,
    edit: { changes: { [uri]: [{ range: table[0]?.range, newText: 'accounts_user' }] } },
  }]);
  const fixed = applyEdits(text, quickFix?.edit?.changes?.[uri] ?? []);
  assert.equal(fixed, CLEAN_CONFIG);
  await session.change(uri, fixed);
  assert.deepEqual((await pull()).map((d) => d.code), ['missing-template']);
});

test('fixes come from code + data, not the message: a reworded diagnostic still gets its fix', async (t) => {
  const text = CLEAN_CONFIG.replace("cron: '0 9 * * *'", "cron: '0 0 9 * * *'");
  const { uri, pull, actions } = await openConfig(t, text);
  const cron = (await pull()).filter((d) => d.code === 'invalid-cron').map((d) => ({ ...d, message: 'reworded by a translation' }));
  const found = await actions(cron);
  assert.deepEqual(found.map((a) => [a.title, a.kind, applyEdits(text, a.edit?.changes?.[uri] ?? []) === CLEAN_CONFIG]), [
    ["Use '0 9 * * *'", 'quickfix', true],
    ['Fix all Skene problems', 'source.fixAll.skene', true],
  ]);
});

test('missing template: a quick fix creates the .html and .txt files as a WorkspaceEdit', async (t) => {
  const text = CLEAN_CONFIG.replace("template: 're_engagement'", "template: 'winback'");
  const { copy, pull, actions } = await openConfig(t, text);
  const missing = (await pull()).filter((d) => d.code === 'missing-template');
  const [create] = (await actions(missing, ['quickfix'])).filter((a) => a.title.startsWith('Create'));
  const html = copy.uri('templates/skene/emails/winback.html');
  const txt = copy.uri('templates/skene/emails/winback.txt');
  assert.equal(create?.title, 'Create templates/skene/emails/winback.html and templates/skene/emails/winback.txt');
  const changes = create?.edit?.documentChanges ?? [];
  assert.deepEqual(changes.map((c) => ('kind' in c ? c.kind : `edit ${c.textDocument.uri}`)), ['create', `edit ${html}`, 'create', `edit ${txt}`]);
  assert.deepEqual(changes[0], { kind: 'create', uri: html, options: { ignoreIfExists: true } });
  const htmlEdit = changes[1];
  const body = htmlEdit && 'edits' in htmlEdit ? (htmlEdit.edits[0]?.newText ?? '') : '';
  assert.match(body, /Hi \{\{name\}\},/);
  assert.match(body, /\{\{unsubscribe_url\}\}/);
});

test('a DELETE condition gets "Rewrite as a SELECT of the same rows", and the rewrite passes the checker', async (t) => {
  const text = CLEAN_CONFIG.replace('SELECT id, email, first_name FROM accounts_user WHERE', 'DELETE FROM accounts_user WHERE');
  const { session, uri, pull, actions } = await openConfig(t, text);
  const notSelect = (await pull()).filter((d) => d.code === 'sql-not-select');
  const found = await actions(notSelect, ['quickfix']);
  assert.deepEqual(found.map((a) => a.title), ['Rewrite as a SELECT of the same rows']);
  const fixed = applyEdits(text, found[0]?.edit?.changes?.[uri] ?? []);
  assert.match(fixed, /query: `SELECT id, email FROM accounts_user WHERE last_login < NOW\(\) - INTERVAL '7 days'`/);
  await session.change(uri, fixed);
  assert.deepEqual((await pull()).map((d) => d.code), ['missing-template', 'placeholder-not-selected']);
});

test('"Fix all Skene problems" applies the best fix of every problem at once', async (t) => {
  const text = CLEAN_CONFIG.replace('FROM accounts_user', 'FROM acounts_user').replace("cron: '0 9 * * *'", "cron: '@daily'").replace("provider: 'log'", "provider: 'lgo'");
  const { session, uri, pull, actions } = await openConfig(t, text);
  assert.deepEqual((await pull()).map((d) => d.code).sort(), ['invalid-cron', 'invalid-enum-value', 'missing-template', 'unknown-table']);
  const [fixAll] = await actions([], ['source.fixAll']);
  assert.equal(fixAll?.kind, 'source.fixAll.skene');
  const fixed = applyEdits(text, fixAll?.edit?.changes?.[uri] ?? []);
  await session.change(uri, fixed);
  assert.deepEqual((await pull()).map((d) => d.code), ['missing-template']);
  assert.equal(fixed, CLEAN_CONFIG.replace("cron: '0 9 * * *'", "cron: '0 0 * * *'"));
});
