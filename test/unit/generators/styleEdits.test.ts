/**
 * Edits in the project's own style: imports in their isort section, catch-all routes recognised, the
 * project's lint settings read from its config files, and Ruff (WASM) reporting only what an edit adds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCatchAll } from '../../../generators/django/urlsEdit';
import { placeImport } from '../../../generators/python/importPlacement';
import { parseModule, elementsOf, topLevelValue } from '../../../generators/python/pyTree';
import { applyEdits } from '../../../generators/python/textEdits';
import { fitCall, wrapComment } from '../../../generators/style/lineLength';
import { readProjectLint } from '../../../generators/style/projectLint';
import { newLintFindings } from '../../../generators/style/ruffCompare';

const FIRST_PARTY = new Set(['shop']);

async function withImport(text: string, statement: string, from: string): Promise<string> {
  return applyEdits(text, [placeImport(await parseModule(text), statement, from, FIRST_PARTY)]);
}

test('a django import goes into the third-party section, in module order, never after first-party or relative imports', async () => {
  const text = 'import os\n\nfrom django.db import models\nfrom django.urls import path\n\nfrom shop.views import home\n\nfrom .forms import F\n';
  assert.equal(await withImport(text, 'from django.utils import timezone', 'django.utils'), 'import os\n\nfrom django.db import models\nfrom django.urls import path\nfrom django.utils import timezone\n\nfrom shop.views import home\n\nfrom .forms import F\n');
  assert.equal(await withImport(text, 'from celery.schedules import crontab', 'celery.schedules'), 'import os\n\nfrom celery.schedules import crontab\nfrom django.db import models\nfrom django.urls import path\n\nfrom shop.views import home\n\nfrom .forms import F\n');
  // No third-party section yet: a new one between the standard library and the project's own imports.
  assert.equal(await withImport('import os\n\nfrom shop import x\n', 'from django.urls import path', 'django.urls'), 'import os\n\nfrom django.urls import path\n\nfrom shop import x\n');
  assert.equal(await withImport('from .views import home\n', 'from django.urls import path', 'django.urls'), 'from django.urls import path\n\nfrom .views import home\n');
});

test('catch-all routes: re_path .* (anchored, with a lookahead or a group), url(), path <path:>; not a prefix route', async () => {
  const module = await parseModule('urlpatterns = [\n    re_path(r".*", spa),\n    re_path(r"^(?!api/).*$", spa),\n    url(r\'^(?P<rest>.*)$\', spa),\n    path("<path:rest>", spa),\n    re_path(r"^api/.*$", api),\n    path("", home),\n]\n');
  const list = topLevelValue(module, 'urlpatterns');
  assert.deepEqual(elementsOf(list!).map(isCatchAll), [true, true, true, true, false, false]);
});

test('the project\'s line length and isort use come from pyproject, setup.cfg, .flake8 or a parent folder', () => {
  const files = (map: Record<string, string>) => (rel: string) => map[rel] ?? null;
  assert.deepEqual(readProjectLint(files({ 'pyproject.toml': '[tool.ruff]\nline-length = 88\n\n[tool.ruff.lint]\nselect = ["E", "I"]\n\n[tool.ruff.lint.isort]\nknown-first-party = ["shop"]\n' })), { lineLength: 88, isort: true, knownFirstParty: ['shop'], source: 'pyproject.toml [tool.ruff]' });
  assert.equal(readProjectLint(files({ 'setup.cfg': '[flake8]\nmax-line-length = 100\n' })).lineLength, 100);
  assert.equal(readProjectLint(files({ '../.flake8': '[flake8]\nmax-line-length: 119\n' })).lineLength, 119);
  assert.deepEqual(readProjectLint(files({})), { lineLength: null, isort: false, knownFirstParty: [], source: null });
});

test('long lines are wrapped the way Black does', () => {
  assert.deepEqual(fitCall('    ', 'x = f(', ['a=1', 'b=2'], 88), ['    x = f(a=1, b=2)']);
  assert.deepEqual(fitCall('    ', 'last_activity_at = models.DateTimeField(', ['null=True', 'blank=True', 'db_index=True', 'default=timezone.now', 'editable=False'], 88), ['    last_activity_at = models.DateTimeField(', '        null=True, blank=True, db_index=True, default=timezone.now, editable=False', '    )']);
  assert.ok(wrapComment('word '.repeat(40).trim(), '    ', 60).every((l) => l.length <= 60 && l.startsWith('    # ')));
});

test('Ruff reports what an edit adds (a long line, an unsorted import), not what the file already had', async () => {
  const before = 'import os\n\nfrom django.db import models\n\nx = "' + 'a'.repeat(100) + '"\n';
  const after = 'import os\n\nfrom django.utils import timezone\nfrom django.db import models\n\nx = "' + 'a'.repeat(100) + '"\ny = "' + 'b'.repeat(100) + '"\n';
  const lint = { lineLength: 88, isort: true, knownFirstParty: [], source: 'pyproject.toml [tool.ruff]' };
  const found = await newLintFindings([{ path: 'm.py', before, after }], lint, []);
  assert.deepEqual(found.map((f) => [f.code, f.line]).sort(), [['E501', 7], ['F401', 3], ['I001', 1]]);
  assert.deepEqual(await newLintFindings([{ path: 'm.py', before, after: before }], lint, []), []);
});
