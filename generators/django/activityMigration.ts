/**
 * A changed activity source after Skene's migrations were written (`skene init --activity`, or the editor's pick):
 * 0001 (and any earlier change) may have run already, so it is not rewritten. A new migration moves the trigger:
 * it drops the one on the earlier table and creates the new one (or none, for the middleware), and migrated
 * backwards it puts the earlier one back. Each migration names its source on a marker line, so the next run
 * knows what the database has once everything is migrated.
 */
import type { GeneratorAssets } from '../assets';
import type { LoopTarget } from '../loopTarget';
import { resolveLoopTarget } from '../loopTarget';
import { pySqlLiteral } from '../python/pySql';
import { pyComment, pyString } from '../python/pySyntax';
import { render } from '../render';
import { quoteIdent as q } from '../sqlSyntax';
import type { GeneratedFile, GeneratorContext } from '../types';
import { TRIGGER_FUNCTION, TRIGGER_NAME, activitySqlBlocks } from './activitySql';
import { LOCK_TIMEOUT, type Dependency } from './migrations';
import { nextMigrationNumber } from './migrationNames';
import { precedingMigration } from './scheduleMigrations';

/** The state file's role for the latest activity-source migration. */
export const ACTIVITY_ROLE = 'activity';
/** The marker line's prefix; what follows is the trigger's table, or "middleware". */
export const ACTIVITY_MARKER = 'skene-activity-source:';
const MIDDLEWARE = 'middleware';

export interface ActivityMigration {
  file: GeneratedFile;
  path: string;
}

/**
 * The migration that moves last activity to this plan's source, or null when the written migrations already use
 * it (or none was written yet: then 0001 is planned with it). `known`: every migration of the retention app this
 * plan knows of (on disk, recorded, and new in this plan), for the number and the dependency.
 */
export function activityMigration(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, known: readonly string[]): ActivityMigration | null {
  const written = writtenSource(ctx);
  if (written === null) return null;
  const now = target.events?.table ?? MIDDLEWARE;
  if (written.source === now) return null;
  const folder = `${target.retentionApp}/migrations/`;
  const path = `${folder}${nextMigrationNumber({ leaf: null, files: [...known] })}_activity_${now === MIDDLEWARE ? MIDDLEWARE : 'trigger'}.py`;
  const deps: Dependency[] = [precedingMigration([...known], path, target.retentionApp) ?? [target.retentionApp, '0001_initial']];
  const eventsLeaf = target.events ? ctx.project.migrations[target.events.app]?.leaf : null;
  if (target.events && eventsLeaf) deps.push([target.events.app, eventsLeaf]);
  const before = earlierTarget(ctx, target, written.source);
  const forward = moveTrigger(written.source, target, ctx.options.activityThrottleMinutes);
  const backward = before === undefined ? dropTrigger(now) : moveTrigger(now, before, ctx.options.activityThrottleMinutes);
  const describe = (source: string) => (source === MIDDLEWARE ? 'the middleware (no trigger)' : `inserts into ${source} (trigger)`);
  const contents = render(assets, 'django/activity_migration.py.ejs', {
    ACTIVITY_MARKER,
    marker: pyComment(now),
    nowText: pyComment(describe(now)),
    beforeText: pyComment(`${describe(written.source)}, as ${written.path.split('/').pop()} wrote it`),
    reverseNote: before === undefined ? pyComment(` except its trigger: ${written.source} is no longer a table Skene can read, so only this trigger is dropped`) : '',
    forwardComment: pyComment(written.source === MIDDLEWARE ? `Creates the trigger on ${now}.` : now === MIDDLEWARE ? `Drops the trigger on ${written.source}.` : `Drops the trigger on ${written.source}, creates it on ${now}.`),
    backwardComment: pyComment(before === undefined || written.source === MIDDLEWARE ? `Drops the trigger on ${now}.` : now === MIDDLEWARE ? `Creates the trigger on ${written.source} again.` : `Drops the trigger on ${now}, creates it on ${written.source} again.`),
    forwardSql: pySqlLiteral(forward, 'FORWARD_SQL = '.length),
    backwardSql: pySqlLiteral(backward, 'BACKWARD_SQL = '.length),
    forwardWhat: pyString(`moving the last-activity trigger to ${describe(now)}`),
    backwardWhat: pyString(`moving the last-activity trigger back to ${describe(written.source)}`),
    lockTimeout: LOCK_TIMEOUT,
    dependencies: deps.map(([app, name]) => [pyString(app, "'"), pyString(name, "'")]),
  });
  if (written.source === MIDDLEWARE) ctx.notes.push({ severity: 'info', message: `Last activity now comes from inserts into ${now}. Skene's middleware, if MIDDLEWARE still lists it, keeps moving it on each authenticated request too: remove it from MIDDLEWARE for the trigger alone.` });
  const reason = `Moves last activity from ${describe(written.source)} to ${describe(now)}: ${written.path} is not rewritten (it may be applied already).`;
  return { path, file: { path, contents, ownership: 'seed', reason } };
}

