/**
 * App labels: a clash is only reported where both labels are known. Third-party AppConfigs are not in the
 * project (wagtail.search is really labelled "wagtailsearch"), so guessing their label from the module name
 * produced false "Django refuses to start" reports on real projects such as wagtail's bakerydemo.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

function write(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

function projectWithApps(root: string, apps: string[], localApps: string[]): void {
  write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n');
  write(root, 'site_cfg/__init__.py', '');
  const entries = apps.map((a) => `    "${a}",`).join('\n');
  write(root, 'site_cfg/settings.py', `INSTALLED_APPS = [\n${entries}\n]\n`);
  for (const app of localApps) write(root, `${app.split('.').join('/')}/__init__.py`, '');
}

test('a local app and a third-party app with the same last module part are not reported as a label clash', async (t) => {
  const root = await makeTempDir('skene-labels-');
  t.after(() => removeTempDir(root));
  projectWithApps(root, ['site_cfg.search', 'wagtail.search', 'wagtail.admin', 'django.contrib.admin'], ['site_cfg.search']);
  const model = await analyzeProject(root);
  assert.deepEqual(model.unresolved.filter((u) => u.message.includes('share the label')), []);
});

test('two local apps with the same label are reported with the settings line', async (t) => {
  const root = await makeTempDir('skene-labels-');
  t.after(() => removeTempDir(root));
  projectWithApps(root, ['one.core', 'two.core'], ['one.core', 'two.core']);
  const model = await analyzeProject(root);
  assert.deepEqual(model.unresolved.filter((u) => u.message.includes('share the label')), [
    { file: 'site_cfg/settings.py', line: 1, message: 'apps one.core and two.core share the label "core"; Django refuses to start' },
  ]);
});

test('AUTH_USER_MODEL in an installed package outside the project (openwisp-controller): said so, not "no model found"', async (t) => {
  const root = await makeTempDir('skene-labels-');
  t.after(() => removeTempDir(root));
  projectWithApps(root, ['django.contrib.auth', 'django.contrib.contenttypes', 'openwisp_users', 'site_cfg.shop'], ['site_cfg.shop']);
  write(root, 'site_cfg/settings.py', 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "openwisp_users", "site_cfg.shop"]\nAUTH_USER_MODEL = "openwisp_users.User"\n');
  const model = await analyzeProject(root);
  assert.equal(model.userModel, null);
  assert.deepEqual(model.unresolved.filter((u) => u.message.startsWith('AUTH_USER_MODEL')), [
    { file: 'site_cfg/settings.py', line: 2, message: 'AUTH_USER_MODEL openwisp_users.User: the app "openwisp_users" is an installed package outside the project, so its User model (fields, table) is not read' },
  ]);
});
