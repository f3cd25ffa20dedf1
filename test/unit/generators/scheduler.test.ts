/**
 * Who runs the loop: Celery only where the project uses it or the user chooses it; otherwise the plan has
 * no Celery code, always the `skene_run` management command, and a note with the line for the project's
 * own scheduler (django-rq, django-q, Huey) or cron. `--scheduler celery` also declares the dependency.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { InitOptions, InitPlan } from '../../../generators/types';
import type { JobsInfo, ProjectModel } from '../../../server/core/django/projectModel';
import { schedulerLine } from '../../../generators/django/schedulerLines';
import { beatEntries, entryCode, entryComment } from '../../../generators/django/celeryBeat';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { applyInMemory, EXAMPLE_DIR, planInMemory, withLoops } from './planKit';

const USER_FILES = ['accounts/models.py', 'config/settings/base.py', 'config/urls.py', 'config/__init__.py'];

function withoutCelery(jobs: JobsInfo | null): ProjectModel {
  const project = exampleProjectModel();
  project.celery = null;
  if (jobs) project.jobs = jobs;
  return project;
}

async function plan(project: ProjectModel, extra: Record<string, string> = {}, options: InitOptions = {}): Promise<InitPlan> {
  const files = new Map(USER_FILES.map((rel) => [rel, readFileSync(path.join(EXAMPLE_DIR, rel), 'utf8')]));
  for (const [rel, text] of Object.entries(extra)) files.set(rel, text);
  return planInMemory(project, files, options);
}

const paths = (p: InitPlan) => p.files.map((f) => f.path);
const after = (p: InitPlan, file: string) => p.files.find((f) => f.path === file)?.after ?? '';
const schedulingNote = (p: InitPlan) => p.notes.find((n) => n.message.startsWith('Scheduling:'))?.message ?? '';

describe('scheduler choice', () => {
  test('no Celery anywhere: no Celery code, the command, and a crontab line that fires hourly in the loop\'s window', async () => {
    const p = await plan(withoutCelery(null));
    assert.ok(paths(p).includes('skene_retention/management/commands/skene_run.py'));
    assert.ok(paths(p).includes('skene_retention/run.py'));
    assert.ok(!paths(p).includes('skene_retention/tasks.py'));
    assert.ok(!paths(p).includes('config/celery.py'));
    for (const file of p.files) if (file.path.endsWith('.py')) assert.doesNotMatch(file.after, /^\s*(from|import) celery/m, file.path);
    assert.equal(schedulingNote(p).split('\n')[1], '    0 * * * * cd /path/to/project && python manage.py skene_run --window-minutes 60');
  });

  test('RQ: the django-rq scheduler line; django-q and Huey get their own', async () => {
    const rq = await plan(withoutCelery({ system: 'rq', scheduler: 'rq-scheduler', declaredIn: [{ file: 'requirements.txt', line: 3 }] }));
    assert.match(schedulingNote(rq), /django_rq\.get_scheduler\("default"\)\.cron\("0 \* \* \* \*", func="django\.core\.management\.call_command", args=\["skene_run", "--window-minutes", "60"\], id="skene-run"\)/);
    const q = await plan(withoutCelery({ system: 'django-q', scheduler: 'django-q', declaredIn: [] }));
    assert.match(schedulingNote(q), /Schedule\.objects\.update_or_create\(name="skene-run", defaults=\{"func": "django\.core\.management\.call_command", "args": "'skene_run', '--window-minutes', '60'", "schedule_type": Schedule\.CRON, "cron": "0 \* \* \* \*"\}\)/);
    const huey = await plan(withoutCelery({ system: 'huey', scheduler: 'huey', declaredIn: [] }));
    assert.match(schedulingNote(huey), /@db_periodic_task\(crontab\(minute="0"\)\)\n {4}def skene_run\(\):\n {8}call_command\("skene_run", "--window-minutes", "60"\)/);
  });

  test('Celery declared in requirements but no app yet: the Celery app is created (as before)', async () => {
    const p = await plan(withoutCelery({ system: 'celery', scheduler: null, declaredIn: [{ file: 'requirements.txt', line: 2 }] }));
    assert.ok(paths(p).includes('config/celery.py'));
    assert.ok(paths(p).includes('skene_retention/tasks.py'));
    assert.match(after(p, 'config/celery.py'), /"schedule": crontab\(minute=0, hour=9\),/);
    assert.equal(schedulingNote(p), '');
  });

  test('--scheduler celery adds the Celery app and declares celery where Django is declared', async () => {
    const requirements = 'Django>=3.2,<5\npsycopg2-binary==2.9.9\n';
    const p = await plan(withoutCelery(null), { 'requirements.txt': requirements, 'config/__init__.py': '' }, { scheduler: 'celery' });
    assert.ok(paths(p).includes('config/celery.py'));
    assert.equal(after(p, 'requirements.txt'), `${requirements}celery>=5.2\n`);
    assert.match(after(p, 'config/__init__.py'), /from \.celery import app as celery_app/);
  });

  test('--scheduler celery with a PEP 621 or Poetry pyproject adds one dependency in its own form', async () => {
    const pep621 = '[project]\nname = "x"\ndependencies = [\n    \'django>=4.2\',\n    \'psycopg[binary]>=3.1\'\n]\n\n[tool.ruff]\nline-length = 100\n';
    const p = await plan(withoutCelery(null), { 'pyproject.toml': pep621 }, { scheduler: 'celery' });
    assert.equal(after(p, 'pyproject.toml'), '[project]\nname = "x"\ndependencies = [\n    \'django>=4.2\',\n    \'psycopg[binary]>=3.1\',\n    \'celery>=5.2\',\n]\n\n[tool.ruff]\nline-length = 100\n');
    const poetry = '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^4.2"\n\n[build-system]\nrequires = ["poetry-core"]\n';
    const q = await plan(withoutCelery(null), { 'pyproject.toml': poetry }, { scheduler: 'celery' });
    assert.equal(after(q, 'pyproject.toml'), '[tool.poetry.dependencies]\npython = "^3.11"\ndjango = "^4.2"\ncelery = ">=5.2"\n\n[build-system]\nrequires = ["poetry-core"]\n');
  });

  test('--scheduler command on a Celery project writes no beat entry', async () => {
    const p = await plan(exampleProjectModel(), {}, { scheduler: 'command' });
    assert.doesNotMatch(after(p, 'config/settings/base.py'), /skene-dormant-users/);
    assert.ok(!paths(p).includes('skene_retention/tasks.py'));
  });
});

test('a new CELERY_BEAT_SCHEDULE never goes after a "don\'t add settings below this line" comment', async () => {
  const base = readFileSync(path.join(EXAMPLE_DIR, 'config/settings/base.py'), 'utf8');
  const start = base.indexOf('CELERY_BEAT_SCHEDULE = {');
  const withoutSchedule = `${base.slice(0, start)}# Don't add settings below this line: local overrides must win.\ntry:\n    from .local import *  # noqa: F401,F403\nexcept ImportError:\n    pass\n`;
  // The hand-written example model reads its settings from config/settings.py.
  const p = await plan(exampleProjectModel(), { 'config/settings.py': withoutSchedule });
  const text = after(p, 'config/settings.py');
  assert.ok(text.indexOf('CELERY_BEAT_SCHEDULE = {') < text.indexOf("# Don't add settings below this line"), text.slice(start - 200));
  assert.ok(text.trimEnd().endsWith('    pass'));
});

test('a changed cron updates the beat entry and the comment above it that repeats the cron', async () => {
  const base = readFileSync(path.join(EXAMPLE_DIR, 'config/settings/base.py'), 'utf8');
  const start = base.indexOf('CELERY_BEAT_SCHEDULE = {');
  const end = base.indexOf('\n}\n', start) + 3;
  // What an earlier Initialize wrote for cron '0 10 * * *' (its longer comment); the config now says '0 9 * * *'.
  const earlier = `${base.slice(0, start)}CELERY_BEAT_SCHEDULE = {
    # Skene: loop "dormant-users" from skene.config.ts, cron '0 10 * * *' in Europe/Paris.
    "skene-dormant-users": {
        "task": "skene_retention.run_loop",
        "schedule": crontab(minute=0, hour=10),
        "args": ("dormant-users",),
    },
    # Skene: loop "other" from skene.config.ts, cron '0 10 * * *' in Europe/Paris.
    "not-skene": {"task": "x", "schedule": crontab(hour=10)},
}
${base.slice(end)}`;
  const p = await plan(exampleProjectModel(), { 'config/settings.py': earlier });
  const text = after(p, 'config/settings.py');
  assert.match(text, /    # Skene: loop "dormant-users", cron '0 9 \* \* \*' in Europe\/Paris\.\n    "skene-dormant-users": \{\n[^}]*"schedule": crontab\(minute=0, hour=9\),/);
  assert.doesNotMatch(text, /loop "dormant-users".*cron '0 10/);
  // A comment above another entry is not Skene's to change.
  assert.match(text, /# Skene: loop "other" from skene\.config\.ts, cron '0 10 \* \* \*' in Europe\/Paris\.\n    "not-skene"/);
});

describe('a cron that restricts day-of-month and day-of-week (cron ORs them, crontab() ANDs them)', () => {
  const base = () => readFileSync(path.join(EXAMPLE_DIR, 'config/settings/base.py'), 'utf8');
  const entry = (cron: string, part: string, key: string, schedule: string) => `    # Skene: loop "dormant-users", cron '${cron}' in Europe/Paris${part}.
    "${key}": {
        "task": "skene_retention.run_loop",
        "schedule": ${schedule},
        "args": ("dormant-users",),
    },
`;
  const other = '    "not-skene": {"task": "x", "schedule": crontab(hour=10)},\n';
  /** The settings an earlier Initialize wrote, with `entries` in CELERY_BEAT_SCHEDULE before another task's entry. */
  const settingsWith = (entries: string) => {
    const text = base();
    const start = text.indexOf('CELERY_BEAT_SCHEDULE = {');
    const end = text.indexOf('\n}\n', start) + 3;
    return `${text.slice(0, start)}CELERY_BEAT_SCHEDULE = {\n${entries}${other}}\n${text.slice(end)}`;
  };
  const one = entry('0 9 * * *', '', 'skene-dormant-users', 'crontab(minute=0, hour=9)');
  const two = entry('0 9 1 * 1', ', its day-of-month part', 'skene-dormant-users', 'crontab(minute=0, hour=9, day_of_month=1)')
    + entry('0 9 1 * 1', ', its day-of-week part', 'skene-dormant-users-2', 'crontab(minute=0, hour=9, day_of_week=1)');

  async function settingsAfter(earlier: string, cron: string, others: Array<{ id: string; cron: string }> = []): Promise<string> {
    const first = await plan(exampleProjectModel(), { 'config/settings.py': earlier });
    // The config as Initialize wrote it, with the cron changed (and the other loops after it).
    const config = after(first, 'skene.config.ts');
    assert.match(config, /cron: '0 9 \* \* \*'/);
    const changed = others.length ? withLoops(config, [{ id: 'dormant-users', cron }, ...others]) : config.replace("cron: '0 9 * * *'", `cron: '${cron}'`);
    const next = await plan(exampleProjectModel(), { 'config/settings.py': earlier, 'skene.config.ts': changed });
    // An unchanged file is not in the plan.
    return next.files.find((f) => f.path === 'config/settings.py')?.after ?? earlier;
  }

  test('one entry → two: the day-of-week entry goes right after the first, each comment names its part', async () => {
    assert.equal(await settingsAfter(settingsWith(one), '0 9 1 * 1'), settingsWith(two));
  });

  test('two entries → one: the second entry and its comment go', async () => {
    assert.equal(await settingsAfter(settingsWith(two), '0 9 * * *'), settingsWith(one));
  });

  test('a loop whose id ends like a second entry ("dormant-users-2" of another loop) keeps its entry', async () => {
    const foreign = one.replace('"skene-dormant-users": {', '"skene-dormant-users-2": {').replace('("dormant-users",)', '("dormant-users-2",)').replace('loop "dormant-users"', 'loop "dormant-users-2"');
    const earlier = settingsWith(one + foreign);
    assert.equal(await settingsAfter(earlier, '0 9 * * *', [{ id: 'dormant-users-2', cron: '0 9 * * *' }]), earlier);
  });

  test('the skene_run line (no Celery) covers both parts: it fires hourly in the loop\'s window, one cron or two schedules alike', () => {
    const line = (cron: string) => schedulerLine({ celery: false, addCeleryDependency: false, system: 'none', scheduler: null }, [{ id: 'dormant-users', cron, timezone: 'Europe/Paris' }]).code;
    const hourly = '0 * * * * cd /path/to/project && python manage.py skene_run --window-minutes 60';
    assert.equal(line('0 9 * * *'), hourly);
    assert.equal(line('0 9 1 * 1'), hourly);
    assert.equal(line('0 * 1 * 1'), hourly);
  });
});