/** The retention app's migrations: its 0001, those on disk, and `planned` (recorded or new) in its folder. */
export function retentionMigrations(ctx: GeneratorContext, target: LoopTarget, planned: readonly string[]): string[] {
  const folder = `${target.retentionApp}/migrations/`;
  const onDisk = ctx.project.migrations[target.retentionApp]?.files ?? [];
  return [...new Set([`${folder}0001_initial.py`, ...onDisk, ...planned].filter((p) => p.startsWith(folder)))];
}

/** What the written migrations leave in the database: the latest activity migration's marker, else 0001's trigger. */
function writtenSource(ctx: GeneratorContext): { source: string; path: string } | null {
  for (const role of [ACTIVITY_ROLE, 'retention']) {
    const path = ctx.previous.migrations[role];
    const text = path ? ctx.readFile(path) : null;
    if (path && text !== null) return { source: sourceOf(text), path };
  }
  return null;
}

function sourceOf(migration: string): string {
  const marked = new RegExp(`^# ${ACTIVITY_MARKER} (\\S+)$`, 'm').exec(migration)?.[1];
  if (marked) return marked;
  // 0001_initial: its one CREATE TRIGGER is the source (no trigger: the middleware).
  return new RegExp(`CREATE TRIGGER ${TRIGGER_NAME} AFTER INSERT ON "?([^"\\s]+)"?`).exec(migration)?.[1] ?? MIDDLEWARE;
}

/** The loop target as it was with the earlier source; undefined when that table is no longer a candidate. */
function earlierTarget(ctx: GeneratorContext, target: LoopTarget, source: string): LoopTarget | null | undefined {
  if (source === MIDDLEWARE) return null;
  const events = (ctx.project.activity.candidates ?? []).find((candidate) => candidate.table === source);
  if (!events) return undefined;
  return resolveLoopTarget(ctx.project, ctx.previous.migrations['user-field'] !== undefined, { events, chosenBy: 'user' }, []) ?? undefined;
}

/** SQL that drops the trigger on `from` (a table, or nothing for the middleware) and installs `to`'s, if any. */
function moveTrigger(from: string, to: LoopTarget | null, throttleMinutes: number): string {
  const create = to ? activitySqlBlocks(to, throttleMinutes)[0]?.sql ?? null : null;
  const statements = from === MIDDLEWARE ? [] : [`DROP TRIGGER IF EXISTS ${TRIGGER_NAME} ON ${q(from)};`];
  if (!create || !to?.events) return [...statements, `DROP FUNCTION IF EXISTS ${TRIGGER_FUNCTION}();`].join('\n');
  // Idempotent on a database where the new table somehow has the trigger already.
  return [...statements, `DROP TRIGGER IF EXISTS ${TRIGGER_NAME} ON ${q(to.events.table)};`, create].join('\n');
}

/** The trigger on `source` and its function (the earlier source cannot be put back). */
function dropTrigger(source: string): string {
  const trigger = source === MIDDLEWARE ? [] : [`DROP TRIGGER IF EXISTS ${TRIGGER_NAME} ON ${q(source)};`];
  return [...trigger, `DROP FUNCTION IF EXISTS ${TRIGGER_FUNCTION}();`].join('\n');
}
