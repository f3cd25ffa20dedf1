import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession, waitFor, type TestSession } from './support/session';

const lensesOf = (session: TestSession, uri: string) => session.codeLenses(uri);

test('over the AUTH_USER_MODEL class: "add retention loop" without a config, a summary that opens it with one', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const models = copy.uri('accounts/models.py');
  const atClass = { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } };
  assert.deepEqual(await lensesOf(session, models), [
    { range: atClass, command: { title: 'Skene: add retention loop', command: 'skene.initialize', arguments: [{ root: copy.root }] } },
  ]);
  assert.deepEqual(await lensesOf(session, copy.uri('events/models.py')), []);

  // The config appears on disk: the watcher event changes the lens (and asks the client to refresh lenses).
  copy.write('skene.config.ts', CLEAN_CONFIG);
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: copy.uri('skene.config.ts'), type: 1 }] });
  assert.deepEqual(await lensesOf(session, models), [
    // It opens the config where the loop starts (`defineLoop({` on line 2).
    { range: atClass, command: { title: 'Skene · dormant 7 d · daily 09:00 Europe/Paris · 1 step', command: 'skene.openConfig', arguments: [copy.uri('skene.config.ts'), { line: 1, character: 'export default defineLoop('.length }] } },
  ]);

  // An open, unsaved config wins over the saved one.
  await session.open(copy.uri('skene.config.ts'), CLEAN_CONFIG.replace("'0 9 * * *'", "'30 8 * * 1'").replace("'7 days'", "'14 days'"));
  assert.equal((await lensesOf(session, models))[0]?.command?.title, 'Skene · dormant 14 d · weekly Mon 08:30 Europe/Paris · 1 step');
});

test('above each loop in skene.config.ts: "Regenerate artifacts" and "Preview plan"', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, CLEAN_CONFIG);
  const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
  const args = { configUri: uri, root: copy.root, loopId: 'dormant-users', loopIndex: 0 };
  assert.deepEqual(await lensesOf(session, uri), [
    { range, command: { title: 'Regenerate artifacts', command: 'skene.regenerateArtifacts', arguments: [args] } },
    { range, command: { title: 'Preview plan', command: 'skene.previewPlan', arguments: [args] } },
  ]);
});

test('skene.codeLens.enabled is read at use time: false hides lenses after didChangeConfiguration, null means the default', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const models = copy.uri('accounts/models.py');
  session.configuration.value = null;
  assert.equal((await lensesOf(session, models)).length, 1);
  session.configuration.value = { codeLens: { enabled: false } };
  assert.equal((await lensesOf(session, models)).length, 1, 'cached until the client says settings changed');
  const before = session.refreshes.codeLens;
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual(await lensesOf(session, models), []);
  await waitFor(() => session.refreshes.codeLens > before);
});

test('code lens on a User class that moved in an unsaved models.py follows the buffer', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const models = copy.uri('accounts/models.py');
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(copy.file('accounts/models.py'), 'utf8');
  await session.open(models, text);
  await session.change(models, `# a comment\n# another\n${text}`);
  assert.deepEqual((await lensesOf(session, models))[0]?.range.start, { line: 6, character: 0 });
});

test('a config with several loops: one lens per loop over the User class, each opening the config at its own loop', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const loops = `import { defineLoop } from '@skene/sdk';
export default [
  defineLoop({
    id: 'dormant-users',
    type: 'retention',
    steps: [{
      trigger: { type: 'schedule', cron: '0 9 * * *' },
      condition: { type: 'query', query: \`SELECT id, email FROM accounts_user WHERE last_login < NOW() - INTERVAL '7 days'\` },
      action: { type: 'email', provider: 'log', template: 're_engagement' },
    }],
  }),
  defineLoop({
    id: 'onboarding',
    type: 'retention',
    steps: [
      {
        trigger: { type: 'schedule', cron: '30 7 * * 1', timezone: 'America/New_York' },
        condition: { type: 'query', query: \`SELECT id, email FROM accounts_user WHERE NOT is_staff\` },
        action: { type: 'email', provider: 'log', template: 're_engagement' },
      },
      { delay: '3d', action: { type: 'email', provider: 'log', template: 're_engagement' } },
    ],
  }),
];
`;
  copy.write('skene.config.ts', loops);
  await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: copy.uri('skene.config.ts'), type: 1 }] });
  const atClass = { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } };
  const config = copy.uri('skene.config.ts');
  assert.deepEqual(await lensesOf(session, copy.uri('accounts/models.py')), [
    { range: atClass, command: { title: 'Skene · dormant-users · dormant 7 d · daily 09:00 Europe/Paris · 1 step', command: 'skene.openConfig', arguments: [config, { line: 2, character: '  defineLoop('.length }] } },
    { range: atClass, command: { title: 'Skene · onboarding · weekly Mon 07:30 America/New_York · 2 steps', command: 'skene.openConfig', arguments: [config, { line: 11, character: '  defineLoop('.length }] } },
  ]);
});
