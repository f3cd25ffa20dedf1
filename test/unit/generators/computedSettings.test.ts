/**
 * librephotos' manage.py picks its settings with f"librephotos.settings.{environment}". When `environment` comes from
 * the environment with no default, Initialize cannot know the user model, and says how to name the settings instead
 * of "auth.User was not found". (With a literal default, the analyzer follows the f-string: analyzer tests.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';
import { planInMemory } from './planKit';

test('a computed DJANGO_SETTINGS_MODULE: the plan names the line and how to pass the module', async (t) => {
  const root = await makeTempDir('skene-computed-settings-');
  t.after(() => removeTempDir(root));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write('manage.py', 'import os\nimport sys\n\nif __name__ == "__main__":\n    environment = os.environ["PHOTOS_ENVIRONMENT"]\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"photos.settings.{environment}")\n');
  write('photos/__init__.py', '');
  write('photos/settings/__init__.py', '');
  write('photos/settings/production.py', 'AUTH_USER_MODEL = "api.User"\nINSTALLED_APPS = ["django.contrib.auth", "api"]\n');
  const plan = await planInMemory(await analyzeProject(root), new Map());
  assert.deepEqual(plan.files, []);
  assert.match(plan.notes[0]?.message ?? '', /^The user model auth\.User was not found: manage\.py:6 computes DJANGO_SETTINGS_MODULE, .*`DJANGO_SETTINGS_MODULE=<your settings module> npx skene-django init`/);
});
