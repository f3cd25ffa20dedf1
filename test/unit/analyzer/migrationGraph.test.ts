/**
 * The leaf migration of each app, from `dependencies` / `replaces` read in each migration file. Only the head of
 * a migration (up to `operations = [`) is parsed, unless the graph attributes come after it (kobotoolbox/kpi).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-migration-graph-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = 'from django.db import migrations\n\n\n';
const migration = (deps: string, rest = '') => `${HEADER}class Migration(migrations.Migration):\n    dependencies = ${deps}\n    operations = []\n${rest}`;

test('a helper above the class, `replaces` after `operations`, dependencies from a module-level list: one leaf', async () => {
  const files: Record<string, string> = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n',
    'site_conf/__init__.py': '',
    'site_conf/settings.py': 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]\n',
    'shop/__init__.py': '',
    'shop/models.py': 'from django.db import models\n\n\nclass Order(models.Model):\n    total = models.IntegerField()\n',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': migration('[]'),
    'shop/migrations/0002_a.py': migration('[("shop", "0001_initial")]'),
    'shop/migrations/0003_b.py': migration('[("shop", "0001_initial")]'),
    'shop/migrations/0004_merge.py': migration('[("shop", "0002_a"), ("shop", "0003_b")]'),
    // kpi's 0074: `operations = []` inside a helper comes before the class.
    'shop/migrations/0005_drop.py': `${HEADER}def get_operations():\n    operations = []\n    return operations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0004_merge")]\n    operations = get_operations()\n`,
    // kpi's 0007: dependencies bound at module level, operations chosen in an `if` above the class.
    'shop/migrations/0006_list.py': `${HEADER}base_dependencies = [("shop", "0005_drop")]\nif True:\n    operations = []\n\n\nclass Migration(migrations.Migration):\n    dependencies = base_dependencies\n    operations = operations\n`,
    'shop/migrations/0007_side.py': migration('[("shop", "0006_list")]'),
    // kpi's logger 0039: a squash whose `replaces` follows `operations`.
    'shop/migrations/0008_squash.py': `${HEADER}class Migration(migrations.Migration):\n    dependencies = [("shop", "0006_list")]\n    operations = []\n    replaces = [("shop", "0007_side")]\n`,
  };
  const root = path.join(tmp, 'p');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const model = await analyzeProject(root);
  assert.equal(model.migrations.shop?.leaf, '0008_squash');
  assert.equal(model.migrations.shop?.conflicts, undefined);
  assert.deepEqual(model.unresolved.filter((u) => u.message.includes('conflicting')), []);
});
