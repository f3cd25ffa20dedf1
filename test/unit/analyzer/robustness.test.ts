/**
 * Hostile files, made at run time in a temp dir: a syntax error, Python 2, binary junk named .py,
 * latin-1 bytes with and without a coding cookie, a file over the size limit, a symlink loop and a
 * virtualenv without a conventional name. The analyzer answers and says what it skipped.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

const APPS = ['broken', 'py2', 'junk', 'latin', 'cookie', 'huge'];

function write(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

function makeProject(root: string): void {
  write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n');
  write(root, 'site_cfg/__init__.py', '');
  const apps = APPS.map((a) => `    "${a}",`).join('\n');
  write(root, 'site_cfg/settings.py', `INSTALLED_APPS = [\n    "django.contrib.auth",\n${apps}\n]\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n`);
  for (const app of APPS) write(root, `${app}/__init__.py`, '');
  write(root, 'broken/models.py', [
    'from django.db import models', '', '', 'class Before(models.Model):', '    name = models.CharField(max_length=10)', '',
    '', 'def oops(:', '    return ]', '', '', 'class After(models.Model):', '    when = models.DateTimeField()', '',
  ].join('\n'));
  write(root, 'py2/models.py', [
    'from django.db import models', '', 'print "loading"', '', '', 'class Legacy(models.Model):',
    '    title = models.CharField(max_length=10)', '', '    def save(self):', '        try:', '            pass',
    '        except Exception, e:', '            print e', '',
  ].join('\n'));
  write(root, 'junk/models.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x10]));
  const latin = 'from django.db import models\n\n\nclass Caf\xe9Menu(models.Model):\n    label = models.CharField(max_length=5)  # "caf\xe9"\n';
  write(root, 'latin/models.py', Buffer.from(latin.replace('Caf\xe9Menu', 'Menu'), 'latin1'));
  write(root, 'cookie/models.py', Buffer.from(`# -*- coding: latin-1 -*-\n${latin.replace('Caf\xe9Menu', 'Carte')}`, 'latin1'));
  write(root, 'huge/models.py', `# generated\n${'X = 1\n'.repeat(1_500_000)}`);
  mkdirSync(path.join(root, 'loops/inner'), { recursive: true });
  symlinkSync('..', path.join(root, 'loops/inner/back'));
  write(root, 'tools_env/pyvenv.cfg', 'home = /usr/bin\n');
  write(root, 'tools_env/lib/stripe_user.py', 'import stripe\n');
}

describe('robustness', () => {
  let root = '';
  let model: ProjectModel;
  before(async () => {
    root = await makeTempDir('skene-analyzer-robust');
    makeProject(root);
    model = await analyzeProject(root);
  });
  after(() => removeTempDir(root));

  test('reads the models around the damage', () => {
    const summary = (model.models ?? []).map((m) => `${m.app}.${m.class} ${m.table} ${m.fields.map((f) => f.column).join(',')}`);
    assert.deepEqual(summary, [
      'broken.Before broken_before id,name',
      'broken.After broken_after id,when',
      'py2.Legacy py2_legacy id,title',
      'latin.Menu latin_menu id,label',
      'cookie.Carte cookie_carte id,label',
    ]);
  });

  test('lists what it could not read and why', () => {
    assert.deepEqual(model.unresolved, [
      { file: 'broken/models.py', line: 8, message: 'syntax error (lines 8, 9); facts read around it may be incomplete' },
      { file: 'latin/models.py', line: 1, message: 'not valid UTF-8 and no coding declaration; read with replacement characters' },
    ]);
    assert.deepEqual(model.skipped, [
      { file: 'huge/models.py', line: 1, message: 'skipped: larger than 8 MB' },
      { file: 'junk/models.py', line: 1, message: 'skipped: binary content (NUL bytes), not Python source' },
      { file: 'loops/inner/back', line: 0, message: 'skipped folder: symlink to a folder already scanned (loop)' },
      { file: 'tools_env', line: 0, message: 'skipped folder: virtualenv (pyvenv.cfg)' },
    ]);
  });

  test('reads Python 2 syntax (print statement, except X, e) without an error', () => {
    assert.equal(model.unresolved.some((u) => u.file === 'py2/models.py'), false);
  });

  test('never counts code inside a virtualenv', () => {
    assert.equal(model.stripe.sdk, false);
  });
});
