/**
 * Re-running Initialize: a no-op on an initialized project, the config merged property by property, user
 * edits of generated files reported as conflicts, and skene_retention/loops.json tracked by `skene check`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { checkConfig } from '../../../server/core/config/checkConfig';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { EXAMPLE_DIR, applyInMemory, planInMemory } from './planKit';

const USER_FILES = ['accounts/models.py', 'config/settings/base.py', 'config/urls.py'];

async function initialized(): Promise<{ project: ProjectModel; files: Map<string, string> }> {
  const project = await analyzeProject(EXAMPLE_DIR);
  const files = new Map(USER_FILES.map((rel) => [rel, readFileSync(path.join(EXAMPLE_DIR, rel), 'utf8')]));
  // The first run chose the agent files; re-runs below do not pass the option and keep them current.
  applyInMemory(await planInMemory(project, files, { agents: true }), files);
  // What the analyzer sees after init: the model now declares last_activity_at.
  const user = project.userModel!;
  user.fields.push({ name: 'last_activity_at', type: 'DateTimeField', column: 'last_activity_at', inheritedFrom: null });
  project.activity.lastActivityField = 'last_activity_at';
  project.migrations.accounts = { leaf: '0003_user_last_activity_at', files: [...project.migrations.accounts!.files, 'accounts/migrations/0003_user_last_activity_at.py'] };
  project.apps.push({ label: 'skene_retention', module: 'skene_retention', path: 'skene_retention' });
  return { project, files };
}

function changed(plan: Awaited<ReturnType<typeof planInMemory>>): Array<[string, string]> {
  return plan.files.filter((f) => f.action !== 'unchanged').map((f) => [f.path, f.action]);
}

describe('re-running skene init', () => {
  let project: ProjectModel;
  let files: Map<string, string>;

  before(async () => {
    ({ project, files } = await initialized());
  });

  test('on an initialized project every file is unchanged', async () => {
    assert.deepEqual(changed(await planInMemory(project, new Map(files))), []);
  });

  test('the config keeps user edits and comments, and updates an owned value the user did not touch', async () => {
    const copy = new Map(files);
    const config = copy.get('skene.config.ts')!;
    const edited = config.replace("cron: '0 9 * * *'", "cron: '0 10 * * 1-5' /* weekdays */").replace("subject: 'It has been a while'", "subject: 'Come back soon'");
    copy.set('skene.config.ts', edited);
    const moved = { ...project, settings: { ...project.settings, timeZone: 'Europe/Berlin' } };
    const plan = await planInMemory(moved, copy);
    const after = plan.files.find((f) => f.path === 'skene.config.ts')!.after;
    assert.equal(after, edited.replace("timezone: 'Europe/Paris'", "timezone: 'Europe/Berlin'"));
    // The derived files follow the edited config.
    assert.match(plan.files.find((f) => f.path === 'config/settings/base.py')!.after, /crontab\(minute=0, hour=10, day_of_week="1-5"\)/);
  });

  test('a user-edited query is kept even when the project changes', async () => {
    const copy = new Map(files);
    const config = copy.get('skene.config.ts')!;
    const edited = config.replace("interval '7 days'", "interval '14 days'");
    copy.set('skene.config.ts', edited);
    const plan = await planInMemory({ ...project, settings: { ...project.settings, timeZone: 'Europe/Paris' } }, copy);
    assert.equal(plan.files.find((f) => f.path === 'skene.config.ts')!.action, 'unchanged');
    assert.match(plan.files.find((f) => f.path === 'skene_retention/loops.json')!.after, /'14 days'::interval/);
  });

  test('a condition the SQL gate refuses never reaches loops.json: each hostile vector is a checker error and blocks the plan', async () => {
    const vectors = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'vectors', 'condition.json'), 'utf8')) as { cases: Array<{ query: string; code: string | null }> };
    const hostile = vectors.cases.filter((c) => c.code !== null);
    const leaks: string[] = [];
    for (const c of hostile) {
      const copy = new Map(files);
      const config = copy.get('skene.config.ts')!.replace(/query: `[^`]*`/, `query: ${JSON.stringify(c.query)}`);
      copy.set('skene.config.ts', config);
      const errors = checkConfig(config, project).issues.filter((issue) => issue.severity === 'error');
      const plan = await planInMemory(project, copy);
      const loops = plan.files.find((f) => f.path === 'skene_retention/loops.json');
      const refused = plan.notes.some((note) => note.severity === 'error');
      if (!errors.length || (loops && loops.action !== 'unchanged') || !refused) leaks.push(`${JSON.stringify(c.query)}: errors ${errors.length}, loops.json ${loops?.action ?? 'absent'}`);
    }
    assert.deepEqual({ cases: hostile.length >= 40, leaks }, { cases: true, leaks: [] });
  });

  test('edited generated files and an edited AGENTS.md section are conflicts; the state keeps the old hash', async () => {
    const copy = new Map(files);
    copy.set('skene_retention/tasks.py', `${copy.get('skene_retention/tasks.py')!}# mine\n`);
    copy.set('AGENTS.md', copy.get('AGENTS.md')!.replace('## Skene retention loops', '## Our loops'));
    const plan = await planInMemory(project, copy);
    assert.deepEqual(changed(plan), [['AGENTS.md', 'conflict'], ['skene_retention/tasks.py', 'conflict']]);
    const previous = JSON.parse(files.get('.skene/generated.json')!);
    assert.equal(plan.state.files['skene_retention/tasks.py'], previous.files['skene_retention/tasks.py']);
  });

  test('skene check reports loops.json stale once the config changes, and not before', () => {
    const manifest = files.get('skene_retention/loops.json')!;
    const config = files.get('skene.config.ts')!;
    assert.deepEqual(checkConfig(config, project, { generatedManifest: manifest }).issues.filter((i) => i.code === 'manifest-stale'), []);
    const stale = checkConfig(config.replace("cron: '0 9 * * *'", "cron: '0 10 * * *'"), project, { generatedManifest: manifest }).issues.filter((i) => i.code === 'manifest-stale');
    assert.deepEqual(stale.map((i) => [i.severity, i.message, i.data?.loopId]), [[
      'warning',
      "skene_retention/loops.json is out of date: loop 'dormant-users' changed (cron). The Celery task runs the old loop until you run `npx skene-django init`.",
      'dormant-users',
    ]]);
  });
});
