import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Requests } from '../../server/protocol';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession, waitFor } from './support/session';

test('skene.pythonSettingsModule overrides the settings module the project declares, and a change re-analyzes', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, {
    rootPath: copy.root,
    capabilities: PULL_CLIENT,
    initializationOptions: { settings: { pythonSettingsModule: 'config.settings.prod' } },
  });
  session.configuration.value = { pythonSettingsModule: 'config.settings.prod' };
  const settingsOf = async () => (await session.connection.sendRequest<ProjectModel | null>(Requests.analyze, { root: copy.root }))?.settings;
  assert.deepEqual(
    { module: (await settingsOf())?.module, files: (await settingsOf())?.files },
    { module: 'config.settings.prod', files: ['config/settings/base.py', 'config/settings/prod.py'] },
  );

  // Cleared: back to what manage.py declares.
  session.configuration.value = { pythonSettingsModule: null };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await waitFor(async () => (await settingsOf())?.module === 'config.settings.dev');
  assert.deepEqual((await settingsOf())?.files, ['config/settings/base.py', 'config/settings/dev.py']);
});
