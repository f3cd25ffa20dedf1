import * as path from 'node:path';
import type { ProjectFiles } from '../projectFiles';
import type { SourceLocation, UnresolvedFact } from '../projectModel';
import { absoluteModule } from '../python/moduleNames';
import type { PyValue, Stmt } from '../python/pyIr';
import { evalValue, type EvalContext } from './staticEval';

export interface SettingsModuleResult {
  module: string | null;
  declaredAt: SourceLocation | null;
  unresolved: UnresolvedFact[];
}

/**
 * django-configurations' DJANGO_CONFIGURATION (the settings class to load), as manage.py (or a wsgi/asgi
 * entry point) sets it with `os.environ.setdefault(...)`; null when none does.
 */
export function resolveConfigurationClass(files: ProjectFiles, managePy: string | null): { name: string; declaredAt: SourceLocation } | null {
  const entries = files.allFiles().filter((f) => ENTRY_FILES.test(f)).sort(byDepth);
  for (const rel of [...(managePy ? [managePy] : []), ...entries]) {
    const ir = files.module(rel);
    for (const stmt of ir ? walk(ir.body) : []) {
      const value = environDefault(stmt, 'DJANGO_CONFIGURATION');
      if (value?.k === 'str') return { name: value.v, declaredAt: { file: rel, line: stmt.loc.line, column: stmt.loc.column } };
    }
  }
  return null;
}

