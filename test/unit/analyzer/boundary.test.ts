/**
 * The project boundary: the analyzer and the project discovery never leave the project folder. A symlink to
 * `/` and one to a sibling folder outside the root are not followed (and are reported in `skipped`), a link
 * inside the project is read once, watcher updates through a link leading out are ignored, and the scan stops
 * at its file and time caps with a `skipped` entry saying so.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ProjectAnalyzer } from '../../../server/core/django/analyzeProject';
import { discoverProjects } from '../../../server/core/django/discoverProjects';
import { scanProject } from '../../../server/core/django/scanProject';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-boundary-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const root = path.join(tmp, 'site');
const sibling = path.join(tmp, 'elsewhere');
write(root, {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
  'conf/__init__.py': '',
  'conf/settings.py': 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
  'shop/__init__.py': '',
  'shop/models.py': 'from django.db import models\n\nclass Order(models.Model):\n    total = models.IntegerField()\n',
  'real_linked/__init__.py': '',
  'real_linked/models.py': 'from django.db import models\n\nclass Note(models.Model):\n    body = models.TextField()\n',
});
write(sibling, {
  'linked/__init__.py': '',
  'outside/__init__.py': '',
  'outside/models.py': 'from django.db import models\n\nclass Secret(models.Model):\n    value = models.TextField()\n',
  'manage.py': '# another project outside the root\n',
  'secret.py': 'TOKEN = "x"\n',
});
symlinkSync('/', path.join(root, 'rootfs'));
symlinkSync(sibling, path.join(root, 'sibling'));
symlinkSync(path.join(sibling, 'secret.py'), path.join(root, 'conf/secret.py'));
symlinkSync(path.join(root, 'real_linked'), path.join(root, 'linked'));

describe('the project boundary', () => {
  test('symlinks to / and to a sibling folder are not followed, and are reported', async () => {
    const analyzer = new ProjectAnalyzer(root);
    try {
      const model = await analyzer.analyze();
      assert.equal(model.root, root);
      assert.deepEqual(
        model.skipped?.filter((s) => s.message.includes('outside the project')),
        [
          { file: 'conf/secret.py', line: 0, message: 'skipped file: symlink to a file outside the project (not read)' },
          { file: 'rootfs', line: 0, message: 'skipped folder: symlink to a folder outside the project (not followed)' },
          { file: 'sibling', line: 0, message: 'skipped folder: symlink to a folder outside the project (not followed)' },
        ],
      );
      // A link to a folder inside the project is no boundary matter: that folder is read once (under one name).
      assert.ok(model.skipped?.some((s) => s.file === 'linked' && s.message.includes('already scanned')));
      assert.deepEqual(model.models?.map((m) => `${m.app}.${m.class}`), ['shop.Order']);
      assert.ok(!model.models?.some((m) => m.file.startsWith('sibling/') || m.file.startsWith('rootfs/')));
      // An editor or watcher naming a file through the link leading out changes nothing.
      const before = JSON.stringify(model);
      const after = analyzer.updateFile(path.join(root, 'sibling/outside/models.py'), { changedOnDisk: true });
      assert.equal(JSON.stringify(after), before);
    } finally {
      analyzer.dispose();
    }
  });

  test('the listing holds no file from outside the root', () => {
    const listing = scanProject(root);
    assert.ok([...listing.files].every((f) => !f.startsWith('rootfs/') && !f.startsWith('sibling/') && f !== 'conf/secret.py'), [...listing.files].join(', '));
  });

  test('discovery from a folder holding a link to / and to a sibling project finds only what is inside', () => {
    const start = path.join(tmp, 'workspace');
    write(start, { 'README.md': '' });
    symlinkSync('/', path.join(start, 'rootfs'));
    symlinkSync(sibling, path.join(start, 'sibling'));
    symlinkSync(root, path.join(tmp, 'workspace-link-to-site'));
    assert.deepEqual(discoverProjects(start), []);
  });

  test('the file cap stops the scan and says so', () => {
    const big = path.join(tmp, 'big');
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`pkg${i % 6}/m${i}.py`] = '';
    write(big, files);
    const listing = scanProject(big, { maxFiles: 10, maxMs: 60_000 });
    assert.ok(listing.files.size >= 10 && listing.files.size < 30);
    assert.match(listing.skippedDirs.at(-1)?.reason ?? '', /^not scanned: more than 10 files \(\d+ folder\(s\) left unread\)$/);
  });

  test('the time cap stops the scan and says so', () => {
    const listing = scanProject(root, { maxFiles: 50_000, maxMs: -1 });
    assert.match(listing.skippedDirs.at(-1)?.reason ?? '', /^not scanned: scan took over -0.001 s/);
  });
});
