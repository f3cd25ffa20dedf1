/**
 * Is each loop's Celery beat schedule registered? In a django-celery-beat project the PeriodicTask row
 * decides (that is what its DatabaseScheduler reads); otherwise the entry Initialize
 * writes into CELERY_BEAT_SCHEDULE / app.conf.beat_schedule (key "skene-<loop id>") must be in the file the
 * analyzer found the schedule in. Whether a beat process is actually running cannot be seen from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { TASK_NAME } from '../../../generators/django/celeryBeat';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { fail, pass, skip, type CheckResult } from './doctorCheck';

const BEAT = 'Beat schedule';

async function periodicTasks(client: pg.Client): Promise<Array<{ name: string; enabled: boolean; args: string }> | null> {
  const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('django_celery_beat_periodictask') IS NOT NULL AS present");
  if (!rows[0]?.present) return null;
  return (await client.query<{ name: string; enabled: boolean; args: string }>('SELECT name, enabled, args FROM django_celery_beat_periodictask WHERE task = $1', [TASK_NAME])).rows;
}

function argsOf(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function databaseVerdict(loopIds: string[], rows: Array<{ name: string; enabled: boolean; args: string }>): CheckResult {
  const missing = loopIds.filter((id) => !rows.some((row) => argsOf(row.args).includes(id)));
  if (missing.length) return fail(BEAT, `no django-celery-beat PeriodicTask runs ${TASK_NAME} for ${missing.join(', ')}`, 'python manage.py migrate (Initialize\'s schedule migration creates the PeriodicTask)');
  const disabled = rows.filter((row) => !row.enabled && loopIds.some((id) => argsOf(row.args).includes(id)));
  if (disabled.length) return fail(BEAT, `PeriodicTask ${disabled.map((r) => r.name).join(', ')} is disabled`, 'enable it in the Django admin (Periodic tasks)');
  return pass(BEAT, `django-celery-beat PeriodicTask for ${loopIds.join(', ')} (enabled)`);
}

function staticVerdict(project: ProjectModel, loopIds: string[]): CheckResult {
  const celery = project.celery;
  if (!celery) {
    // Without Celery, `python manage.py skene_run` runs on the project's own scheduler (cron, django-rq,
    // django-q, Huey...), which cannot be seen from here; the command must at least exist.
    if (existsSync(path.join(project.root, 'skene_retention/management/commands/skene_run.py'))) return skip(BEAT, 'no Celery: schedule `python manage.py skene_run` with cron or the project\'s scheduler (`skene init --dry-run` shows the line)');
    return fail(BEAT, 'the project has no Celery app and no skene_run command, so nothing runs the loop on schedule', 'npx skene-django init (adds `python manage.py skene_run` and shows the line for your scheduler)');
  }
  const files = [celery.beatAt?.file, celery.file, ...project.settings.files].filter((f): f is string => Boolean(f));
  const texts = [...new Set(files)].map((file) => ({ file, text: safeRead(path.join(project.root, file)) }));
  const missing = loopIds.filter((id) => !texts.some(({ text }) => text.includes(`skene-${id}`) && text.includes(TASK_NAME)));
  if (missing.length) return fail(BEAT, `no beat entry runs ${TASK_NAME} for ${missing.join(', ')}`, 'npx skene-django init (registers it where the project keeps its beat schedule)');
  const where = texts.find(({ text }) => text.includes(TASK_NAME))?.file ?? '?';
  return pass(BEAT, `${loopIds.map((id) => `skene-${id}`).join(', ')} in ${where} (run one \`celery beat\` with the workers)`);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export async function beatCheck(client: pg.Client | null, project: ProjectModel | null, loopIds: string[]): Promise<CheckResult> {
  if (!project || !loopIds.length) return skip(BEAT, 'not checked without a readable Django project and config');
  if (project.celery?.beat !== 'django_celery_beat') return staticVerdict(project, loopIds);
  if (!client) return skip(BEAT, 'the schedule lives in the database (django-celery-beat), which could not be reached');
  const rows = await periodicTasks(client);
  if (!rows) return fail(BEAT, 'the django-celery-beat tables are missing', 'python manage.py migrate');
  return databaseVerdict(loopIds, rows);
}
