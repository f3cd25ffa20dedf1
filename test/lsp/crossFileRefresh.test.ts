import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, PUSH_CLIENT, startSession, summarize } from './support/session';

const SELECTS_COMPANY = CLEAN_CONFIG.replace('SELECT id, email, first_name FROM', 'SELECT id, email, first_name, company FROM');

test('pull: a field renamed in models.py on disk (watcher event) refreshes the config problems without touching the config', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, SELECTS_COMPANY);
  const pull = async () => summarize((await session.pull(uri)).items);
  assert.deepEqual((await pull()).map((d) => d.code), ['missing-template']);

  const models = readFileSync(copy.file('accounts/models.py'), 'utf8');
  copy.write('accounts/models.py', models.replace('company = models.CharField', 'organization = models.CharField'));
  const before = session.refreshes.diagnostics;
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: copy.uri('accounts/models.py'), type: 2 }] });
  await waitFor(() => session.refreshes.diagnostics > before);
  assert.deepEqual((await pull()).map((d) => [d.code, d.message]), [
    ['unknown-column', "Column 'company' does not exist in accounts_user. Add it to the model (and a migration) or use an existing column."],
    ['missing-template', "Template 're_engagement' does not exist yet; Skene: Initialize (skene init) creates templates/skene/emails/re_engagement.html and .txt."],
  ]);
});

test('push: editing models.py in an open editor (unsaved) re-publishes the config diagnostics', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const first = session.published(uri);
  await session.open(uri, SELECTS_COMPANY);
  assert.deepEqual(summarize((await first).diagnostics).map((d) => d.code), ['missing-template']);

  const modelsUri = copy.uri('accounts/models.py');
  const models = readFileSync(copy.file('accounts/models.py'), 'utf8');
  await session.open(modelsUri, models);
  const republished = session.published(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-column'));
  await session.change(modelsUri, models.replace('company = models.CharField', 'organization = models.CharField'));
  assert.deepEqual(summarize((await republished).diagnostics).map((d) => d.code), ['unknown-column', 'missing-template']);

  // Undoing the edit in the editor brings the config back to clean.
  const clean = session.published(uri, (p) => !p.diagnostics.some((d) => d.code === 'unknown-column'));
  await session.change(modelsUri, models);
  assert.deepEqual(summarize((await clean).diagnostics).map((d) => d.code), ['missing-template']);
});

test('templates appearing on disk clear the missing-template problem', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const config = CLEAN_CONFIG.replace("template: 're_engagement'", "template: 'winback'");
  const first = session.published(uri);
  await session.open(uri, config);
  assert.deepEqual(summarize((await first).diagnostics).map((d) => d.code), ['missing-template']);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(copy.file('templates/skene/emails'), { recursive: true });
  copy.write('templates/skene/emails/winback.html', '<p>Hi</p>');
  const cleared = session.published(uri, (p) => p.diagnostics.length === 0);
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: copy.uri('templates/skene/emails/winback.html'), type: 1 }] });
  assert.deepEqual((await cleared).diagnostics, []);
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
