/**
 * The migrations Initialize writes. They are "seed" files: written once under a name chosen once (kept in
 * the state file), never rewritten, because a migration that was applied somewhere is history.
 */
import type { GeneratorAssets } from '../assets';
import type { LoopTarget } from '../loopTarget';
import { pySqlLiteral } from '../python/pySql';
import { pyComment, pyString, pyTripleQuoted } from '../python/pySyntax';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';
import { activitySqlBlocks, backfill, reusedColumnIndex } from './activitySql';
import type { CrontabArgs } from './crontabArgs';
import { nextMigrationNumber } from './migrationNames';

export type Dependency = [app: string, name: string];

/** How long a migration statement waits for a lock on a busy table before giving up (and failing the migrate). */
export const LOCK_TIMEOUT = '5s';

export interface MigrationPlan {
  file: GeneratedFile;
  /** This migration as a dependency for later ones. */
  node: Dependency;
}

function appPath(ctx: GeneratorContext, label: string): string | null {
  return ctx.project.apps.find((app) => app.label === label)?.path ?? null;
}

function nodeOf(path: string, app: string): Dependency {
  return [app, path.split('/').pop()?.replace(/\.py$/, '') ?? ''];
}

function pyDeps(deps: Dependency[]): Array<[string, string]> {
  return deps.map(([app, name]) => [pyString(app, "'"), pyString(name, "'")]);
}

/** AddField of the last-activity column on a custom user model, after the app's current leaf. */
export function userFieldMigration(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget): MigrationPlan | null {
  const store = target.store;
  if (store.kind !== 'user-column' || !store.add) return null;
  const { app, model, field } = store.add;
  const recorded = ctx.previous.migrations['user-field'];
  const info = ctx.project.migrations[app];
  const dir = appPath(ctx, app);
  if (!dir) return null;
  if (!recorded && info?.conflicts?.length) {
    ctx.notes.push({ severity: 'error', message: `${app} has several leaf migrations (${info.conflicts.join(', ')}); run \`python manage.py makemigrations --merge\` first.` });
    return null;
  }
  if (!recorded && !info?.leaf) {
    ctx.notes.push({ severity: 'error', message: `${app} has no migrations yet; run \`python manage.py makemigrations ${app}\` first.` });
    return null;
  }
  const path = recorded ?? `${dir}/migrations/${nextMigrationNumber(info)}_${model.class.toLowerCase()}_${field}.py`;
  const contents = render(assets, 'django/user_field_migration.py.ejs', {
    modelLabel: pyComment(`${app}.${model.class}`),
    field: pyComment(field),
    retentionApp: target.retentionApp,
    dependencies: pyDeps([[app, info?.leaf ?? '']]),
    appLabel: pyString(app),
    modelName: pyString(model.class.toLowerCase()),
    fieldName: pyString(field),
    lockTimeout: LOCK_TIMEOUT,
  });
  return { file: { path, contents, ownership: 'seed', reason: `Adds ${model.class}.${field} (last activity) to ${model.table}.` }, node: nodeOf(path, app) };
}

