/**
 * A loop deleted from skene.config.ts, on examples/saas (CELERY_BEAT_SCHEDULE in its settings): `skene init` without
 * --yes shows the removal of its beat entries as a change and writes nothing; with --yes the entries go, the project's
 * own entry stays, the settings still import and `python manage.py check` passes (Debian's Django 3.2 and Celery).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { copyProject, runDjangoPython, runManage } from '../helpers/django';
import { removeTempDir } from '../helpers/tempDir';
import { withLoops } from '../unit/generators/planKit';
import { initProject, lastJson, ok, planActions } from './initHarness';

const SETTINGS = 'config/settings/base.py';
const env = { DJANGO_SETTINGS_MODULE: 'config.settings.dev', PYTHONDONTWRITEBYTECODE: '1' };
let dir = '';

before(async () => {
  dir = await copyProject();
});

after(async () => {
  if (dir) await removeTempDir(dir);
});

const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const scheduleKeys = async (): Promise<string[]> =>
  lastJson(await runDjangoPython(dir, 'import json, django\ndjango.setup()\nfrom django.conf import settings\nprint(json.dumps(sorted(settings.CELERY_BEAT_SCHEDULE)))', env));

test('a deleted loop: its beat entries are a change in the plan, removed with --yes; Django still checks clean', async () => {
  assert.equal((await initProject(dir, { yes: true })).code, 0);
  const seeded = read('skene.config.ts');
  writeFileSync(path.join(dir, 'skene.config.ts'), withLoops(seeded, [{ id: 'dormant-users', cron: '0 9 * * *' }, { id: 'weekly-digest', cron: '0 9 1 * 1' }]));
  assert.equal((await initProject(dir, { yes: true })).code, 0);
  assert.deepEqual(await scheduleKeys(), ['skene-dormant-users', 'skene-weekly-digest', 'skene-weekly-digest-2', 'sync-stripe-subscriptions']);
  const withTwo = read(SETTINGS);

  writeFileSync(path.join(dir, 'skene.config.ts'), withLoops(seeded, [{ id: 'dormant-users', cron: '0 9 * * *' }]));
  // Without consent (not a terminal, no --yes): the plan shows the removal and nothing is written.
  const asked = await initProject(dir, {});
  assert.notEqual(asked.code, 0);
  assert.equal(planActions(asked.stdout)[SETTINGS], 'modify');
  assert.match(asked.stdout, /removes the beat entries of loops no longer in skene\.config\.ts \('weekly-digest'\) from CELERY_BEAT_SCHEDULE/);
  assert.equal(read(SETTINGS), withTwo);

  assert.equal((await initProject(dir, { yes: true })).code, 0);
  assert.doesNotMatch(read(SETTINGS), /weekly-digest/);
  assert.deepEqual(await scheduleKeys(), ['skene-dormant-users', 'sync-stripe-subscriptions']);
  assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
});
