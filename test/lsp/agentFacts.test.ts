/**
 * What coding agents read never offers a credential as a usable field: the Cursor rule and AGENTS.md that Initialize
 * writes (asked through the bundled server, `agents: true`) and the Copy Prompt for Cursor text (built by the extension
 * from the server's skene/analyze answer) list the user's columns without the password hash, tokens or secrets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCursorPrompt } from '../../extension/cursorPrompt';
import type { ProjectFacts } from '../../extension/projectFacts';
import { AGENTS_FILE, CURSOR_RULE_FILE, Requests, ServerCommands } from '../../server/protocol';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

const CREDENTIALS = ['password', 'api_token', 'reset_secret'];

test('the Cursor rule, AGENTS.md and the Cursor prompt list ordinary columns, never a credential', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const models = readFileSync(copy.file('accounts/models.py'), 'utf8');
  copy.write('accounts/models.py', models.replace('    company = models.CharField', '    api_token = models.CharField(max_length=64, blank=True)\n    reset_secret = models.CharField(max_length=64, blank=True)\n    company = models.CharField'));
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });

  const facts = await session.connection.sendRequest<ProjectFacts>(Requests.analyze, { root: copy.root });
  const columns = facts.userModel?.fields.map((f) => f.column) ?? [];
  for (const name of CREDENTIALS) assert.ok(columns.includes(name), `the model has ${name}: the lists below leave it out on purpose`);

  const plan = await session.execute(ServerCommands.previewPlan, { root: copy.root, agents: true });
  const rule = plan.files.find((f) => f.path === CURSOR_RULE_FILE)?.after ?? '';
  assert.match(rule, /`first_name`/);
  assert.match(rule, /`timezone`/);
  // AGENTS.md names no columns; neither file names a credential.
  for (const file of [CURSOR_RULE_FILE, AGENTS_FILE]) {
    const text = plan.files.find((f) => f.path === file)?.after ?? '';
    assert.ok(text.length > 0, file);
    for (const name of CREDENTIALS) assert.doesNotMatch(text, new RegExp(`\\b${name}\\b`), `${file} lists ${name}`);
  }

  const prompt = buildCursorPrompt(facts, false, '.');
  const fieldsLine = prompt.split('\n').find((line) => line.startsWith('- User fields')) ?? '';
  assert.match(fieldsLine, /first_name \(CharField\)/);
  assert.match(fieldsLine, /\(credential fields such as the password hash are left out: never select them\)$/);
  for (const name of CREDENTIALS) assert.doesNotMatch(fieldsLine.replace('the password hash', ''), new RegExp(`\\b${name}\\b`));
});