/** skene_retention.0001_initial: ledger tables, per-user state for auth.User, backfill, view, trigger. */
export function retentionMigration(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, userField: MigrationPlan | null): MigrationPlan {
  const path = ctx.previous.migrations.retention ?? `${target.retentionApp}/migrations/0001_initial.py`;
  const deps: Dependency[] = [];
  if (userField) deps.push(userField.node);
  const ev = target.events;
  const eventsLeaf = ev ? ctx.project.migrations[ev.app]?.leaf : null;
  if (ev && eventsLeaf) deps.push([ev.app, eventsLeaf]);
  const blocks = activitySqlBlocks(target, ctx.options.activityThrottleMinutes);
  const summary = [
    target.store.kind === 'activity-table' ? 'per-user last activity (Django\'s auth.User cannot take a column)' : null,
    ev ? `a trigger on ${ev.table} that keeps last activity current` : 'last activity is kept by the middleware',
  ].filter(Boolean).join(', ');
  const contents = render(assets, 'django/retention_migration.py.ejs', {
    summary: pyComment(summary),
    createModel: target.store.kind === 'activity-table',
    activityTable: pyString(target.store.kind === 'activity-table' ? target.store.table : ''),
    ledgerSql: pyTripleQuoted(assets.ledgerSql),
    sqlBlocks: blocks.map((b) => ({ ...b, comment: pyComment(b.comment), what: pyString(b.what), reverseWhat: pyString(`dropping ${b.what}`), sql: pySqlLiteral(b.sql, `${b.name} = `.length), reverseSql: b.reverseSql === null ? null : pySqlLiteral(b.reverseSql, `${b.reverseName} = `.length) })),
    lockTimeout: LOCK_TIMEOUT,
    dependencies: pyDeps(deps),
  });
  return { file: { path, contents, ownership: 'seed', reason: `Creates the send ledger, tick and run tables and the suppression list; keeps last activity current${ev ? ` from ${ev.table}${eventsWhy(target)}` : ''}.` }, node: nodeOf(path, target.retentionApp) };
}

/** Why the trigger's table was chosen, for the migration's reason: the user's pick, or the analyzer's evidence. */
function eventsWhy(target: LoopTarget): string {
  if (target.activityChosenBy === 'user') return ' (your choice)';
  return target.events?.why ? ` (${target.events.why})` : '';
}

export interface BeatSchedule {
  loopId: string;
  /** One crontab, or two for a cron that restricts both day-of-month and day-of-week (crontabArgs.ts). */
  crontabs: CrontabArgs[];
  timezone: string;
  describe: string;
}

/** The schedule a superseding schedule migration replaces: migrated backwards, it puts this one back. */
export interface PreviousSchedule {
  crontabs: CrontabArgs[];
  timezone: string;
  path: string;
}

/** A crontab's fields as a Python dict literal, for the schedule migrations. */
function crontabDict(crontab: CrontabArgs): string {
  return `{${Object.entries(crontab).map(([k, v]) => `${pyString(k)}: ${pyString(v)}`).join(', ')}}`;
}

/**
 * django-celery-beat: a data migration that upserts the loop's PeriodicTasks — "skene: <id>", and "skene: <id> (2)"
 * for a split cron's second schedule — and deletes a second one the loop no longer needs.
 */
export function beatMigration(assets: GeneratorAssets, path: string, after: Dependency, schedule: BeatSchedule, previous: PreviousSchedule | null): GeneratedFile {
  const contents = render(assets, 'django/beat_migration.py.ejs', {
    loopIdText: pyComment(schedule.loopId),
    describe: pyComment(schedule.describe),
    taskName: pyString(`skene: ${schedule.loopId}`),
    loopId: pyString(schedule.loopId),
    crontabs: schedule.crontabs.map(crontabDict),
    timeZone: pyString(schedule.timezone),
    previous: previous ? { crontabs: previous.crontabs.map(crontabDict), timeZone: pyString(previous.timezone), migration: pyComment(previous.path.split('/').pop()?.replace(/\.py$/, '') ?? '') } : null,
    dependencies: pyDeps([after, ['django_celery_beat', '0006_auto_20180322_0932']]),
  });
  const replaces = previous ? `; replaces the schedule of ${previous.path} once migrated` : '';
  return { path, contents, ownership: 'seed', reason: `Schedules loop ${schedule.loopId} in django-celery-beat (${schedule.describe})${replaces}.` };
}

/** The reason of a migration that deletes a gone loop's periodic tasks (regenerateWrites.ts reads the part in parentheses). */
export const UNSCHEDULE_REASON = (loopId: string, describe: string) => `Unschedules loop ${loopId} in django-celery-beat (deletes its periodic tasks: the loop is no longer in skene.config.ts); migrated backwards, ${describe} again.`;

/**
 * django-celery-beat: a data migration that deletes the periodic tasks of a loop no longer in skene.config.ts ("skene:
 * <id>" and "skene: <id> (2)", running Skene's task) and, migrated backwards, creates them again on `last`, the schedule
 * its latest schedule migration set.
 */
