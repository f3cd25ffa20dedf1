/**
 * The planner behind `skene init` and the editor's Initialize command: runs every generator on the
 * ProjectModel and the current files, and returns each file's action and diff. Writes nothing.
 */
import { GENERATED_MANIFEST_FILE, RETENTION_APP } from '../sdk/generated';
import { postgresRefusal } from '../server/core/django/postgresSupport';
import type { ProjectModel } from '../server/core/django/projectModel';
import { ACTIVITY_AUTO, ACTIVITY_MIDDLEWARE, candidateId, decideActivitySource, type ActivityDecision } from './activitySource';
import { loadAssets, type GeneratorAssets } from './assets';
import { registerBeat } from './beatRegistration';
import { CONFIG_FILE, createConfig, mergeConfig, ownedValues } from './config/configFile';
import { loopSeed } from './config/loopSeed';
import { EditSet } from './django/fileEdits';
import { ACTIVITY_ROLE, activityMigration, retentionMigrations } from './django/activityMigration';
import { backfillMigration, retentionMigration, userFieldMigration } from './django/migrations';
import { retentionAppFiles } from './django/retentionApp';
import { planScheduler } from './django/scheduler';
import { firstPartyPackages } from './python/importPlacement';
import { blackDefaults, readProjectFormatter } from './style/projectFormatter';
import { readProjectLint } from './style/projectLint';
import { formatPython, newLintFindings } from './style/ruffCompare';
import { addActivityMiddleware, addInstalledApp } from './django/settingsEdits';
import { addUnsubscribeUrl } from './django/urlsEdit';
import { addUserField } from './django/userModelEdit';
import { AGENTS_FILE, agentsSection, cursorRule, wantsAgentFiles } from './editor/agentFiles';
import { emailTemplates, templateDir } from './email/emailTemplates';
import { resolveLoopTarget, type LoopTarget } from './loopTarget';
import { configLoops, manifestFile } from './manifestFile';
import { runnerFiles } from './node/runnerFiles';
import { applyEdits } from './python/textEdits';
import { resolveAction, unifiedDiff } from './resolveAction';
import { withStripeAudiences } from './stripeAudienceFacts';
import { oldLayoutCleanup } from './upgrade/oldLayout';
import { STATE_FILE, contentHash, parseState, serializeState, type InitState } from './state/initState';
import type { GeneratedFile, GeneratorContext, InitOptions, InitPlan, PlannedFile, ReadFile, ResolvedInitOptions } from './types';

export const DEFAULT_OPTIONS: ResolvedInitOptions = { loopId: 'dormant-users', dormantDays: 7, activityThrottleMinutes: 5, scheduler: 'auto', agents: false };

function previousState(readFile: ReadFile): InitState {
  const state = parseState(readFile(STATE_FILE));
  // A recorded migration whose file is gone is not ours any more: the next one gets a fresh name.
  state.migrations = Object.fromEntries(Object.entries(state.migrations).filter(([, path]) => readFile(path) !== null));
  return state;
}

