/** Chooses how the loop's beat schedule is registered, following what the project already uses. */
import type { GeneratorAssets } from './assets';
import { beatEntries, celeryTimezone, createCeleryApp, registerInAppConf, registerInSettings, type ScheduledLoop } from './django/celeryBeat';
import { addCeleryDependency } from './django/celeryDependency';
import { crontabSchedules } from './django/crontabArgs';
import type { EditSet } from './django/fileEdits';
import { migrationSlug, nextMigrationNumber } from './django/migrationNames';
import { beatMigration, beatRole, unscheduleMigration, unscheduleRole, type Dependency } from './django/migrations';
import type { SchedulerPlan } from './django/scheduler';
import { goneScheduledLoops, latestSchedule, precedingMigration, removedSince } from './django/scheduleMigrations';
import { schedulerLine, schedulerNote } from './django/schedulerLines';
import type { LoopTarget } from './loopTarget';
import type { GeneratedFile, GeneratorContext } from './types';

export async function registerBeat(
  ctx: GeneratorContext,
  assets: GeneratorAssets,
  edits: EditSet,
  target: LoopTarget,
  retentionNode: Dependency,
  config: ScheduledLoop[] | null,
  plan: SchedulerPlan,
): Promise<BeatFiles> {
  // A config that is not valid yet (mid-edit) says nothing about which loops are gone: their entries stay.
  const loops = config ?? [];
  const configured = config ? new Set(config.map((loop) => loop.id)) : null;
  if (!plan.celery) {
    if (!config) return { files: [], roles: {}, ...(ctx.previous.scheduler !== undefined ? { schedulerLine: ctx.previous.scheduler } : {}) };
    ctx.notes.push(schedulerNote(plan, loops, ctx.previous.scheduler));
    return { files: [], roles: {}, schedulerLine: schedulerLine(plan, loops).code };
  }
  if (plan.addCeleryDependency) addCeleryDependency(ctx, edits);
  const celery = ctx.project.celery;
  // A Celery app Initialize created is regenerated as its own file, not edited like the user's.
  const ours = celery?.file !== undefined && ctx.previous.files[celery.file] !== undefined;
  if (!celery || ours) {
    // Its schedule stays while the config is not valid (planInit keeps the file recorded as Skene's).
    if (!config && ours) return { files: [], roles: {} };
    const zone = loops[0]?.timezone ?? 'UTC';
    const app = createCeleryApp(ctx, assets, edits, beatEntries(loops, zone), zone);
    return { files: app ? [app] : [], roles: {} };
  }
  if (celery.beat === 'django_celery_beat') return databaseSchedules(ctx, assets, target, retentionNode, loops, configured);
  const entries = beatEntries(loops, await celeryTimezone(ctx));
  if (celery.beat === 'app.conf' || (celery.beat === 'none' && !celery.namespace)) await registerInAppConf(ctx, edits, entries, configured);
  else await registerInSettings(ctx, edits, entries, configured);
  return { files: [], roles: {} };
}

export interface BeatFiles {
  files: GeneratedFile[];
  /** Migration role → path, for the state file. */
  roles: Record<string, string>;
  /** Without Celery: the `skene_run` line the plan printed, for the state file (the next run compares). */
  schedulerLine?: string;
}

/**
 * One data migration per loop schedule (its one or two periodic tasks), numbered after the retention app's migrations. The loop's current schedule
 * migration is kept under its name; a changed schedule gets a new one after the app's last migration (see
 * scheduleMigrations.ts), so `migrate` moves the periodic task wherever the earlier one already ran.
 */
function databaseSchedules(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, retentionNode: Dependency, loops: ScheduledLoop[], configured: ReadonlySet<string> | null): BeatFiles {
  const files: GeneratedFile[] = [];
  const roles: Record<string, string> = {};
  const folder = `${target.retentionApp}/migrations/`;
  // Skene's own migrations (0001, the backfill) are numbered first; a new one follows every migration the app has
  // (recorded by Initialize, or written since: the rename of a loop id).
  const onDisk = ctx.project.migrations[target.retentionApp]?.files ?? [];
  const known = [...new Set([`${folder}0001_initial.py`, `${folder}${retentionNode[1]}.py`, ...Object.values(ctx.previous.migrations).filter((p) => p.startsWith(folder)), ...onDisk.filter((p) => p.startsWith(folder))])];
  for (const loop of loops) {
    // A cron that restricts both day-of-month and day-of-week is two crontabs, so two periodic tasks (crontabArgs.ts).
    const schedule = { loopId: loop.id, crontabs: crontabSchedules(loop.cron), timezone: loop.timezone, describe: `cron '${loop.cron}' in ${loop.timezone}` };
    const role = beatRole(schedule);
    const latest = latestSchedule(ctx.previous.migrations, loop.id);
    // A loop back in the config after its unschedule migration: the database has no task, so a new migration creates
    // it (and, migrated backwards, deletes it again), whatever ran before.
    const current = removedSince(ctx.previous.migrations, loop.id, latest) ? null : latest;
    const path = current?.role === role ? current.path : `${folder}${nextMigrationNumber({ leaf: null, files: known })}_schedule_${migrationSlug(loop.id)}.py`;
    if (!known.includes(path)) known.push(path);
    const after = precedingMigration(known, path, target.retentionApp) ?? retentionNode;
    const previous = current && current.role !== role ? { crontabs: current.crontabs, timezone: current.timezone, path: current.path } : null;
    files.push(beatMigration(assets, path, after, schedule, previous));
    roles[role] = path;
  }
  // Loops no longer in the config (a config not valid yet says nothing about that): their tasks are deleted by a
  // migration of their own, written once and kept, as the schedule migrations are.
  for (const loopId of configured ? goneScheduledLoops(ctx.previous.migrations, configured) : []) {
    const latest = latestSchedule(ctx.previous.migrations, loopId);
    if (!latest) continue;
    const path = removedSince(ctx.previous.migrations, loopId, latest) ?? `${folder}${nextMigrationNumber({ leaf: null, files: known })}_unschedule_${migrationSlug(loopId)}.py`;
    if (!known.includes(path)) known.push(path);
    const after = precedingMigration(known, path, target.retentionApp) ?? retentionNode;
    files.push(unscheduleMigration(assets, path, after, loopId, { crontabs: latest.crontabs, timezone: latest.timezone, path: latest.path }));
    roles[unscheduleRole(loopId)] = path;
  }
  return { files, roles };
}