test('app.conf.beat_schedule["…"] statements (no dict literal): a re-run updates them in place, a split cron adds the second after the first and back removes it', async () => {
  const APP = 'import os\n\nfrom celery import Celery\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n\napp = Celery("saas")\napp.config_from_object("django.conf:settings", namespace="CELERY")\napp.conf.timezone = "Europe/Paris"\napp.autodiscover_tasks()\n';
  const model = () => {
    const project = exampleProjectModel();
    project.celery = { ...project.celery!, beat: 'app.conf', file: 'config/celery.py', namespace: null };
    return project;
  };
  const files = new Map<string, string>([['config/celery.py', APP], ['accounts/models.py', readFileSync(path.join(EXAMPLE_DIR, 'accounts/models.py'), 'utf8')]]);
  const run = async (cron?: string) => {
    if (cron) files.set('skene.config.ts', (files.get('skene.config.ts') ?? '').replace(/cron: '[^']*'/, `cron: '${cron}'`));
    applyInMemory(await planInMemory(model(), files), files);
    // What follows the app's own code (the crontab import goes above it).
    const text = files.get('config/celery.py') ?? '';
    return text.slice(text.indexOf('app.autodiscover_tasks()\n\n') + 'app.autodiscover_tasks()\n\n'.length);
  };
  const statement = (cron: string, part: string, key: string, schedule: string) => `# Skene: loop "dormant-users", cron '${cron}' in Europe/Paris${part}.
app.conf.beat_schedule["${key}"] = {
    "task": "skene_retention.run_loop",
    "schedule": ${schedule},
    "args": ("dormant-users",),
}
`;
  const daily = (hour: number) => statement(`0 ${hour} * * *`, '', 'skene-dormant-users', `crontab(minute=0, hour=${hour})`);
  const split = statement('0 9 1 * 1', ', its day-of-month part', 'skene-dormant-users', 'crontab(minute=0, hour=9, day_of_month=1)')
    + statement('0 9 1 * 1', ', its day-of-week part', 'skene-dormant-users-2', 'crontab(minute=0, hour=9, day_of_week=1)');
  assert.equal(await run(), daily(9));
  assert.equal(await run(), daily(9), 'a re-run appends nothing');
  assert.equal(await run('0 10 * * *'), daily(10), 'the statement and its comment change in place');
  assert.equal(await run('0 9 1 * 1'), split);
  assert.equal(await run('0 9 * * *'), daily(9));
});

test('app.conf.beat_schedule["…"] statements use the project\'s name for its Celery instance', async () => {
  const APP = 'from celery import Celery\n\ncelery_app = Celery("saas")\ncelery_app.conf.timezone = "Europe/Paris"\n';
  const project = exampleProjectModel();
  project.celery = { ...project.celery!, beat: 'none', file: 'config/celery.py', namespace: null };
  const files = new Map<string, string>([['config/celery.py', APP], ['accounts/models.py', readFileSync(path.join(EXAMPLE_DIR, 'accounts/models.py'), 'utf8')]]);
  const text = (await planInMemory(project, files)).files.find((f) => f.path === 'config/celery.py')?.after ?? '';
  assert.match(text, /^celery_app\.conf\.beat_schedule\["skene-dormant-users"\] = \{$/m);
  assert.doesNotMatch(text, /^app\./m);
});

test("Celery in another time zone: the entry fires hourly and says so inside it; every line fits 88 columns (shynet's had 191)", () => {
  const [entry] = beatEntries([{ id: 'dormant-users', cron: '0 9 * * *', timezone: 'America/Argentina/Buenos_Aires' }], 'UTC');
  assert.ok(entry);
  const written = `    # ${entryComment(entry)}\n    ${entryCode(entry, '    ', '\n')}`;
  assert.equal(written, `    # Skene: loop "dormant-users", cron '0 9 * * *' in America/Argentina/Buenos_Aires.
    "skene-dormant-users": {
        "task": "skene_retention.run_loop",
        # Hourly: Celery's time zone is not the loop's; the task keeps the loop's hour.
        "schedule": crontab(minute=0),
        "args": ("dormant-users",),
        "kwargs": {"window_minutes": 60},
    }`);
  assert.deepEqual(written.split('\n').filter((line) => line.length > 88), []);
});

describe('without Celery, a re-run says when the skene_run line changed', () => {
  const cronLine = '0 * * * * cd /path/to/project && python manage.py skene_run --window-minutes 60';
  const hourlyAt15 = '15 * * * * cd /path/to/project && python manage.py skene_run';
  /** Initialize applied in memory, then each step's config planned and applied; the scheduling note of each. */
  async function notesAfter(project: ProjectModel, steps: Array<(seeded: string) => string>): Promise<Array<{ severity: string; message: string }>> {
    const files = new Map(USER_FILES.map((rel) => [rel, readFileSync(path.join(EXAMPLE_DIR, rel), 'utf8')]));
    const first = await planInMemory(project, files);
    applyInMemory(first, files);
    const seeded = files.get('skene.config.ts') ?? '';
    const notes = [first.notes.find((n) => n.message.startsWith('Scheduling:'))!];
    for (const step of steps) {
      files.set('skene.config.ts', step(seeded));
      const next = await planInMemory(project, files);
      applyInMemory(next, files);
      notes.push(next.notes.find((n) => n.message.startsWith('Scheduling:'))!);
    }
    return notes;
  }

  test('a changed cron: a warning with the line to replace and the new one; the state records the line printed', async () => {
    const project = withoutCelery(null);
    const [first, changed, again] = await notesAfter(project, [(c) => c.replace("cron: '0 9 * * *'", "cron: '15 * * * *'"), (c) => c.replace("cron: '0 9 * * *'", "cron: '15 * * * *'")]);
    assert.equal(first?.severity, 'info');
    assert.equal(changed?.severity, 'warning');
    assert.equal(changed?.message, [
      "Scheduling: the line that runs `python manage.py skene_run` changed since the last run (loop cron '15 * * * *' in Europe/Paris). With cron, in the crontab of the user that runs the app (or as a systemd timer / Kubernetes CronJob with the same command), replace",
      `    ${cronLine}`,
      'with',
      `    ${hourlyAt15}`,
    ].join('\n'));
    // Once printed, the same line is not news: the next run gives the usual note.
    assert.equal(again?.severity, 'info');
    assert.match(again?.message ?? '', new RegExp(`\\n {4}${hourlyAt15.replace(/\*/g, '\\*')}\\n`));
  });

  test('a loop removed or added changes the line when the loops\' firing changes (django-rq: the whole call)', async () => {
    const project = withoutCelery({ system: 'rq', scheduler: 'rq-scheduler', declaredIn: [] });
    const both = (c: string) => withLoops(c, [{ id: 'hourly', cron: '15 * * * *' }, { id: 'dormant-users', cron: '0 9 * * *' }]);
    const hourlyOnly = (c: string) => withLoops(c, [{ id: 'hourly', cron: '15 * * * *' }]);
    const [, added, removed] = await notesAfter(project, [both, hourlyOnly]);
    // Adding an hourly loop beside the daily one keeps the hourly call with the window: no change.
    assert.equal(added?.severity, 'info');
    assert.equal(removed?.severity, 'warning');
    assert.match(removed?.message ?? '', /changed since the last run \(loop cron '15 \* \* \* \*' in Europe\/Paris\)\. With django-rq with rq-scheduler, [^\n]*, replace\n {4}import django_rq\n {4}\n {4}django_rq\.get_scheduler\("default"\)\.cron\("0 \* \* \* \*", [^\n]*"--window-minutes", "60"\][^\n]*\nwith\n {4}import django_rq\n {4}\n {4}django_rq\.get_scheduler\("default"\)\.cron\("15 \* \* \* \*", func="django\.core\.management\.call_command", args=\["skene_run"\], id="skene-run"\)$/);
  });
});
