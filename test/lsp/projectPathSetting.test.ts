/**
 * `skene.projectPath` in the editor: a workspace folder holding two Django projects (backend/ and
 * services/billing/) means the one the setting names when something is asked of the folder itself (an
 * analyze request from the repository root, Initialize, a config at the root), as `--project` does in the CLI;
 * unset, the first found. A change of the setting is heard through workspace/didChangeConfiguration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Requests } from '../../server/protocol';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { PULL_CLIENT, startSession, waitFor } from './support/session';

function django(module: string): Record<string, string> {
  return {
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}.settings")\n`,
    [`${module}/__init__.py`]: '',
    [`${module}/settings.py`]: 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n',
  };
}

function monorepo(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'skene-projectpath-'));
  const files: Record<string, string> = { 'package.json': '{}' };
  for (const [prefix, module] of [['backend', 'api'], ['services/billing', 'billing']] as const) {
    for (const [rel, text] of Object.entries(django(module))) files[`${prefix}/${rel}`] = text;
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('skene.projectPath picks the project of a monorepo folder; a change is followed', async (t) => {
  const root = monorepo();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const session = await startSession(t, {
    rootPath: root,
    capabilities: PULL_CLIENT,
    initializationOptions: { settings: { projectPath: 'services/billing' } },
  });
  session.configuration.value = { projectPath: 'services/billing' };
  const projectOfRoot = async () => (await session.connection.sendRequest<ProjectModel | null>(Requests.analyze, { root }))?.root;
  assert.equal(await projectOfRoot(), path.join(root, 'services/billing'));

  session.configuration.value = { projectPath: 'backend' };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await waitFor(async () => (await projectOfRoot()) === path.join(root, 'backend'));

  // A path that is not one of them: reported in the log, and the first project found is used.
  session.configuration.value = { projectPath: 'frontend' };
  await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const warned = () => session.logs.some((l) => l.message.includes('skene.projectPath: frontend is not a Django project'));
  await waitFor(async () => (await projectOfRoot()) === path.join(root, 'backend') && warned());
});

test('without the setting the folder means the first project found', async (t) => {
  const root = monorepo();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const session = await startSession(t, { rootPath: root, capabilities: PULL_CLIENT });
  const model = await session.connection.sendRequest<ProjectModel | null>(Requests.analyze, { root });
  assert.equal(model?.root, path.join(root, 'backend'));
});