export async function planInit(project: ProjectModel, options: InitOptions, readFile: ReadFile, assets: GeneratorAssets = loadAssets()): Promise<InitPlan> {
  const previous = previousState(readFile);
  // The loop Initialize seeded keeps the id it has now: the editor's rename records a new one in the state file.
  const recordedLoop = previous.config ? { loopId: previous.config.loopId } : {};
  const ctx: GeneratorContext = { project, options: { ...DEFAULT_OPTIONS, ...recordedLoop, ...options }, readFile, previous, notes: [] };
  const refusal = postgresRefusal(project);
  if (refusal) {
    ctx.notes.push({ severity: 'error', message: refusal });
    return { root: project.root, files: [], notes: ctx.notes, state: ctx.previous };
  }
  if (project.database.postgresSupport === 'conditional') {
    const when = project.database.postgresCondition ? ` when ${project.database.postgresCondition}` : ' in some configurations';
    ctx.notes.push({ severity: 'info', message: `This project runs on PostgreSQL${when}. Skene's SQL (ledger, trigger, backfill, concurrent indexes) runs there; on another database \`migrate\` skips it and says so, and the loop runs only against PostgreSQL.` });
  }
  const activity = chooseActivity(ctx);
  if (!activity) return { root: project.root, files: [], notes: ctx.notes, state: ctx.previous };
  const target = resolveLoopTarget(project, ctx.previous.migrations['user-field'] !== undefined, activity, ctx.notes);
  if (!target) return { root: project.root, files: [], notes: ctx.notes, state: ctx.previous };
  const edits = new EditSet();
  const files: GeneratedFile[] = [];
  const state: InitState = { ...ctx.previous, files: {}, regions: { ...ctx.previous.regions }, migrations: { ...ctx.previous.migrations } };
  delete state.activity;
  if (activity.chosenBy === 'user') state.activity = activity.events ? candidateId(activity.events) : ACTIVITY_MIDDLEWARE;

  const config = configFile(ctx, target, state);
  files.push(config);
  const userField = userFieldMigration(ctx, assets, target);
  const retention = retentionMigration(ctx, assets, target, userField);
  if (userField) {
    files.push(userField.file);
    state.migrations['user-field'] = userField.file.path;
  }
  files.push(retention.file);
  state.migrations.retention = retention.file.path;
  const filled = backfillMigration(ctx, assets, target, retention);
  if (filled) {
    files.push(filled.file);
    state.migrations.backfill = filled.file.path;
  }
  await addUserField(ctx, edits, target);
  const scheduling = planScheduler(project, ctx.options.scheduler);
  files.push(...retentionAppFiles(ctx, assets, target, scheduling));
  await addInstalledApp(ctx, edits, RETENTION_APP);
  if (!target.events) await addActivityMiddleware(ctx, edits);
  await addUnsubscribeUrl(ctx, edits, RETENTION_APP);

  const dir = templateDir(ctx);
  const loops = configLoops(config.contents, project, ctx.notes);
  const facts = loops ? withStripeAudiences(factsOf(target, dir), project, loops, ctx.notes) : null;
  const manifest = loops && facts ? manifestFile(loops, facts, ctx.notes) : null;
  if (manifest) files.push(manifest);
  const scheduled = loops ? loops.map((l) => ({ id: l.id, cron: l.schedule.cron, timezone: l.schedule.timezone })) : null;
  const beat = await registerBeat(ctx, assets, edits, target, (filled ?? retention).node, scheduled, scheduling);
  files.push(...beat.files);
  Object.assign(state.migrations, beat.roles);
  delete state.scheduler;
  if (beat.schedulerLine !== undefined) state.scheduler = beat.schedulerLine;
  const moved = activityMigration(ctx, assets, target, retentionMigrations(ctx, target, [...Object.values(state.migrations), ...beat.files.map((f) => f.path)]));
  if (moved) {
    files.push(moved.file);
    state.migrations[ACTIVITY_ROLE] = moved.path;
  }

  const agents = wantsAgentFiles(ctx);
  files.push(...emailTemplates(ctx, assets, target), ...(agents ? [cursorRule(ctx, assets, target, dir)] : []), ...runnerFiles(ctx, assets));
  const planned = (await formatForProject(ctx, files)).map((file) => resolveAction(file, readFile(file.path), ctx.previous));
  if (agents) planned.push(agentsFile(ctx, assets, target, dir, state));
  const edited: Array<{ path: string; before: string; after: string }> = [];
  for (const entry of edits.files()) {
    const before = readFile(entry.path) ?? '';
    const after = applyEdits(before, entry.edits);
    edited.push({ path: entry.path, before, after });
    planned.push(resolveAction({ path: entry.path, contents: after, ownership: 'edit', reason: `Settings/code edit: ${entry.reasons.join('; ')}.` }, before, ctx.previous));
  }
  const cleanup = oldLayoutCleanup(ctx, new Set(planned.map((f) => f.path)));
  planned.push(...cleanup.files);
  // Until they are removed (the user may untick them in the editor's review), the old files stay recorded: a later run still knows them.
  for (const kept of cleanup.recorded) state.files[kept] = ctx.previous.files[kept] ?? '';
  await checkStyle(ctx, edited);
  for (const file of planned) {
    if (!file.tracked) continue;
    const kept = ctx.previous.files[file.path];
    if (file.action !== 'conflict') state.files[file.path] = contentHash(file.after);
    else if (kept) state.files[file.path] = kept;
  }
  // A config not valid yet (mid-edit) leaves loops.json and the Celery app Initialize created as they are: they stay
  // recorded as Skene's, so the run after the fix updates them instead of finding files "in the way".
  for (const path of loops ? [] : [GENERATED_MANIFEST_FILE, project.celery?.file]) {
    const kept = path ? ctx.previous.files[path] : undefined;
    if (path && kept !== undefined && state.files[path] === undefined) state.files[path] = kept;
  }
  planned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  planned.push(stateFile(readFile, state));
  return { root: project.root, files: planned, notes: ctx.notes, state, activity: { ...activity, candidates: project.activity.candidates ?? [] } };
}

/** This run's activity choice, else the pick an earlier run recorded (when it still names a candidate), else 'auto'. */
function chooseActivity(ctx: GeneratorContext): ActivityDecision | null {
  const given = ctx.options.activity;
  if (given !== undefined) return decideActivitySource(ctx.project.activity, given, ctx.notes);
  const recorded = ctx.previous.activity;
  if (recorded === undefined) return decideActivitySource(ctx.project.activity, ACTIVITY_AUTO, ctx.notes);
  const kept = decideActivitySource(ctx.project.activity, recorded, []);
  if (kept) return kept;
  ctx.notes.push({ severity: 'warning', message: `The activity source picked earlier (${recorded}) is no longer a candidate; chosen by evidence instead.` });
  return decideActivitySource(ctx.project.activity, ACTIVITY_AUTO, ctx.notes);
}

