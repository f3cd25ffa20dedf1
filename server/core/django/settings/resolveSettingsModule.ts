import type { ProjectFiles } from '../projectFiles';
import type { SourceLocation, UnresolvedFact } from '../projectModel';
import type { PyValue, Stmt } from '../python/pyIr';

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
 * DJANGO_SETTINGS_MODULE as the project declares it: manage.py first (what developers run), then the test
 * runner's config, then wsgi/asgi/celery entry points. A guess from a lone settings.py is reported.
 */
export function resolveSettingsModule(files: ProjectFiles, managePy: string | null, override?: string | null): SettingsModuleResult {
  const unresolved: UnresolvedFact[] = [];
  // The user said which settings to read (editor setting or --settings): the project's own declarations lose.
  if (override) return { module: override, declaredAt: null, unresolved };
  const pyCandidates = managePy ? [managePy] : [];
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
  return { ...guess(files, unresolved), unresolved };
}

function byDepth(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || (a < b ? -1 : 1);
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function fromPython(files: ProjectFiles, rel: string, unresolved: UnresolvedFact[]): { module: string; declaredAt: SourceLocation } | null {
  const ir = files.module(rel);
  if (!ir) return null;
  for (const stmt of walk(ir.body)) {
    const value = environDefault(stmt, 'DJANGO_SETTINGS_MODULE');
    if (value === undefined) continue;
    if (value.k === 'str') return { module: value.v, declaredAt: { file: rel, line: stmt.loc.line, column: stmt.loc.column } };
    unresolved.push({ file: rel, line: stmt.loc.line, message: 'DJANGO_SETTINGS_MODULE is set to a computed value; cannot tell which settings module runs' });
  }
  return null;
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
