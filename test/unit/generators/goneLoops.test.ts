/**
 * A loop deleted from skene.config.ts (or renamed there by hand): a re-run removes the beat entries Skene wrote for
 * it — in CELERY_BEAT_SCHEDULE, in an `app.conf.beat_schedule` dict or statements, both entries of a split cron — with
 * Skene's comment above each, as a change in the plan. The project's own entries, an entry whose Skene comment is gone
 * (reported instead) and, while the config is not valid, every entry stay.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { InitPlan } from '../../../generators/types';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { applyInMemory, EXAMPLE_DIR, planInMemory, withLoops } from './planKit';

const read = (rel: string) => readFileSync(path.join(EXAMPLE_DIR, rel), 'utf8');

/** Initialize on `files` with these loops applied, then the plan of a re-run with `next` loops (not applied). */
async function rerun(project: ProjectModel, files: Map<string, string>, first: Array<{ id: string; cron: string }>, next: Array<{ id: string; cron: string }> | string): Promise<{ before: Map<string, string>; plan: InitPlan }> {
  applyInMemory(await planInMemory(project, files), files);
  const seeded = files.get('skene.config.ts') ?? '';
  files.set('skene.config.ts', withLoops(seeded, first));
  applyInMemory(await planInMemory(project, files), files);
  const before = new Map(files);
  files.set('skene.config.ts', typeof next === 'string' ? next : withLoops(seeded, next));
  return { before, plan: await planInMemory(project, files) };
}

const fileIn = (plan: InitPlan, file: string) => plan.files.find((f) => f.path === file);

const SETTINGS = 'config/settings.py';
const daily = { id: 'dormant-users', cron: '0 9 * * *' };
const split = { id: 'weekly-digest', cron: '0 9 1 * 1' };

function settingsProject(): { project: ProjectModel; files: Map<string, string> } {
  // The hand-written example model reads its settings from config/settings.py.
  return { project: exampleProjectModel(), files: new Map([[SETTINGS, read('config/settings/base.py')], ['accounts/models.py', read('accounts/models.py')]]) };
}

