/**
 * The one project discovery (CLI, language server, extension): at, below (a monorepo's backend/) or above the
 * folder; several projects listed, chosen by --project / skene.projectPath or by the only skene.config.ts; the
 * language server's registry analyzes each project of a workspace folder that holds several.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cdPrefix, chooseProject, discoverProjects } from '../../../server/core/django/discoverProjects';
import { ProjectRegistry } from '../../../server/core/workspace/projectRegistry';
import { silentLogger } from '../../../server/core/workspace/projectState';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-discovery-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function django(module: string): Record<string, string> {
  return {
    'manage.py': `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}.settings")\n`,
    [`${module}/__init__.py`]: '',
    [`${module}/settings.py`]: 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n',
  };
}

const prefixed = (prefix: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}/${k}`, v]));

const mono = write(path.join(tmp, 'mono'), { 'package.json': '{}', 'frontend/package.json': '{}', ...prefixed('backend', django('api')), 'backend/tools/legacy/manage.py': '' });
const two = write(path.join(tmp, 'two'), { ...prefixed('backend', django('api')), ...prefixed('services/billing', django('billing')) });

describe('project discovery', () => {
  test('from a monorepo root: the project below; its own nested manage.py is not another project', () => {
    assert.deepEqual(discoverProjects(mono), [{ root: path.join(mono, 'backend'), managePy: 'manage.py', hasConfig: false }]);
    const choice = chooseProject(mono);
    assert.ok(choice.ok);
    assert.equal(choice.relative, 'backend');
    assert.equal(cdPrefix(mono, choice.project.root), 'cd backend && ');
  });

  test('from inside the project (an app folder): the project above', () => {
    const choice = chooseProject(path.join(mono, 'backend/api'));
    assert.ok(choice.ok && choice.project.root === path.join(mono, 'backend'));
    assert.equal(cdPrefix(path.join(mono, 'backend'), path.join(mono, 'backend')), '');
    assert.equal(cdPrefix(path.join(mono, 'backend', 'shop'), path.join(mono, 'backend')), 'cd .. && ');
    assert.equal(cdPrefix(path.join(mono, 'frontend', 'src'), path.join(mono, 'backend')), `cd ${path.join(mono, 'backend').split(path.sep).join('/')} && `, 'from elsewhere: the absolute path');
  });

  test('several projects: listed, with how to choose', () => {
    const choice = chooseProject(two);
    assert.ok(!choice.ok);
    assert.equal(choice.reason, 'several');
    assert.equal(choice.message, `2 Django projects found in ${two}:\n  backend\n  services/billing\nChoose one with --project PATH (in the editor: the skene.projectPath setting).`);
  });

  test('--project chooses; a folder that is not a project says so', () => {
    const choice = chooseProject(two, 'services/billing');
    assert.ok(choice.ok && choice.project.root === path.join(two, 'services/billing'));
    const wrong = chooseProject(two, 'docs');
    assert.ok(!wrong.ok);
    assert.equal(wrong.message, 'docs is not a Django project: no manage.py in it or below it.');
  });

  test('of several, the only one with skene.config.ts is chosen', () => {
    const dir = write(path.join(tmp, 'configured'), { ...prefixed('a', django('a_conf')), ...prefixed('b', django('b_conf')), 'b/skene.config.ts': '' });
    const choice = chooseProject(dir);
    assert.ok(choice.ok && choice.project.root === path.join(dir, 'b'));
  });

  test('no project: the message says where it looked', () => {
    const empty = write(path.join(tmp, 'empty'), { 'README.md': '' });
    const choice = chooseProject(empty);
    assert.ok(!choice.ok);
    assert.match(choice.message, /^No Django project found in .*: no manage\.py in it, below it \(4 levels\) or above it/);
  });

  test('the language server analyzes each project of a folder holding several, and routes files to theirs', async () => {
    const registry = new ProjectRegistry(silentLogger);
    try {
      registry.addFolder(two);
      assert.deepEqual(registry.all().map((s) => s.dir).sort(), [path.join(two, 'backend'), path.join(two, 'services/billing')]);
      await Promise.all(registry.all().map((s) => s.ready));
      assert.equal(registry.find(path.join(two, 'services/billing/billing/settings.py'))?.model?.settings.module, 'billing.settings');
      assert.equal(registry.find(path.join(two, 'backend/api/settings.py'))?.model?.settings.module, 'api.settings');
      assert.equal(registry.addFolder(two), registry.all()[0]);
      assert.equal(registry.all().length, 2);
      registry.removeFolder(two);
      assert.deepEqual(registry.all(), []);
    } finally {
      registry.dispose();
    }
  });
});
