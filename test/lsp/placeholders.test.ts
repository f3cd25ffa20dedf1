import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits } from './support/applyEdits';
import { withCursor } from './support/cursor';
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
  const fixesFor = async (diagnostics: Diagnostic[]) =>
    session.codeActions({ textDocument: { uri }, range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics, only: ['quickfix'] } });
  return { session, uri, pull, fixesFor };
}

const brief = (d: Diagnostic) => ({ code: d.code, severity: d.severity, message: d.message, text: '' });

test('an unclosed {{user.first_name is an error whose fix closes it; the fixed config is clean', async (t) => {
  for (const broken of ["'{{user.first_name'", "'{{user.first_name}'", "'Hi {{user.first_name, see {{user.last_name}}'"]) {
    const text = CLEAN_CONFIG.replace("'{{user.first_name}}'", broken);
    const { session, uri, pull, fixesFor } = await openConfig(t, text);
    const unclosed = (await pull()).filter((d) => d.code === 'unclosed-placeholder');
    assert.equal(unclosed.length, 1, broken);
    assert.equal(unclosed[0]?.severity, 1);
    assert.match(unclosed[0]?.message ?? '', /^'\{\{user\.first_name\}?' is missing its closing '\}\}', so it would be sent as written\. Close it: '\{\{user\.first_name\}\}'\.$/);
    const [fix] = await fixesFor(unclosed);
    assert.equal(fix?.title, 'Close the placeholder: {{user.first_name}}');
    const fixed = applyEdits(text, fix?.edit?.changes?.[uri] ?? []);
    assert.equal(fixed, CLEAN_CONFIG.replace("'{{user.first_name}}'", broken.replace(/\{\{user\.first_name\}?(?!\})/, '{{user.first_name}}')));
    await session.change(uri, fixed);
    assert.deepEqual((await pull()).filter((d) => d.code === 'unclosed-placeholder'), []);
  }
});

test('completion after {{user. inserts the closing braces (and not twice)', async (t) => {
  const open = withCursor(CLEAN_CONFIG.replace("'{{user.first_name}}'", "'{{user.fi|'"));
  const { session, uri } = await openConfig(t, open.text);
  const items = (await session.complete(uri, open.position)).items;
  const first = items.find((i) => i.label === 'first_name');
  assert.equal(first?.textEdit && 'newText' in first.textEdit ? first.textEdit.newText : null, 'first_name}}');
  const closed = withCursor(CLEAN_CONFIG.replace("'{{user.first_name}}'", "'{{user.fi|}}'"));
  await session.change(uri, closed.text);
  const again = (await session.complete(uri, closed.position)).items.find((i) => i.label === 'first_name');
  assert.equal(again?.textEdit && 'newText' in again.textEdit ? again.textEdit.newText : null, 'first_name');
});

test('{{user.password}} is an error with no quick fix, even though password is a user field', async (t) => {
  const text = CLEAN_CONFIG.replace("'{{user.first_name}}'", "'{{user.password}}'");
  const { pull, fixesFor } = await openConfig(t, text);
  const issues = (await pull()).filter((d) => d.code !== 'missing-template');
  assert.deepEqual(issues.map(brief), [{ code: 'sensitive-placeholder', severity: 1, message: "{{user.password}} would put a credential ('password') into an email. Remove it; emails may only use ordinary profile fields.", text: '' }]);
  assert.deepEqual(await fixesFor(issues), []);
});

test('a credential column in the select list, or through *, is an error', async (t) => {
  const named = CLEAN_CONFIG.replace('SELECT id, email, first_name FROM', 'SELECT id, email, first_name, password FROM');
  const one = await openConfig(t, named);
  const issues = (await one.pull()).filter((d) => d.code === 'sensitive-column');
  assert.deepEqual(issues.map(brief), [{ code: 'sensitive-column', severity: 1, message: "'password' is a credential column; a loop query must not select it. Remove it from the select list.", text: '' }]);
  const line = named.split('\n')[issues[0]?.range.start.line ?? 0] ?? '';
  assert.equal(line.slice(issues[0]?.range.start.character, issues[0]?.range.end.character), 'password');
  const star = await openConfig(t, CLEAN_CONFIG.replace('SELECT id, email, first_name FROM', 'SELECT * FROM'));
  const viaStar = (await star.pull()).filter((d) => d.code === 'sensitive-column');
  assert.deepEqual(viaStar.map((d) => d.message), ["`*` selects 'password', a credential column; list the columns the emails need instead (e.g. id, email, first_name)."]);
});

test('completion never offers credential fields, in placeholders or in SQL', async (t) => {
  const open = withCursor(CLEAN_CONFIG.replace('SELECT id, email, first_name FROM', 'SELECT id, email, | FROM'));
  const { session, uri } = await openConfig(t, open.text);
  const labels = (await session.complete(uri, open.position)).items.map((i) => i.label);
  assert.ok(labels.includes('first_name'));
  assert.ok(!labels.includes('password'));
});
