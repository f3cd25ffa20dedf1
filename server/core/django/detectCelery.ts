import type { ProjectFiles } from './projectFiles';
import type { CeleryInfo, SourceLocation, UnresolvedFact } from './projectModel';
import { moduleNameOf } from './python/moduleNames';
import type { NameResolver } from './python/moduleSymbols';
import type { PyValue, Stmt } from './python/pyIr';
import type { AppInfo } from './resolveInstalledApps';
import type { Binding } from './settings/readSettings';
import { asString } from './settings/settingsValues';

const MENTIONS_CELERY = /\bCelery\s*\(/;

interface CeleryApp {
  rel: string;
  name: string;
  line: number;
  /** Set when a module-level function builds the app (`app = create_application()`): its body and its local name. */
  factory?: { body: Stmt[]; name: string };
}

/**
 * The module that creates the Celery app, its config namespace, and where periodic tasks are scheduled:
 * `app.conf.beat_schedule` (or add_periodic_task) in that module, `<NS>_BEAT_SCHEDULE` in settings, or the
 * database scheduler of django-celery-beat — in that order, the first one the project already uses.
 */
export function detectCelery(
  files: ProjectFiles,
  resolver: NameResolver,
  values: Map<string, Binding>,
  apps: AppInfo[],
): { celery: CeleryInfo | null; unresolved: UnresolvedFact[] } {
  const unresolved: UnresolvedFact[] = [];
  const found = files
    .allFiles()
    .filter((f) => f.endsWith('.py') && files.mentions(f, 'Celery') && files.textFact(f, 'mentionsCelery', (text) => MENTIONS_CELERY.test(text ?? '')))
    .slice()
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))
    .flatMap((rel) => celeryApps(files, resolver, rel));
  const [app, ...others] = found;
  if (!app) return { celery: null, unresolved };
  for (const other of others) unresolved.push({ file: other.rel, line: other.line, message: `another Celery app is created here; using ${moduleNameOf(files.moduleRel(app.rel))}` });
  const body = files.module(app.rel)?.body ?? [];
  const namespace = configNamespace(body, app.name) ?? (app.factory ? configNamespace(app.factory.body, app.factory.name) : null);
  const scheduler = asString(values.get(namespace ? `${namespace}_BEAT_SCHEDULER` : 'beat_scheduler')?.value) ?? asString(values.get('CELERYBEAT_SCHEDULER')?.value);
  const confAt = appConfSchedule(body, app.name);
  const settingsKey = [namespace ? `${namespace}_BEAT_SCHEDULE` : 'beat_schedule', 'CELERYBEAT_SCHEDULE'].find((k) => values.has(k));
  const settingsBinding = settingsKey ? values.get(settingsKey) : undefined;
  const usesDbBeat = apps.some((a) => a.module === 'django_celery_beat') || (scheduler ?? '').startsWith('django_celery_beat');
  let beat: CeleryInfo['beat'] = 'none';
  let beatAt: SourceLocation | null = null;
  if (confAt) {
    beat = 'app.conf';
    beatAt = { file: app.rel, line: confAt };
  } else if (settingsBinding) {
    beat = 'settings';
    beatAt = { file: settingsBinding.file, line: settingsBinding.loc.line };
  } else if (usesDbBeat) beat = 'django_celery_beat';
  const celery: CeleryInfo = { appModule: moduleNameOf(files.moduleRel(app.rel)), file: app.rel, line: app.line, namespace, beat, beatAt, scheduler };
  return { celery, unresolved };
}

/**
 * `app = Celery("proj")` (or `celery.Celery(...)`) at module level, or `app = create_application()` where that
 * module-level function creates the app and returns it (readthedocs' worker.py).
 */
