/**
 * DJANGO_SETTINGS_MODULE named only in the environment the project documents: a `.env` that manage.py loads
 * (it wins over manage.py's `setdefault`, as python-dotenv sets it first; fixture dotenv-settings, compared in
 * full by fixtureProjects.test.ts), else `.env` / `.env.example` / `.env.sample`, compose files and dev
 * containers, which are reported.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-envfiles-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function project(files: Record<string, string>): string {
  const root = path.join(tmp, `p${count++}`);
  const all: Record<string, string> = {
    'site_conf/__init__.py': '',
    'site_conf/settings/__init__.py': '',
    'site_conf/settings/base.py': 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n',
    'site_conf/settings/dev.py': 'from .base import *\nDEBUG = True\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const PLAIN_MANAGE = 'import sys\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n';
const reported = (file: string) => `DJANGO_SETTINGS_MODULE is not set in manage.py, wsgi.py, asgi.py or pytest config; read from ${file}, the environment the project documents`;

async function settingsOf(root: string) {
  const model = await analyzeProject(root);
  return { module: model.settings?.module, declaredAt: model.settings?.declaredAt, unresolved: model.unresolved.filter((u) => u.message.includes('DJANGO_SETTINGS_MODULE')) };
}

describe('settings module named in environment files', () => {
  test('.env.sample (no .env): read and reported', async () => {
    const root = project({ 'manage.py': PLAIN_MANAGE, '.env.sample': '# copy to .env\nexport DJANGO_SETTINGS_MODULE="site_conf.settings.dev"\n' });
    assert.deepEqual(await settingsOf(root), {
      module: 'site_conf.settings.dev',
      declaredAt: { file: '.env.sample', line: 2 },
      unresolved: [{ file: '.env.sample', line: 2, message: reported('.env.sample') }],
    });
  });

  test('docker-compose environment, list and map forms', async () => {
    const list = project({ 'manage.py': PLAIN_MANAGE, 'docker-compose.yml': 'services:\n  web:\n    environment:\n      - DEBUG=1\n      - DJANGO_SETTINGS_MODULE=site_conf.settings.dev\n' });
    assert.equal((await settingsOf(list)).module, 'site_conf.settings.dev');
    const map = project({ 'manage.py': PLAIN_MANAGE, 'compose.yaml': 'services:\n  web:\n    environment:\n      DJANGO_SETTINGS_MODULE: site_conf.settings.base\n' });
    assert.deepEqual(await settingsOf(map), {
      module: 'site_conf.settings.base',
      declaredAt: { file: 'compose.yaml', line: 4 },
      unresolved: [{ file: 'compose.yaml', line: 4, message: reported('compose.yaml') }],
    });
  });

  test('a dev container (babybuddy: containerEnv in .devcontainer.json)', async () => {
    const root = project({ 'manage.py': PLAIN_MANAGE, '.devcontainer.json': '{\n  "containerEnv": {\n    "DJANGO_SETTINGS_MODULE": "site_conf.settings.dev",\n    "X": "1"\n  }\n}\n' });
    assert.deepEqual((await settingsOf(root)).declaredAt, { file: '.devcontainer.json', line: 3 });
  });

  test('.env wins over its templates; manage.py\'s setdefault wins over a .env it does not load', async () => {
    const both = project({ 'manage.py': PLAIN_MANAGE, '.env': 'DJANGO_SETTINGS_MODULE=site_conf.settings.dev\n', '.env.example': 'DJANGO_SETTINGS_MODULE=site_conf.settings.base\n' });
    assert.equal((await settingsOf(both)).module, 'site_conf.settings.dev');
    const manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings.base")\n';
    const notLoaded = project({ 'manage.py': manage, '.env': 'DJANGO_SETTINGS_MODULE=site_conf.settings.dev\n' });
    assert.deepEqual(await settingsOf(notLoaded), { module: 'site_conf.settings.base', declaredAt: { file: 'manage.py', line: 2, column: 1 }, unresolved: [] });
    const loaded = project({ 'manage.py': `import environ\nenviron.Env.read_env()\n${manage}`, '.env': 'DJANGO_SETTINGS_MODULE=site_conf.settings.dev\n' });
    assert.deepEqual(await settingsOf(loaded), { module: 'site_conf.settings.dev', declaredAt: { file: '.env', line: 1 }, unresolved: [] });
  });

  test('a value computed in the environment file is not taken (the lone settings package is the reported guess)', async () => {
    const root = project({ 'manage.py': PLAIN_MANAGE, '.env.example': 'DJANGO_SETTINGS_MODULE=${SETTINGS:-site_conf.settings.dev}\n' });
    const read = await settingsOf(root);
    assert.deepEqual({ module: read.module, declaredAt: read.declaredAt }, { module: 'site_conf.settings', declaredAt: undefined });
  });
});

describe('settings module computed in manage.py', () => {
  test('an f-string of a name bound before branches on the environment (LibrePhotos): its unconditional value, reported', async () => {
    const manage = [
      'import os', 'import sys', '', 'if __name__ == "__main__":', '    environment = "base"', '    if os.environ.get("DEBUG", "0") == "1":',
      '        environment = "dev"', '    if sys.argv[1] == "test":', '        environment = "test"',
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"site_conf.settings.{environment}")', '',
    ].join('\n');
    assert.deepEqual(await settingsOf(project({ 'manage.py': manage })), {
      module: 'site_conf.settings.base',
      declaredAt: { file: 'manage.py', line: 10, column: 5 },
      unresolved: [{ file: 'manage.py', line: 10, message: 'DJANGO_SETTINGS_MODULE is computed; read as site_conf.settings.base, its value with no environment set and no branch taken' }],
    });
  });

  test('manage.py calls a function of the project package that sets it with % formatting (AWX): followed', async () => {
    const pkg = [
      'import os', '', 'try:', '    import site_conf.devonly  # noqa', '', "    MODE = 'dev'", 'except ImportError:', "    MODE = 'base'", '', '',
      'def prepare_env():', "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings.%s' % MODE)", '', '',
      'def manage():', '    prepare_env()', '',
    ].join('\n');
    const manage = "if __name__ == '__main__':\n    from site_conf import manage\n\n    manage()\n";
    const read = await settingsOf(project({ 'manage.py': manage, 'site_conf/__init__.py': pkg, 'site_conf/devonly.py': '', 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = site_conf.settings.base\n' }));
    assert.deepEqual(read, {
      module: 'site_conf.settings.dev',
      declaredAt: { file: 'site_conf/__init__.py', line: 12, column: 5 },
      unresolved: [{ file: 'site_conf/__init__.py', line: 12, message: 'DJANGO_SETTINGS_MODULE is computed; read as site_conf.settings.dev, its value with no environment set and no branch taken' }],
    });
  });

  test('an environment read with a default, and a concatenation; a name bound only in a branch stays unknown', async () => {
    const fromEnv = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("APP_SETTINGS", "site_conf.settings.dev"))\n';
    assert.equal((await settingsOf(project({ 'manage.py': fromEnv }))).module, 'site_conf.settings.dev');
    const concat = 'import os\nPREFIX = "site_conf.settings."\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", PREFIX + "dev")\n';
    assert.equal((await settingsOf(project({ 'manage.py': concat }))).module, 'site_conf.settings.dev');
    const branchOnly = 'import os\nif os.environ.get("X"):\n    env = "dev"\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", f"site_conf.settings.{env}")\n';
    const unknown = await settingsOf(project({ 'manage.py': branchOnly, 'site_conf/settings.py': 'INSTALLED_APPS = []\n' }));
    assert.ok(unknown.unresolved.some((u) => u.message === 'DJANGO_SETTINGS_MODULE is set to a computed value; cannot tell which settings module runs'), JSON.stringify(unknown));
  });
});
