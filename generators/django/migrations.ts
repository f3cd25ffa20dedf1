/**
 * The migrations Initialize writes. They are "seed" files: written once under a name chosen once (kept in
 * the state file), never rewritten, because a migration that was applied somewhere is history.
 */
import type { GeneratorAssets } from '../assets';
import type { LoopTarget } from '../loopTarget';
import { pyComment, pyString, pyTripleQuoted } from '../python/pySyntax';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';
import { activitySqlBlocks } from './activitySql';
import { migrationSlug, nextMigrationNumber } from './migrationNames';

export type Dependency = [app: string, name: string];

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
    modelName: pyString(model.class.toLowerCase(), "'"),
    fieldName: pyString(field, "'"),
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
  const blocks = activitySqlBlocks(target);
  const summary = [
    target.store.kind === 'activity-table' ? 'per-user last activity (Django\'s auth.User cannot take a column)' : null,
    ev ? `a trigger on ${ev.table} that keeps last activity current` : 'last activity is kept by the middleware',
  ].filter(Boolean).join(', ');
  const contents = render(assets, 'django/retention_migration.py.ejs', {
    summary: pyComment(summary),
    createModel: target.store.kind === 'activity-table',
    activityTable: pyString(target.store.kind === 'activity-table' ? target.store.table : ''),
    ledgerSql: pyTripleQuoted(assets.ledgerSql),
    sqlBlocks: blocks.map((b) => ({ ...b, comment: pyComment(b.comment), sql: pyTripleQuoted(b.sql), reverseSql: b.reverseSql === null ? null : pyTripleQuoted(b.reverseSql) })),
    dependencies: pyDeps(deps),
  });
  return { file: { path, contents, ownership: 'seed', reason: 'Creates the send ledger, tick and run tables and the suppression list; keeps last activity current.' }, node: nodeOf(path, target.retentionApp) };
}

export interface BeatSchedule {
  loopId: string;
  crontab: Record<string, string>;
  timezone: string;
  describe: string;
}

/** django-celery-beat: a data migration that upserts the PeriodicTask (one per loop and schedule). */
export function beatMigration(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, after: Dependency, schedule: BeatSchedule, number: string): GeneratedFile {
  const fields = Object.entries(schedule.crontab).map(([k, v]) => `${pyString(k)}: ${pyString(v)}`).join(', ');
  const role = beatRole(schedule);
  const path = ctx.previous.migrations[role] ?? `${target.retentionApp}/migrations/${number}_schedule_${migrationSlug(schedule.loopId)}.py`;
  const contents = render(assets, 'django/beat_migration.py.ejs', {
    loopIdText: pyComment(schedule.loopId),
    describe: pyComment(schedule.describe),
    taskName: pyString(`skene: ${schedule.loopId}`),
    loopId: pyString(schedule.loopId),
    crontabFields: fields,
    timeZone: pyString(schedule.timezone),
    dependencies: pyDeps([after, ['django_celery_beat', '0006_auto_20180322_0932']]),
  });
  return { path, contents, ownership: 'seed', reason: `Schedules loop ${schedule.loopId} in django-celery-beat (${schedule.describe}).` };
}

export function beatRole(schedule: BeatSchedule): string {
  return `beat:${schedule.loopId}:${Object.values(schedule.crontab).join(' ')}@${schedule.timezone}`;
}