function celeryApps(files: ProjectFiles, resolver: NameResolver, rel: string): CeleryApp[] {
  const body = files.module(rel)?.body ?? [];
  const out: CeleryApp[] = [];
  for (const stmt of body) {
    if (stmt.k !== 'assign' || stmt.value.k !== 'call' || stmt.value.fn.k !== 'ref') continue;
    const target = stmt.targets[0];
    if (target?.k !== 'ref' || target.path.length !== 1) continue;
    const name = target.path[0] as string;
    if (isCeleryClass(resolver, rel, stmt.value.fn.path)) {
      out.push({ rel, name, line: stmt.loc.line });
      continue;
    }
    const factory = stmt.value.fn.path.length === 1 ? factoryOf(body, stmt.value.fn.path[0] as string, (path) => isCeleryClass(resolver, rel, path)) : null;
    if (factory) out.push({ rel, name, line: stmt.loc.line, factory });
  }
  return out;
}

function isCeleryClass(resolver: NameResolver, rel: string, path: string[]): boolean {
  const callee = resolver.canonical(rel, path);
  return callee === 'celery.Celery' || callee === 'celery.app.base.Celery';
}

/** The module-level function `name` when it binds `x = Celery(...)` and returns `x`: its body and `x`. */
function factoryOf(body: Stmt[], name: string, isCelery: (path: string[]) => boolean): { body: Stmt[]; name: string } | null {
  const def = body.find((stmt): stmt is Extract<Stmt, { k: 'def' }> => stmt.k === 'def' && stmt.name === name);
  for (const stmt of def?.body ?? []) {
    if (stmt.k !== 'assign' || stmt.value.k !== 'call' || stmt.value.fn.k !== 'ref' || !isCelery(stmt.value.fn.path)) continue;
    const target = stmt.targets[0];
    if (target?.k !== 'ref' || target.path.length !== 1) continue;
    const local = target.path[0] as string;
    const returned = def?.body?.some((s) => s.k === 'return' && s.value?.k === 'ref' && s.value.path.join('.') === local);
    if (returned) return { body: def?.body ?? [], name: local };
  }
  return null;
}

function isAppCall(value: PyValue, app: string, method: string[]): value is Extract<PyValue, { k: 'call' }> {
  return value.k === 'call' && value.fn.k === 'ref' && value.fn.path.join('.') === [app, ...method].join('.');
}

function configNamespace(body: Stmt[], app: string): string | null {
  for (const stmt of body) {
    if (stmt.k !== 'expr' || !isAppCall(stmt.value, app, ['config_from_object'])) continue;
    const ns = stmt.value.kwargs.namespace;
    return ns?.k === 'str' ? ns.v : null;
  }
  return null;
}

/**
 * Line of the first beat schedule set on the app: assignment, conf.update(beat_schedule=), or add_periodic_task —
 * also under an `if`/`try` (taiga: `if settings.ENABLE_TELEMETRY: app.conf.beat_schedule["..."] = {...}`).
 */
function appConfSchedule(body: Stmt[], app: string): number | null {
  for (const stmt of body) {
    const nested = stmt.k === 'if' ? [stmt.body, stmt.orelse] : stmt.k === 'try' ? [stmt.body, ...stmt.handlers, stmt.orelse, stmt.final] : [];
    for (const block of nested) {
      const line = appConfSchedule(block, app);
      if (line !== null) return line;
    }
    if (stmt.k === 'assign') {
      const hit = stmt.targets.some((t) => (t.k === 'ref' && t.path.join('.') === `${app}.conf.beat_schedule`) || (t.k === 'sub' && t.obj.k === 'ref' && t.obj.path.join('.') === `${app}.conf.beat_schedule`));
      if (hit) return stmt.loc.line;
    }
    if (stmt.k === 'expr' && isAppCall(stmt.value, app, ['conf', 'update']) && stmt.value.kwargs.beat_schedule) return stmt.loc.line;
    if (stmt.k === 'expr' && isAppCall(stmt.value, app, ['conf', 'beat_schedule', 'update'])) return stmt.loc.line;
    if (stmt.k === 'expr' && isAppCall(stmt.value, app, ['add_periodic_task'])) return stmt.loc.line;
    if (stmt.k === 'def' && stmt.calls.includes('add_periodic_task')) return stmt.loc.line;
  }
  return null;
}