const ENTRY_FILES = /(^|\/)(wsgi|asgi|celery|celery_app)\.py$/;
const INI_SETTING = /^[ \t]*DJANGO_SETTINGS_MODULE[ \t]*=[ \t]*["']?([\w.]+)["']?/m;
const INI_FILES = ['pytest.ini', 'pyproject.toml', 'setup.cfg', 'tox.ini'];

/**
 * DJANGO_SETTINGS_MODULE as the project declares it: a `.env` that manage.py loads with python-dotenv /
 * django-environ (it is set before manage.py's `setdefault`, so it wins), manage.py (what developers run), the
 * test runner's config, wsgi/asgi/celery entry points, then the environment files that name it (`.env`,
 * `.env.example`, compose files, dev containers: reported). A guess from a lone settings.py is reported.
 */
export function resolveSettingsModule(files: ProjectFiles, managePy: string | null, override?: string | null): SettingsModuleResult {
  const unresolved: UnresolvedFact[] = [];
  // The user said which settings to read (editor setting or --settings): the project's own declarations lose.
  if (override) return { module: override, declaredAt: null, unresolved };
  const pyCandidates = managePy ? [managePy] : [];
  const loaded = managePy ? loadedDotenv(files, managePy) : null;
  if (loaded) return { ...loaded, unresolved };
  const entries = files.allFiles().filter((f) => ENTRY_FILES.test(f)).sort(byDepth);
  for (const rel of pyCandidates) {
    const found = fromPython(files, rel, unresolved);
    if (found) return { ...found, unresolved };
  }
  for (const rel of INI_FILES) {
    const text = files.text(rel);
    const match = text ? INI_SETTING.exec(text) : null;
    if (text && match?.[1]) return { module: match[1], declaredAt: { file: rel, line: lineAt(text, match.index) }, unresolved };
  }
  for (const rel of entries) {
    const found = fromPython(files, rel, unresolved);
    if (found) return { ...found, unresolved };
  }
  const named = fromEnvironmentFiles(files);
  if (named) {
    const message = `DJANGO_SETTINGS_MODULE is not set in manage.py, wsgi.py, asgi.py or pytest config; read from ${named.declaredAt.file}, the environment the project documents`;
    unresolved.push({ file: named.declaredAt.file, line: named.declaredAt.line, message });
    return { ...named, unresolved };
  }
  return { ...guess(files, unresolved), unresolved };
}

/** `DJANGO_SETTINGS_MODULE=x` (.env), `DJANGO_SETTINGS_MODULE: x` / `- DJANGO_SETTINGS_MODULE=x` (compose), `"DJANGO_SETTINGS_MODULE": "x"` (JSON). */
const ENV_SETTING = /^[ \t]*(?:-[ \t]*)?(?:export[ \t]+)?["']?DJANGO_SETTINGS_MODULE["']?[ \t]*[:=][ \t]*["']?([A-Za-z_][\w.]*)["']?[ \t]*,?[ \t]*(?:#.*)?$/m;
/** Calls in manage.py that load `.env` into os.environ before Django reads DJANGO_SETTINGS_MODULE. */
const DOTENV_LOAD = /\b(load_dotenv|read_dotenv|read_env)\s*\(/;

/** Environment files at the project root, in the order they are trusted: the local .env, its templates, compose, dev containers. */
function environmentFiles(files: ProjectFiles): string[] {
  const rank = (f: string): number =>
    f === '.env' ? 0 : /^\.env\./.test(f) ? 1 : /compose/.test(f) ? 2 : 3;
  return files
    .allFiles()
    .filter((f) => /^(\.env(\.[\w.-]+)?|(docker-)?compose([.-][\w.-]+)?\.ya?ml|\.devcontainer\.json|\.devcontainer\/devcontainer\.json)$/.test(f))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

function fromEnvironmentFiles(files: ProjectFiles, only?: string): { module: string; declaredAt: SourceLocation } | null {
  for (const rel of only ? [only] : environmentFiles(files)) {
    const text = files.text(rel);
    const match = text ? ENV_SETTING.exec(text) : null;
    if (text && match?.[1]) return { module: match[1], declaredAt: { file: rel, line: lineAt(text, match.index + match[0].indexOf('DJANGO_SETTINGS_MODULE')) } };
  }
  return null;
}

/** The settings module of a `.env` next to manage.py when manage.py loads it (babybuddy: `load_dotenv(find_dotenv())`). */
function loadedDotenv(files: ProjectFiles, managePy: string): { module: string; declaredAt: SourceLocation } | null {
  const dir = managePy.includes('/') ? managePy.slice(0, managePy.lastIndexOf('/') + 1) : '';
  if (!DOTENV_LOAD.test(files.text(managePy) ?? '')) return null;
  return files.has(`${dir}.env`) ? fromEnvironmentFiles(files, `${dir}.env`) : null;
}

function byDepth(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || (a < b ? -1 : 1);
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function fromPython(files: ProjectFiles, rel: string, unresolved: UnresolvedFact[]): { module: string; declaredAt: SourceLocation } | null {
  const ir = files.module(rel);
  return ir ? fromStatements(files, rel, ir.body, new Map(), unresolved, 0) : null;
}

/** Functions of project modules manage.py calls are searched this many calls deep (AWX: manage() -> prepare_env()). */
const MAX_ENTRY_DEPTH = 3;

/**
 * DJANGO_SETTINGS_MODULE set by `statements` of `rel` (run with `scope`), or by a project function they call:
 * AWX's manage.py runs `from awx import manage; manage()`, whose `prepare_env()` sets `'awx.settings.%s' % MODE`.
 */
function fromStatements(files: ProjectFiles, rel: string, body: Stmt[], scope: Map<string, PyValue>, unresolved: UnresolvedFact[], depth: number): { module: string; declaredAt: SourceLocation } | null {
  const ctx: EvalContext = { scope, fileAbs: path.join(files.root, rel) };
  const called: string[] = [];
  for (const [stmt, conditional] of walkScoped(body, false)) {
    // Names bound outside any branch, as the module runs with no environment set and no branch taken.
    if (stmt.k === 'assign' && !conditional) {
      for (const target of stmt.targets) if (target.k === 'ref' && target.path.length === 1) scope.set(target.path[0] as string, evalValue(stmt.value, ctx));
    }
    if (stmt.k === 'from' && stmt.names !== '*') {
      for (const { name, alias } of stmt.names) if (!scope.has(alias ?? name)) scope.set(alias ?? name, { k: 'ref', path: [...absoluteModule(files.moduleRel(rel), stmt.level, stmt.module).split('.'), name] });
    }
    if (stmt.k === 'expr' && stmt.value.k === 'call' && stmt.value.fn.k === 'ref' && stmt.value.fn.path.length === 1) called.push(stmt.value.fn.path[0] as string);
    const value = environDefault(stmt, 'DJANGO_SETTINGS_MODULE');
    if (value === undefined) continue;
    const declaredAt = { file: rel, line: stmt.loc.line, column: stmt.loc.column };
    if (value.k === 'str') return { module: value.v, declaredAt };
    // LibrePhotos: `environment = "production"`, changed under `if` on the environment, then `f"librephotos.settings.{environment}"`.
    const computed = evalValue(value, ctx);
    const module = computed.k === 'str' ? computed.v : computed.k === 'env' && computed.default?.k === 'str' ? computed.default.v : null;
    if (module && /^[A-Za-z_][\w.]*$/.test(module)) {
      const how = computed.k === 'env' ? `the environment variable ${computed.name} unset` : 'no environment set and no branch taken';
      unresolved.push({ file: rel, line: stmt.loc.line, message: `DJANGO_SETTINGS_MODULE is computed; read as ${module}, its value with ${how}` });
      return { module, declaredAt };
    }
    unresolved.push({ file: rel, line: stmt.loc.line, message: 'DJANGO_SETTINGS_MODULE is set to a computed value; cannot tell which settings module runs' });
    return null;
  }
  if (depth >= MAX_ENTRY_DEPTH) return null;
  for (const name of called) {
    const target = projectFunction(files, rel, scope.get(name));
    if (!target) continue;
    const found = fromStatements(files, target.rel, target.def.body ?? [], target.scope, unresolved, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The module-level function a name is bound to: `ref` to `pkg.name` imported from a project module, or a function
 * of this module (called from another of its functions). Its module's top-level names are its scope.
 */
function projectFunction(files: ProjectFiles, rel: string, value: PyValue | undefined): { rel: string; def: Extract<Stmt, { k: 'def' }>; scope: Map<string, PyValue> } | null {
  if (value?.k !== 'ref' || value.path.length < 2) return null;
  const moduleRel = files.resolveModule(value.path.slice(0, -1).join('.'));
  const name = value.path[value.path.length - 1];
  const ir = moduleRel ? files.module(moduleRel) : null;
  if (!moduleRel || !ir) return null;
  const def = ir.body.find((s): s is Extract<Stmt, { k: 'def' }> => s.k === 'def' && s.name === name && s.body !== null);
  if (!def) return null;
  // The module's own names: its functions (as refs to themselves), imports, and what it binds at top level.
  const scope = new Map<string, PyValue>();
  const moduleName = value.path.slice(0, -1);
  const ctx: EvalContext = { scope, fileAbs: path.join(files.root, moduleRel) };
  for (const [stmt, conditional] of walkScoped(ir.body.filter((s) => s.k !== 'def'), false)) {
    if (stmt.k === 'assign' && !conditional) {
      for (const target of stmt.targets) if (target.k === 'ref' && target.path.length === 1) scope.set(target.path[0] as string, evalValue(stmt.value, ctx));
    }
  }
  for (const stmt of ir.body) if (stmt.k === 'def' && stmt.body) scope.set(stmt.name, { k: 'ref', path: [...moduleName, stmt.name] });
  return { rel: moduleRel, def, scope };
}

/** `if __name__ == "__main__":` in manage.py: the branch that runs. */
const MAIN_GUARD = /^__name__\s*==\s*(["'])__main__\1$/;

/** `walk` in order, each statement with whether it runs only in some branch (`if`, a loop, an `except`). */
function* walkScoped(body: Stmt[], conditional: boolean): Generator<[Stmt, boolean]> {
  for (const stmt of body) {
    yield [stmt, conditional];
    if (stmt.k === 'if' && stmt.test.k === 'unknown' && MAIN_GUARD.test(stmt.test.text)) {
      yield* walkScoped(stmt.body, conditional);
      yield* walkScoped(stmt.orelse, true);
    } else if (stmt.k === 'if') yield* walkScoped([...stmt.body, ...stmt.orelse], true);
    else if (stmt.k === 'try') {
      yield* walkScoped([...stmt.body, ...stmt.orelse, ...stmt.final], conditional);
      yield* walkScoped(stmt.handlers.flat(), true);
    } else if (stmt.k === 'def' && stmt.body) yield* walkScoped(stmt.body, conditional);
    else if (stmt.k === 'block') yield* walkScoped(stmt.body, conditional || stmt.kind !== 'with');
  }
}

/** Statements at module level, in if/try blocks and in module-level functions (manage.py's main()). */
function* walk(body: Stmt[]): Generator<Stmt> {
  for (const stmt of body) {
    yield stmt;
    if (stmt.k === 'if') yield* walk([...stmt.body, ...stmt.orelse]);
    else if (stmt.k === 'try') yield* walk([...stmt.body, ...stmt.handlers.flat(), ...stmt.orelse, ...stmt.final]);
    else if (stmt.k === 'def' && stmt.body) yield* walk(stmt.body);
    else if (stmt.k === 'block') yield* walk(stmt.body);
  }
}

const isEnviron = (v: PyValue): boolean => v.k === 'ref' && /^(os\.)?environ$/.test(v.path.join('.'));
/** The value given to an environment variable by `os.environ.setdefault(...)` or `os.environ[...] = ...`. */
function environDefault(stmt: Stmt, key: string): PyValue | undefined {
  const isKey = (v: PyValue | undefined): boolean => v?.k === 'str' && v.v === key;
  if (stmt.k === 'expr' && stmt.value.k === 'call' && stmt.value.fn.k === 'ref') {
    const fn = stmt.value.fn.path.join('.');
    if (/^(os\.)?environ\.setdefault$/.test(fn) && isKey(stmt.value.args[0])) return stmt.value.args[1] ?? { k: 'none' };
  }
  if (stmt.k === 'assign') {
    for (const target of stmt.targets) {
      if (target.k === 'sub' && isEnviron(target.obj) && isKey(target.index)) return stmt.value;
    }
  }
  return undefined;
}

/** No declaration anywhere: a single settings.py / settings package is the only sensible reading — said out loud. */
function guess(files: ProjectFiles, unresolved: UnresolvedFact[]): { module: string | null; declaredAt: null } {
  const candidates = files.allFiles().filter((f) => /(^|\/)settings(\.py|\/__init__\.py)$/.test(f));
  const moduleOf = (f: string): string => f.replace(/(\/__init__)?\.py$/, '').split('/').join('.');
  const where = 'DJANGO_SETTINGS_MODULE is not declared in manage.py, wsgi.py, asgi.py or pytest config';
  const [only] = candidates;
  if (only && candidates.length === 1) {
    unresolved.push({ file: only, line: 1, message: `${where}; assuming ${moduleOf(only)}` });
    return { module: moduleOf(only), declaredAt: null };
  }
  const listed = candidates.length ? ` (candidates: ${candidates.map(moduleOf).join(', ')})` : '';
  unresolved.push({ file: '', line: 0, message: `${where}${listed}` });
  return { module: null, declaredAt: null };
}
