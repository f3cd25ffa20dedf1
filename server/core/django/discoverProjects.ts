/**
 * The one project discovery every CLI command, the language server and the extension use: from any folder,
 * find the Django projects at it, below it or above it, the same way every time, and pick one — or say
 * which ones there are and how to choose (`--project PATH`, the `skene.projectPath` setting).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIP_DIRS } from './scanProject';
import { cdPrefix as shellCdPrefix } from '../../protocol';

export interface DiscoveredProject {
  /** Absolute folder holding manage.py (the folder Django puts first on sys.path). */
  root: string;
  managePy: string | null;
  /** Whether skene.config.ts is in the root (`skene init` has run there). */
  hasConfig: boolean;
}

export type ProjectChoice =
  | { ok: true; project: DiscoveredProject; /** The root relative to the start folder ('' when the same), for messages. */ relative: string }
  | { ok: false; reason: 'none' | 'several' | 'not-a-project'; candidates: DiscoveredProject[]; message: string };

const MAX_DEPTH = 4;
const MAX_UP = 6;
const SETTINGS_IN_CONFIG = /DJANGO_SETTINGS_MODULE/;
const CONFIG_FILE = 'skene.config.ts';

/**
 * The Django projects for `dir`: manage.py in it (just that one); else every manage.py below it (4 levels,
 * breadth-first, not inside another project found, never through a symlink leaving `dir`); else the nearest
 * one above; else `dir` when its pytest.ini / setup.cfg / pyproject.toml names DJANGO_SETTINGS_MODULE.
 */
export function discoverProjects(dir: string): DiscoveredProject[] {
  const start = path.resolve(dir);
  if (isFile(path.join(start, 'manage.py'))) return [project(start, 'manage.py')];
  const below = findBelow(start);
  if (below.length) return below.map((root) => project(root, 'manage.py'));
  for (let parent = path.dirname(start), i = 0; parent !== path.dirname(parent) && i < MAX_UP; parent = path.dirname(parent), i++) {
    if (isFile(path.join(parent, 'manage.py'))) return [project(parent, 'manage.py')];
  }
  for (const name of ['pytest.ini', 'setup.cfg', 'pyproject.toml']) {
    const text = readText(path.join(start, name));
    if (text && SETTINGS_IN_CONFIG.test(text)) return [project(start, null)];
  }
  return [];
}

/**
 * The project to work on from `dir`. `projectPath` (the `--project` flag or the editor setting; relative to
 * `dir`) names it outright. Otherwise one project is taken; of several, the only one with skene.config.ts;
 * else the answer lists them.
 */
export function chooseProject(dir: string, projectPath?: string | null): ProjectChoice {
  const start = path.resolve(dir);
  if (projectPath) {
    const wanted = path.resolve(start, projectPath);
    const found = discoverProjects(wanted).filter((p) => isInside(p.root, wanted));
    const [first] = found;
    if (found.length === 1 && first) return { ok: true, project: first, relative: relativeLabel(start, first.root) };
    const message = found.length
      ? `${projectPath} holds ${found.length} Django projects: ${found.map((p) => relativeLabel(start, p.root) || '.').join(', ')}; name one of them.`
      : `${projectPath} is not a Django project: no manage.py in it or below it.`;
    return { ok: false, reason: found.length ? 'several' : 'not-a-project', candidates: found, message };
  }
  const found = discoverProjects(start);
  const configured = found.filter((p) => p.hasConfig);
  const pick = found.length === 1 ? found[0] : configured.length === 1 ? configured[0] : undefined;
  if (pick) return { ok: true, project: pick, relative: relativeLabel(start, pick.root) };
  if (!found.length) {
    return {
      ok: false,
      reason: 'none',
      candidates: [],
      message: `No Django project found in ${start}: no manage.py in it, below it (${MAX_DEPTH} levels) or above it, and no DJANGO_SETTINGS_MODULE in pytest.ini / setup.cfg / pyproject.toml.`,
    };
  }
  const list = found.map((p) => `  ${relativeLabel(start, p.root) || '.'}${p.hasConfig ? ' (has skene.config.ts)' : ''}`).join('\n');
  return {
    ok: false,
    reason: 'several',
    candidates: found,
    message: `${found.length} Django projects found in ${start}:\n${list}\nChoose one with --project PATH (in the editor: the skene.projectPath setting).`,
  };
}

/** "backend/" style label of `root` seen from `start` ('' when they are the same folder). */
export function relativeLabel(start: string, root: string): string {
  const rel = path.relative(start, root).split(path.sep).join('/');
  return rel;
}

/** "cd backend && " when the project is not the current folder, for "Next:" lines (quoted as agent instructions are). */
export function cdPrefix(fromDir: string, root: string): string {
  const relative = path.relative(path.resolve(fromDir), root).split(path.sep).join('/');
  // Below or above the current folder: relative (`cd backend`, `cd ..`). Elsewhere the absolute path reads
  // better than a climb to the file system root and down again (`cd ../../../tmp/shop`).
  const sideways = relative.startsWith('..') && !/^\.\.(\/\.\.)*$/.test(relative);
  return shellCdPrefix(sideways ? path.resolve(root).split(path.sep).join('/') : relative);
}

function project(root: string, managePy: string | null): DiscoveredProject {
  return { root, managePy, hasConfig: isFile(path.join(root, CONFIG_FILE)) };
}

/** Breadth-first; a project's own subfolders are not searched (backend/tools/legacy/manage.py is inside backend). */
function findBelow(start: string): string[] {
  const startReal = safeRealpath(start) ?? start;
  const found: string[] = [];
  let level = [start];
  const seen = new Set<string>();
  for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const child of subdirs(dir, seen, startReal)) {
        if (isFile(path.join(child, 'manage.py'))) found.push(child);
        else next.push(child);
      }
    }
    level = next;
  }
  return found.sort();
}

function subdirs(dir: string, seen: Set<string>, boundary: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  if (entries.some((e) => e.name === 'pyvenv.cfg')) return [];
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (SKIP_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (!entry.isDirectory() && !(entry.isSymbolicLink() && isDir(full))) continue;
    const real = safeRealpath(full);
    // Never leave the folder we were started in through a symlink (a link to / would walk the machine).
    if (!real || seen.has(real) || !isInside(real, boundary)) continue;
    seen.add(real);
    out.push(full);
  }
  return out;
}

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function readText(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}