describe('CELERY_BEAT_SCHEDULE', () => {
  test('a deleted loop: both entries of its split cron and their comments go, the project\'s entry and the other loop\'s stay', async () => {
    const { project, files } = settingsProject();
    const { before, plan } = await rerun(project, files, [daily, split], [daily]);
    const earlier = before.get(SETTINGS) ?? '';
    assert.match(earlier, /"skene-weekly-digest-2"/);
    const settings = fileIn(plan, SETTINGS);
    assert.equal(settings?.action, 'modify');
    assert.match(settings?.reason ?? '', /removes the beat entries of loops no longer in skene\.config\.ts \('weekly-digest'\) from CELERY_BEAT_SCHEDULE/);
    assert.doesNotMatch(settings?.reason ?? '', /registers/);
    // Exactly what the first Initialize wrote for the one loop that is left.
    const once = new Map(settingsProject().files);
    applyInMemory(await planInMemory(project, once), once);
    assert.equal(settings?.after, once.get(SETTINGS));
    assert.match(settings?.after ?? '', /"sync-stripe-subscriptions": \{/);
    assert.match(settings?.diff ?? '', /^-    # Skene: loop "weekly-digest", cron '0 9 1 \* 1' in Europe\/Paris, its day-of-week part\.$/m);
  });

  test('a loop renamed by hand: the old entry goes and the new one takes its place, even when the old one was last', async () => {
    const { project, files } = settingsProject();
    const { plan } = await rerun(project, files, [daily, split], [daily, { id: 'monthly-digest', cron: '0 9 1 * *' }]);
    const after = fileIn(plan, SETTINGS)?.after ?? '';
    assert.doesNotMatch(after, /weekly-digest/);
    assert.match(after, /    # Skene: loop "monthly-digest", cron '0 9 1 \* \*' in Europe\/Paris\.\n    "skene-monthly-digest": \{\n        "task": "skene_retention\.run_loop",\n        "schedule": crontab\(minute=0, hour=9, day_of_month=1\),\n        "args": \("monthly-digest",\),\n    \},\n\}\n/);
    assert.match(fileIn(plan, SETTINGS)?.reason ?? '', /registers the Skene task in CELERY_BEAT_SCHEDULE; removes the beat entries of loops no longer in skene\.config\.ts \('weekly-digest'\)/);
  });

  test('an entry of a gone loop without Skene\'s comment, or a look-alike of another task, stays; the first is reported', async () => {
    const { project, files } = settingsProject();
    applyInMemory(await planInMemory(project, files), files);
    const seeded = files.get('skene.config.ts') ?? '';
    files.set('skene.config.ts', withLoops(seeded, [daily, split]));
    applyInMemory(await planInMemory(project, files), files);
    const text = (files.get(SETTINGS) ?? '')
      .replace(/    # Skene: loop "weekly-digest", cron '0 9 1 \* 1' in Europe\/Paris, its day-of-month part\.\n/, '')
      .replace('CELERY_BEAT_SCHEDULE = {\n', 'CELERY_BEAT_SCHEDULE = {\n    # Skene: loop "old", cron \'0 9 * * *\' in UTC.\n    "skene-old": {"task": "shop.tasks.old", "args": ("old",)},\n');
    files.set(SETTINGS, text);
    files.set('skene.config.ts', withLoops(seeded, [daily]));
    const plan = await planInMemory(project, files);
    const after = fileIn(plan, SETTINGS)?.after ?? '';
    assert.match(after, /"skene-old": \{"task": "shop\.tasks\.old"/);
    assert.match(after, /\n    "skene-weekly-digest": \{/);
    assert.doesNotMatch(after, /"skene-weekly-digest-2"/);
    const warning = plan.notes.find((n) => n.message.includes('skene-weekly-digest in CELERY_BEAT_SCHEDULE'));
    assert.match(warning?.message ?? '', /^config\/settings\.py: skene-weekly-digest in CELERY_BEAT_SCHEDULE runs loop 'weekly-digest', no longer in skene\.config\.ts, and fails each time it fires; Skene's comment above it is gone, so it was left as it is: remove it by hand\.$/);
  });

  test('a config that is not valid yet removes nothing', async () => {
    const { project, files } = settingsProject();
    const { before, plan } = await rerun(project, files, [daily, split], 'export default defineLoops([]);\n');
    assert.equal(fileIn(plan, SETTINGS)?.after ?? before.get(SETTINGS), before.get(SETTINGS));
  });
});

describe('the Celery module', () => {
  const APP = 'import os\n\nfrom celery import Celery\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n\napp = Celery("saas")\napp.config_from_object("django.conf:settings", namespace="CELERY")\napp.conf.timezone = "Europe/Paris"\napp.autodiscover_tasks()\n';
  const model = () => {
    const project = exampleProjectModel();
    project.celery = { ...project.celery!, beat: 'app.conf', file: 'config/celery.py', namespace: null };
    return project;
  };
  const statement = (id: string, cron: string, part: string, key: string, schedule: string) => `# Skene: loop "${id}", cron '${cron}' in Europe/Paris${part}.
app.conf.beat_schedule["${key}"] = {
    "task": "skene_retention.run_loop",
    "schedule": ${schedule},
    "args": ("${id}",),
}
`;

  test('app.conf.beat_schedule["…"] statements: the gone loop\'s go with their comments, and no blank line is left at the end', async () => {
    const files = new Map([['config/celery.py', APP], ['accounts/models.py', read('accounts/models.py')]]);
    const { before, plan } = await rerun(model(), files, [daily, split], [daily]);
    const tail = (text: string) => text.slice(text.indexOf('app.autodiscover_tasks()\n'));
    const written = statement('weekly-digest', '0 9 1 * 1', ', its day-of-month part', 'skene-weekly-digest', 'crontab(minute=0, hour=9, day_of_month=1)')
      + statement('weekly-digest', '0 9 1 * 1', ', its day-of-week part', 'skene-weekly-digest-2', 'crontab(minute=0, hour=9, day_of_week=1)');
    const kept = statement('dormant-users', '0 9 * * *', '', 'skene-dormant-users', 'crontab(minute=0, hour=9)');
    assert.equal(tail(before.get('config/celery.py') ?? ''), `app.autodiscover_tasks()\n\n${kept}\n${written}`);
    const after = fileIn(plan, 'config/celery.py');
    assert.equal(tail(after?.after ?? ''), `app.autodiscover_tasks()\n\n${kept}`);
    assert.match(after?.reason ?? '', /removes the beat entries of loops no longer in skene\.config\.ts \('weekly-digest'\) from app\.conf\.beat_schedule/);
  });

  test('an app.conf.beat_schedule = {...} dict: the gone loop\'s entries go, the project\'s stay', async () => {
    const app = `${APP}app.conf.beat_schedule = {\n    "cleanup": {"task": "shop.tasks.cleanup", "schedule": 3600.0},\n}\n`;
    const files = new Map([['config/celery.py', app], ['accounts/models.py', read('accounts/models.py')]]);
    const { plan } = await rerun(model(), files, [split, daily], [daily]);
    const after = fileIn(plan, 'config/celery.py')?.after ?? '';
    assert.equal(after.slice(after.indexOf('app.conf.beat_schedule = {')), `app.conf.beat_schedule = {
    "cleanup": {"task": "shop.tasks.cleanup", "schedule": 3600.0},
    # Skene: loop "dormant-users", cron '0 9 * * *' in Europe/Paris.
    "skene-dormant-users": {
        "task": "skene_retention.run_loop",
        "schedule": crontab(minute=0, hour=9),
        "args": ("dormant-users",),
    },
}
`);
  });
});

test('a config that is not valid yet leaves loops.json and the Celery app Initialize created as they are, still recorded as Skene\'s', async () => {
  const project = exampleProjectModel();
  const celery = project.celery!;
  project.celery = null;
  project.jobs = { system: 'celery', scheduler: null, declaredIn: [{ file: 'requirements.txt', line: 1 }] };
  const files = new Map([['accounts/models.py', read('accounts/models.py')], ['config/settings.py', read('config/settings/base.py')], ['config/__init__.py', '']]);
  applyInMemory(await planInMemory(project, files), files);
  assert.match(files.get('config/celery.py') ?? '', /"skene-dormant-users"/);
  // What the analyzer sees now: the Celery app Initialize created.
  project.celery = { ...celery, file: 'config/celery.py' };
  const valid = files.get('skene.config.ts') ?? '';
  files.set('skene.config.ts', 'export default defineLoops([]);\n');
  const broken = await planInMemory(project, files);
  assert.equal(fileIn(broken, 'config/celery.py'), undefined, 'its beat schedule is not emptied');
  applyInMemory(broken, files);
  const state = JSON.parse(files.get('.skene/generated.json') ?? '{}') as { files: Record<string, string> };
  assert.ok(state.files['skene_retention/loops.json'] && state.files['config/celery.py']);
  // Fixed: the next run updates them as its own (no conflict).
  files.set('skene.config.ts', valid.replace("cron: '0 9 * * *'", "cron: '0 10 * * *'"));
  const fixed = await planInMemory(project, files);
  assert.equal(fileIn(fixed, 'config/celery.py')?.action, 'modify');
  assert.equal(fileIn(fixed, 'skene_retention/loops.json')?.action, 'modify');
});
