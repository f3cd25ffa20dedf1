/**
 * A small, plain-data picture of a Python module: its top-level statements with their expressions.
 * It is what we keep per file instead of tree-sitter trees (trees live in wasm memory and are large);
 * every reader (settings, apps, models, migrations, Celery) works on this.
 */

/** 1-based lines; columns 1-based in UTF-16 units (what editors use). */
export interface Loc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PyValue =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'none' }
  | { k: 'list' | 'tuple' | 'set'; items: PyValue[] }
  | { k: 'dict'; entries: Array<[PyValue, PyValue]> }
  /** A dotted name: `os.environ` is ['os', 'environ']. */
  | { k: 'ref'; path: string[] }
  | { k: 'call'; fn: PyValue; args: PyValue[]; kwargs: Record<string, PyValue> }
  | { k: 'bin'; op: string; l: PyValue; r: PyValue }
  | { k: 'sub'; obj: PyValue; index: PyValue }
  /** Attribute of something that is not a plain dotted name, e.g. `Path(__file__).parent`. */
  | { k: 'attr'; obj: PyValue; name: string }
  /** `*x` inside a list / call, or `**x` inside a dict (key side). */
  | { k: 'splat'; v: PyValue }
  /** Anything we do not model (comprehensions, lambdas, f-strings): keeps a short source excerpt. */
  | { k: 'unknown'; text: string }
  /** Only after evaluation: a value read from an environment variable (with the code's default, if any). */
  | { k: 'env'; name: string; default: PyValue | null }
  /** Only after evaluation: a filesystem path computed from __file__ (absolute). */
  | { k: 'path'; abs: string }
  /** Only after evaluation: a database URL parsed by dj_database_url / env.db(). */
  | { k: 'dburl'; url: PyValue };

/** A parameter of a kept function body: `name`, `name=default`, `*name`, `**name` (annotations dropped). */
export interface Param {
  name: string;
  default: PyValue | null;
  star: '' | '*' | '**';
}

export interface ImportedName {
  name: string;
  alias: string | null;
}

export type Stmt =
  | { k: 'assign'; targets: PyValue[]; value: PyValue; loc: Loc; valueLoc: Loc }
  | { k: 'augassign'; target: PyValue; op: string; value: PyValue; loc: Loc; valueLoc: Loc }
  | { k: 'expr'; value: PyValue; loc: Loc }
  /** `import a.b.c` (alias null) or `import a.b as x`. */
  | { k: 'import'; module: string; alias: string | null; loc: Loc }
  /** `from ..a import b as c` -> level 2, module 'a'; names '*' for a star import. */
  | { k: 'from'; module: string; level: number; names: ImportedName[] | '*'; loc: Loc }
  | { k: 'class'; name: string; bases: PyValue[]; keywords: Record<string, PyValue>; body: Stmt[]; loc: Loc }
  /**
   * Bodies are kept only for module-level functions (manage.py's main() sets DJANGO_SETTINGS_MODULE) and
   * settings properties (`@property def INSTALLED_APPS(self)` in class-based settings, see isSettingsProperty);
   * other methods' bodies are dropped. `calls` lists interesting callees seen inside (add_periodic_task).
   * `params` are read only with the body (settings call project functions with arguments); else empty.
   */
  | { k: 'def'; name: string; decorators: PyValue[]; calls: string[]; params: Param[]; body: Stmt[] | null; loc: Loc }
  | { k: 'if'; test: PyValue; body: Stmt[]; orelse: Stmt[]; loc: Loc }
  | { k: 'try'; body: Stmt[]; handlers: Stmt[][]; orelse: Stmt[]; final: Stmt[]; loc: Loc }
  /** `return x` inside a kept function body (a settings property returns its value). */
  | { k: 'return'; value: PyValue | null; loc: Loc }
  /** for / while / with: bodies whose effect depends on runtime values. */
  | { k: 'block'; kind: string; body: Stmt[]; loc: Loc };

export interface ModuleIr {
  body: Stmt[];
  /** Lines of syntax errors tree-sitter recovered from (empty when the file parsed cleanly). */
  errorLines: number[];
}

const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * A method whose body both readers keep: an UPPERCASE `@property`, which is how class-based settings
 * (readthedocs' `Settings.load_settings`, django-configurations) compute a setting.
 */
export function isSettingsProperty(name: string, decorators: PyValue[]): boolean {
  return SETTING_NAME.test(name) && decorators.some((d) => d.k === 'ref' && d.path.length === 1 && d.path[0] === 'property');
}