export function unscheduleMigration(assets: GeneratorAssets, path: string, after: Dependency, loopId: string, last: PreviousSchedule): GeneratedFile {
  const contents = render(assets, 'django/beat_unschedule_migration.py.ejs', {
    loopIdText: pyComment(loopId),
    taskName: pyString(`skene: ${loopId}`),
    loopId: pyString(loopId),
    crontabs: last.crontabs.map(crontabDict),
    timeZone: pyString(last.timezone),
    previousMigration: pyComment(last.path.split('/').pop()?.replace(/\.py$/, '') ?? ''),
    dependencies: pyDeps([after, ['django_celery_beat', '0006_auto_20180322_0932']]),
  });
  return { path, contents, ownership: 'seed', reason: UNSCHEDULE_REASON(loopId, `it runs on the schedule of ${last.path}`) };
}

/** The role of a loop's unschedule migration; latestSchedule skips it (no crontab), and a loop rename renames it too. */
export function unscheduleRole(loopId: string): string {
  return `beat:${loopId}:removed`;
}

/** "beat:<id>:<crontab values>@<zone>", the crontabs of a split cron joined by "|" (scheduleMigrations.ts reads it back). */
export function beatRole(schedule: BeatSchedule): string {
  return `beat:${schedule.loopId}:${schedule.crontabs.map((crontab) => Object.values(crontab).join(' ')).join('|')}@${schedule.timezone}`;
}

/** The statements that find the first and last primary key of the next batch (any orderable key, uuid too). */
function batchBounds(table: string, id: string, after: boolean): string {
  return `WITH b AS (SELECT u.${id} AS id FROM ${table} AS u${after ? ` WHERE u.${id} > %s` : ''} ORDER BY u.${id} LIMIT %s)\nSELECT (SELECT id FROM b ORDER BY id LIMIT 1), (SELECT id FROM b ORDER BY id DESC LIMIT 1)`;
}

/**
 * skene_retention's second migration (atomic = False): the batched backfill of last activity and, for a
 * reused column, its index built concurrently. Null when there is nothing to do. An older Skene did the
 * backfill inside 0001, so a project initialized by it gets no second one.
 */
export function backfillMigration(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, retention: MigrationPlan): MigrationPlan | null {
  const recorded = ctx.previous.migrations.backfill;
  const fill = backfill(target);
  const index = reusedColumnIndex(target);
  if (!recorded && !fill && !index) return null;
  const retentionText = ctx.readFile(retention.file.path);
  if (!recorded && retentionText !== null && retentionText.includes('BACKFILL_SQL')) return null;
  const path = recorded ?? `${target.retentionApp}/migrations/0002_backfill_last_activity.py`;
  const sqlConst = (name: string, sql: string) => pySqlLiteral(sql, `${name} = `.length);
  const contents = render(assets, 'django/backfill_migration.py.ejs', {
    describe: pyComment(fill?.describe ?? ''),
    lockTimeout: '2s',
    fill: fill ? { fillSql: sqlConst('FILL_SQL', fill.fillSql), firstBatchSql: sqlConst('FIRST_BATCH_SQL', batchBounds(fill.userTable, fill.idColumn, false)), nextBatchSql: sqlConst('NEXT_BATCH_SQL', batchBounds(fill.userTable, fill.idColumn, true)) } : null,
    index: index ? { name: pyString(index.name), table: pyString(index.table), column: pyString(index.column) } : null,
    indexComment: index ? pyComment(`${index.table}.${index.column}`) : '',
    dependencies: pyDeps([retention.node]),
  });
  const what = [fill ? `fills last activity of existing users in batches (${fill.describe})` : null, index ? `indexes ${index.table}.${index.column} concurrently` : null].filter(Boolean).join('; ');
  return { file: { path, contents, ownership: 'seed', reason: `Without locking the busy user table: ${what}.` }, node: nodeOf(path, target.retentionApp) };
}
