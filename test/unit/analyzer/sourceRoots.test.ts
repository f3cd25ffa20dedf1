/**
 * Apps outside the folder of manage.py, found where Python finds them: a package developed beside its test
 * project (tests/manage.py, the package at the repository root), src/ layouts and sys.path edits. The whole
 * models of these fixtures are in fixtureProjects.test.ts (and Django agrees: analyzerOracle.test.ts); this file
 * checks the language server's side: a file of the package outside the root is the project's file.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { ProjectRegistry } from '../../../server/core/workspace/projectRegistry';
import { silentLogger } from '../../../server/core/workspace/projectState';

const FIXTURES = path.resolve(__dirname, '../../fixtures/projects');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-source-roots-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('source roots in the language server', () => {
  test('opening the repository of a package with tests/manage.py: an edit to ../loyalty/models.py updates the user model', async () => {
    const repo = path.join(tmp, 'app-at-root');
    cpSync(path.join(FIXTURES, 'app-at-root'), repo, { recursive: true });
    const registry = new ProjectRegistry(silentLogger);
    try {
      const state = registry.addFolder(repo);
      await state.ready;
      assert.equal(state.root, path.join(repo, 'tests'));
      assert.deepEqual(state.model?.sourceRoots, ['..']);
      assert.equal(state.model?.userModel?.file, '../loyalty/models.py');
      const models = path.join(repo, 'loyalty/models.py');
      assert.equal(registry.find(models), state);
      const text = readFileSync(models, 'utf8').replace('points = models.PositiveIntegerField', 'stars = models.PositiveIntegerField');
      const changed = await registry.apply([{ file: models, change: { text } }]);
      assert.deepEqual(changed, [state]);
      const columns = state.model?.userModel?.fields.map((f) => f.column);
      assert.ok(columns?.includes('stars') && !columns.includes('points'), JSON.stringify(columns));
    } finally {
      registry.dispose();
    }
  });

  test('manage.py in src/, dependencies in the repository root\'s pyproject.toml (paperless-ngx): the driver and job system are read from it', async () => {
    const repo = path.join(tmp, 'src-manage');
    const files: Record<string, string> = {
      'pyproject.toml': '[project]\nname = "papers"\ndependencies = ["Django>=4.2", "celery[redis]~=5.6"]\n\n[project.optional-dependencies]\npostgres = [\n  "psycopg[c,pool]==3.3",\n]\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n',
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "papers.settings")\n',
      'src/papers/__init__.py': '',
      'src/papers/settings.py': 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n',
      'src/papers/celery.py': 'from celery import Celery\n\napp = Celery("papers")\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      writeFileSync(path.join(repo, rel), text);
    }
    const model = await analyzeProject(repo);
    assert.equal(model.root, path.join(repo, 'src'));
    assert.deepEqual(model.sourceRoots, []);
    assert.equal(model.database.driver, 'psycopg');
    assert.equal(model.jobs?.system, 'celery');
    assert.ok(model.jobs?.declaredIn.some((d) => d.file === '../pyproject.toml'), JSON.stringify(model.jobs));
  });

  test('manage.py in a sub-folder, dependencies only in the repository root\'s Pipfile (Tabbycat): the driver is read from it, unless the project folder declares its own', async () => {
    const repo = path.join(tmp, 'pipfile-above');
    const files: Record<string, string> = {
      Pipfile: '[packages]\ndjango = "*"\npsycopg2-binary = "*"\n',
      'site/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
      'site/conf/__init__.py': '',
      'site/conf/settings.py': 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      writeFileSync(path.join(repo, rel), text);
    }
    const model = await analyzeProject(path.join(repo, 'site'));
    assert.equal(model.database.driver, 'psycopg2');
    writeFileSync(path.join(repo, 'site/requirements.txt'), 'Django==5.0\n');
    assert.equal((await analyzeProject(path.join(repo, 'site'))).database.driver, null);
  });

  test('manage.py inside the package the repository root declares, apps named through it (ArchiveBox: archivebox.core): located in the root', async () => {
    const repo = path.join(tmp, 'manage-in-package');
    const files: Record<string, string> = {
      'pyproject.toml': '[project]\nname = "vault"\n\n[tool.setuptools]\npackages = ["vault"]\n',
      'vault/__init__.py': '',
      'vault/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")\n',
      'vault/core/__init__.py': '',
      'vault/core/settings.py': 'from vault.core.constants import SHELF_APP\n\nINSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "vault.core", SHELF_APP]\n',
      'vault/core/constants.py': 'SHELF_APP = "vault.shelf"\n',
      'vault/core/models.py': 'from django.db import models\n\n\nclass Snapshot(models.Model):\n    url = models.URLField()\n',
      'vault/shelf/__init__.py': '',
      'vault/shelf/models.py': 'from django.db import models\n\n\nclass Shelf(models.Model):\n    name = models.CharField(max_length=10)\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      writeFileSync(path.join(repo, rel), text);
    }
    const model = await analyzeProject(repo);
    assert.equal(model.root, path.join(repo, 'vault'));
    assert.deepEqual(model.sourceRoots, ['..']);
    assert.deepEqual(model.apps.filter((a) => a.path).map((a) => [a.module, a.path]), [['vault.core', 'core'], ['vault.shelf', 'shelf']]);
    assert.deepEqual(model.models?.map((m) => [m.table, m.file]), [['core_snapshot', 'core/models.py'], ['shelf_shelf', 'shelf/models.py']]);
  });
});
