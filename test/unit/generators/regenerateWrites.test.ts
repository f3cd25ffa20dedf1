/** Regenerate (the manifest-stale quick fix) picks from an Initialize plan only what follows from the config. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentHash, serializeState, emptyState } from '../../../generators/state/initState';
import type { PlannedFile } from '../../../generators/types';
import type { EditorPlan, PlannedWrite } from '../../../server/core/workspace/planInitialize';
import { regenerateWrites } from '../../../server/core/workspace/regenerateWrites';

const write = (path: string, reason: string, before: string | null = 'old'): PlannedWrite => ({ path, before, after: `new ${path}`, reason });

function plan(writes: PlannedWrite[], files: Partial<PlannedFile>[] = []): EditorPlan {
  return { root: '/p', writes, removals: [], notes: [], files: files as PlannedFile[] };
}

test('the manifest, the beat registration and the recorded hash; not models, migrations, the SDK or new files', () => {
  const state = { ...emptyState(), files: { 'skene_retention/loops.json': contentHash('old'), 'skene/sdk/index.ts': 'abc' } };
  const stateText = serializeState(state);
  const picked = regenerateWrites(plan([
    write('accounts/models.py', 'Settings/code edit: adds User.last_activity_at (last activity).'),
    write('config/settings/base.py', 'Settings/code edit: adds skene_retention to INSTALLED_APPS; registers the Skene task in CELERY_BEAT_SCHEDULE.'),
    write('config/celery.py', 'The project had no Celery app: one per Celery\'s Django guide, with the Skene loop in its beat schedule.', null),
    write('accounts/migrations/0003_x.py', 'Adds User.last_activity_at', null),
    write('skene/sdk/index.ts', 'Vendored @skene/sdk'),
    write('skene_retention/loops.json', 'The loops'),
  ]), stateText);
  assert.deepEqual(picked.writes.map((w) => w.path), ['skene_retention/loops.json', 'config/settings/base.py', '.skene/generated.json']);
  const recorded = JSON.parse(picked.writes[2]?.after ?? '{}') as { files: Record<string, string> };
  assert.deepEqual(recorded.files, { 'skene_retention/loops.json': contentHash('new skene_retention/loops.json'), 'skene/sdk/index.ts': 'abc' });
});

test('nothing to write: a current manifest, or one edited by hand (a conflict), says why', () => {
  assert.deepEqual(regenerateWrites(plan([write('config/settings/base.py', 'registers the Skene task in CELERY_BEAT_SCHEDULE')]), null), { writes: [], nothing: 'skene_retention/loops.json is already current.' });
  const conflict = regenerateWrites(plan([], [{ path: 'skene_retention/loops.json', action: 'conflict' }]), null);
  assert.match(conflict.nothing ?? '', /edited by hand: `npx skene-django init --yes` replaces it/);
});

test('django-celery-beat: the new schedule migration is written and its role recorded; the summary says to migrate', () => {
  const migration = 'skene_retention/migrations/0004_schedule_weekly.py';
  const state = { ...emptyState(), files: { 'skene_retention/loops.json': contentHash('old') }, migrations: { 'beat:weekly:0 9 * * 1@UTC': 'skene_retention/migrations/0003_schedule_weekly.py' } };
  const planned = { ...state, files: { 'skene_retention/loops.json': 'x', 'skene/sdk/index.js': 'newer' }, migrations: { ...state.migrations, 'beat:weekly:0 10 * * 1@UTC': migration, 'user-field': 'accounts/migrations/0009_x.py' } };
  const picked = regenerateWrites(plan([
    write('skene_retention/loops.json', 'The loops'),
    write(migration, "Schedules loop weekly in django-celery-beat (cron '0 10 * * 1' in UTC); replaces the schedule of skene_retention/migrations/0003_schedule_weekly.py once migrated.", null),
    write('accounts/migrations/0009_x.py', 'Adds User.last_activity_at', null),
    { path: '.skene/generated.json', before: serializeState(state), after: serializeState(planned), reason: 'What Initialize wrote' },
  ]), serializeState(state));
  assert.deepEqual(picked.writes.map((w) => w.path), ['skene_retention/loops.json', migration, '.skene/generated.json']);
  const recorded = JSON.parse(picked.writes[2]?.after ?? '{}') as { files: Record<string, string>; migrations: Record<string, string> };
  // Only what Regenerate writes is recorded: not the SDK's newer hash, not a migration it does not write.
  assert.deepEqual(recorded.files, { 'skene_retention/loops.json': contentHash('new skene_retention/loops.json') });
  assert.deepEqual(recorded.migrations, { 'beat:weekly:0 9 * * 1@UTC': 'skene_retention/migrations/0003_schedule_weekly.py', 'beat:weekly:0 10 * * 1@UTC': migration });
  assert.equal(picked.summary, `Updated skene_retention/loops.json, and added ${migration} (cron '0 10 * * 1' in UTC): django-celery-beat keeps the schedule in the database, so run \`python manage.py migrate skene_retention\` to apply it.`);
});
