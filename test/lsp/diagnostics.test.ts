import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidCloseTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { BUNDLED_SERVER } from '../helpers/lspClient';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG, SEED_CONFIG } from './support/fixtures';
import { PULL_CLIENT, PUSH_CLIENT, startSession, summarize } from './support/session';

const BUNDLE_DIR = path.dirname(BUNDLED_SERVER);
const WRONG_TABLE = CLEAN_CONFIG.replace('FROM accounts_user', 'FROM acounts_user');

test('push: diagnostics follow unsaved edits, carry code, docs link, source and fix data; closing clears them', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const first = session.published(uri);
  await session.open(uri, CLEAN_CONFIG);
  assert.deepEqual(summarize((await first).diagnostics), [
    { code: 'missing-template', line: 7, message: "Template 're_engagement' does not exist yet; Skene: Initialize (skene init) creates templates/skene/emails/re_engagement.html and .txt." },
  ]);

  const afterEdit = session.published(uri, (p) => p.version === 2);
  await session.change(uri, WRONG_TABLE);
  const published = await afterEdit;
  const table = published.diagnostics.find((d) => d.code === 'unknown-table');
  assert.deepEqual(table, {
    range: { start: { line: 6, character: 74 }, end: { line: 6, character: 86 } },
    severity: 1,
    code: 'unknown-table',
    codeDescription: { href: table?.codeDescription?.href },
    source: 'skene',
    message: "Table 'acounts_user' is not in this project's models, Django's tables or Skene's tables. Did you mean 'accounts_user'?",
    data: {
      code: 'unknown-table',
      table: 'acounts_user',
      candidates: ['accounts_user'],
      fixes: [{ title: "Use 'accounts_user'", edits: [{ range: { start: { line: 6, character: 74 }, end: { line: 6, character: 86 } }, newText: 'accounts_user' }] }],
    },
  });
  // The link opens the code's own page, packaged beside the bundle (dist/docs/diagnostics/), so it works
  // wherever the VSIX is installed and offline.
  const href = table?.codeDescription?.href ?? '';
  assert.equal(href, pathToFileURL(path.join(BUNDLE_DIR, 'docs/diagnostics/unknown-table.md')).href);
  assert.equal(readFileSync(fileURLToPath(href), 'utf8').split('\n')[0], '# Skene diagnostic `unknown-table`');

  const cleared = session.published(uri, (p) => p.diagnostics.length === 0);
  await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  assert.deepEqual((await cleared).diagnostics, []);
  assert.equal(session.stderr(), '');
});

test('push: a burst of edits never publishes a stale version, and the last version is published', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const versions: number[] = [];
  const seen = session.published(uri, (p) => {
    versions.push(p.version ?? -1);
    return p.version === 21;
  });
  await session.open(uri, CLEAN_CONFIG);
  for (let i = 0; i < 20; i++) await session.change(uri, i % 2 ? WRONG_TABLE : CLEAN_CONFIG);
  const last = await seen;
  assert.deepEqual(summarize(last.diagnostics).map((d) => d.code), ['unknown-table', 'missing-template']);
  assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'published versions only grow');
  assert.equal(versions.at(-1), 21);
});

test('pull: textDocument/diagnostic reports the newest text, and an unchanged version reports unchanged', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  assert.deepEqual(session.initializeResult.capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: false });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, SEED_CONFIG);
  const pull = (previousResultId?: string) => session.pull(uri, previousResultId);
  const seed = await pull();
  assert.deepEqual(summarize(seed.items).map((d) => d.code), ['unknown-table', 'forever-flag', 'missing-template', 'unknown-placeholder', 'unknown-placeholder']);
  assert.deepEqual(await pull(seed.resultId), { kind: 'unchanged', resultId: seed.resultId, items: [] });

  await session.change(uri, CLEAN_CONFIG);
  const clean = await pull(seed.resultId);
  assert.equal(clean.kind, 'full');
  assert.notEqual(clean.resultId, seed.resultId);
  assert.deepEqual(summarize(clean.items).map((d) => d.code), ['missing-template']);
});

test('a broken models.py never stops diagnostics for the config', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  copy.write('accounts/models.py', 'class User(AbstractUser:\n    company = models.CharField(\n\x00\x01 garbage ))))\n');
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, WRONG_TABLE);
  const report = await session.pull(uri);
  assert.equal(report.kind, 'full');
  assert.ok(report.items.some((d) => d.code === 'unknown-table'), JSON.stringify(summarize(report.items)));
});