function factsOf(target: LoopTarget, dir: string) {
  const store = target.store;
  return {
    userTable: target.user.table,
    // auth.User: the runtimes join the activity table in each query (no view pins auth_user's column types).
    ...(store.kind === 'activity-table' ? { activityJoin: { table: store.table, sinceColumn: target.user.dateJoined } } : {}),
    userIdColumn: target.user.id,
    emailColumn: target.user.email,
    activityColumn: store.column,
    templateDir: dir,
    timezoneColumn: target.user.timezone,
    isActiveColumn: target.user.isActive,
  };
}

function configFile(ctx: GeneratorContext, target: LoopTarget, state: InitState): GeneratedFile {
  const seed = loopSeed(target, ctx.options.loopId, ctx.project.settings.timeZone ?? 'UTC', ctx.options.dormantDays);
  const current = ctx.readFile(CONFIG_FILE);
  const reason = `The loop: ${target.user.table} users inactive for ${seed.dormantDays} days get an email, daily at 09:00 ${seed.timezone}.`;
  if (current === null) {
    state.config = { loopId: seed.id, owned: ownedValues(seed) };
    return { path: CONFIG_FILE, contents: createConfig(seed), ownership: 'edit', reason };
  }
  const merged = mergeConfig(current, seed, ctx.previous.config?.owned ?? {});
  if (!merged) {
    ctx.notes.push({ severity: 'info', message: `skene.config.ts has no loop '${seed.id}'; it was left as it is.` });
    return { path: CONFIG_FILE, contents: current, ownership: 'edit', reason };
  }
  if (merged.keptUserEdits.length) ctx.notes.push({ severity: 'info', message: `skene.config.ts: kept your edits of ${merged.keptUserEdits.join(', ')}.` });
  state.config = { loopId: seed.id, owned: merged.owned };
  return { path: CONFIG_FILE, contents: merged.text, ownership: 'edit', reason: `${reason} Only values derived from the project are updated.` };
}

function agentsFile(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, dir: string, state: InitState): PlannedFile {
  const region = agentsSection(ctx, assets, target, dir);
  const before = ctx.readFile(AGENTS_FILE);
  const planned = resolveAction(region.file, before, ctx.previous);
  if (!region.conflict) {
    state.regions[`${AGENTS_FILE}#skene`] = region.section;
    return planned;
  }
  return { ...planned, action: 'conflict', reason: `${region.file.reason} Not overwritten: the Skene section was edited since the last \`skene init\` (re-run with --yes to replace it).` };
}

function stateFile(readFile: ReadFile, state: InitState): PlannedFile {
  const before = readFile(STATE_FILE);
  const after = serializeState(state);
  const action = before === null ? 'create' : before === after ? 'unchanged' : 'modify';
  return { path: STATE_FILE, action, before, after, diff: unifiedDiff(STATE_FILE, before, after), reason: 'What Initialize wrote, so the next run can tell its files from your edits.', tracked: false };
}

export { GENERATED_MANIFEST_FILE };

/**
 * Skene's own Python files as the project's formatter (ruff format, Black) writes them, so its pre-commit hook
 * or CI leaves them alone and a later Initialize does not find them changed. Edits into the project's files
 * are written in the file's own style instead (checkStyle). A project that names no formatter gets Black's
 * layout at its linter's line length (88, Black's and Ruff's default, when none is set): the templates are
 * already written so, and this lays out the lines a long project name (a table, a field) pushes past it.
 */
async function formatForProject(ctx: GeneratorContext, files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const projectFormatter = readProjectFormatter(ctx.readFile);
  const formatter = projectFormatter ?? blackDefaults(readProjectLint(ctx.readFile).lineLength);
  const formatted = await Promise.all(files.map(async (file) => (file.ownership !== 'edit' && file.path.endsWith('.py') ? { ...file, contents: await formatPython(file.contents, formatter) } : file)));
  if (projectFormatter && formatted.some((file, i) => file.contents !== files[i]?.contents)) {
    ctx.notes.push({ severity: 'info', message: `Skene's Python files are formatted as ${formatter.tool === 'ruff' ? 'ruff format' : 'Black'} would (${formatter.source}: ${formatter.lineLength} columns, ${formatter.quoteStyle} quotes).` });
  }
  return formatted;
}

/** Ruff with the project's own settings on every file Initialize edits: a finding the edit adds is reported. */
async function checkStyle(ctx: GeneratorContext, edited: Array<{ path: string; before: string; after: string }>): Promise<void> {
  const lint = readProjectLint(ctx.readFile);
  const firstParty = [...firstPartyPackages(ctx.project.apps, ctx.project.settings.module, lint.knownFirstParty)];
  for (const f of await newLintFindings(edited, lint, firstParty)) {
    ctx.notes.push({ severity: 'warning', message: `${f.file}:${f.line}:${f.column}: ${f.code} ${f.message} (Ruff with the project's settings${lint.source ? ` from ${lint.source}` : ''}; not there before Skene's edit — fix it by hand or report it to Skene).` });
  }
}
