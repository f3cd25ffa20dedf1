import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectFiles } from './projectFiles';
import type { PyValue, Stmt } from './python/pyIr';
import { evalValue } from './settings/staticEval';

/** How far above the folder of manage.py a packaging file can declare the project's package (tests/manage.py: 1). */
const PARENT_LEVELS = 3;
const PACKAGING_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];
/** The packaging places the code in src/ (setuptools' package-dir / where, Poetry's `from = "src"`, hatch's packages). */
const SRC_LAYOUT = /(["']?src["']?\s*[,\]}]|where\s*=\s*\[?\s*["']?src|from\s*=\s*["']src|package_dir\s*=\s*\{\s*["']{2}\s*:\s*["']src|packages\s*=\s*\[\s*["']src\/)/;

/**
 * Folders besides the folder of manage.py where Python finds the project's modules (absolute paths, in
 * search order):
 * - `sys.path.insert(...)` / `sys.path.append(...)` in manage.py, with a path known statically;
 * - a package developed with a test project (`tests/manage.py`, `example/manage.py`): the nearest folder above
 *   whose pyproject.toml / setup.py / setup.cfg declares a package (installed with `pip install -e .`), or its
 *   src/ when the packaging says the code lives there;
 * - the project's own src/ when its packaging says so (manage.py at the root, apps in src/).
 */
export function packagingSourceRoots(files: ProjectFiles, managePy: string | null): string[] {
  const edits = managePy ? sysPathEdits(files, managePy) : [];
  let packaged = packagedRoots.get(files);
  if (!packaged) {
    packaged = packagingFolders(files.root);
    packagedRoots.set(files, packaged);
    files.setDeclarationFolders(packaged.declarations);
  }
  return [...edits, ...packaged.roots];
}

/** Packaging files are read once per ProjectFiles (a change to them needs a new analysis, as a new dependency does). */
const packagedRoots = new WeakMap<ProjectFiles, { roots: string[]; declarations: string[] }>();

/** Source roots from packaging, and the folder above the root whose packaging declares the dependencies. */
function packagingFolders(root: string): { roots: string[]; declarations: string[] } {
  const roots: string[] = [];
  const declarations: string[] = [];
  const own = packaging(root);
  if (own?.src) roots.push(path.join(root, 'src'));
  if (!own && !fs.existsSync(path.join(root, '.git'))) {
    let dir = root;
    for (let level = 0; level < PARENT_LEVELS; level++) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      const found = packaging(dir);
      if (found) {
        roots.push(found.src ? path.join(dir, 'src') : dir);
        declarations.push(dir);
        break;
      }
      if (fs.existsSync(path.join(dir, '.git'))) break; // the repository's root: nothing above belongs to it
    }
  }
  if (!declarations.length && !declaresDependencies(root)) {
    // Tabbycat: manage.py in tabbycat/, the Pipfile (psycopg2, the job system) at the repository root.
    let dir = root;
    for (let level = 0; level < PARENT_LEVELS && !fs.existsSync(path.join(dir, '.git')); level++) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
      if (declaresDependencies(dir)) {
        declarations.push(dir);
        break;
      }
    }
  }
  return { roots, declarations };
}

/** Files that declare dependencies (not a package): requirements*.txt / .in, Pipfile, and the packaging files. */
const DEPENDENCY_FILE = /^([\w.-]*requirements[\w.-]*\.(txt|in)|Pipfile|pyproject\.toml|setup\.py|setup\.cfg)$/;

function declaresDependencies(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => DEPENDENCY_FILE.test(name));
  } catch {
    return false;
  }
}

/** A folder's packaging, when one of its files declares a package (not a pyproject.toml holding only tool settings). */
function packaging(dir: string): { src: boolean } | null {
  let declared = false;
  let src = false;
  for (const name of PACKAGING_FILES) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    if (name === 'setup.py' || /^\[(project|tool\.poetry|build-system|metadata|options)\]/m.test(text)) declared = true;
    if (SRC_LAYOUT.test(text)) src = true;
  }
  if (!declared) return null;
  return { src: src && fs.existsSync(path.join(dir, 'src')) };
}

/** Paths a module adds to sys.path (module level, under `if`/`try`, in functions such as main()). */
export function sysPathEdits(files: ProjectFiles, rel: string): string[] {
  const ir = files.module(rel);
  if (!ir) return [];
  const fileAbs = path.join(files.root, rel);
  const scope = new Map<string, PyValue>();
  const out: string[] = [];
  const visit = (body: Stmt[]): void => {
    for (const stmt of body) {
      if (stmt.k === 'assign') {
        const value = evalValue(stmt.value, { scope, fileAbs });
        for (const target of stmt.targets) if (target.k === 'ref' && target.path.length === 1) scope.set(target.path[0] as string, value);
      } else if (stmt.k === 'expr') {
        const added = sysPathArgument(stmt.value);
        const value = added && evalValue(added, { scope, fileAbs });
        const abs = value?.k === 'path' ? value.abs : value?.k === 'str' && path.isAbsolute(value.v) ? value.v : null;
        if (abs) out.push(path.normalize(abs));
      } else if (stmt.k === 'if') visit([...stmt.body, ...stmt.orelse]);
      else if (stmt.k === 'try') visit([...stmt.body, ...stmt.orelse]);
      else if (stmt.k === 'def' && stmt.body) visit(stmt.body);
    }
  };
  visit(ir.body);
  return out;
}

/** The path argument of `sys.path.insert(i, X)` / `sys.path.append(X)`. */
export function sysPathArgument(value: PyValue): PyValue | null {
  if (value.k !== 'call' || value.fn.k !== 'ref') return null;
  const fn = value.fn.path.join('.');
  if (fn === 'sys.path.insert') return value.args[1] ?? null;
  if (fn === 'sys.path.append') return value.args[0] ?? null;
  return null;
}
