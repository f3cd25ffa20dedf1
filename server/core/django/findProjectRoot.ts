import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIP_DIRS } from './scanProject';

export interface ProjectRoot {
  /** Absolute folder holding manage.py (the folder Django puts first on sys.path). */
  root: string;
  managePy: string | null;
}

const MAX_DEPTH = 4;
const SETTINGS_IN_CONFIG = /DJANGO_SETTINGS_MODULE/;

/**
 * Finds the Django project for `dir`: manage.py in it, else the shallowest manage.py below it (monorepos:
 * backend/, src/), else one in a parent folder; without manage.py, a folder whose pytest.ini / setup.cfg /
 * pyproject.toml names DJANGO_SETTINGS_MODULE.
 */
export function findProjectRoot(dir: string): ProjectRoot | null {
  const start = path.resolve(dir);
  if (isFile(path.join(start, 'manage.py'))) return { root: start, managePy: 'manage.py' };
  const below = findBelow(start);
  if (below) return { root: below, managePy: 'manage.py' };
  for (let parent = path.dirname(start), i = 0; parent !== path.dirname(parent) && i < 6; parent = path.dirname(parent), i++) {
    if (isFile(path.join(parent, 'manage.py'))) return { root: parent, managePy: 'manage.py' };
  }
  for (const name of ['pytest.ini', 'setup.cfg', 'pyproject.toml']) {
    const text = readText(path.join(start, name));
    if (text && SETTINGS_IN_CONFIG.test(text)) return { root: start, managePy: null };
  }
  return null;
}

/** Breadth-first, so `backend/manage.py` wins over `backend/tools/legacy/manage.py`. */
function findBelow(start: string): string | null {
  let level = [start];
  const seen = new Set<string>();
  for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const child of subdirs(dir, seen)) {
        if (isFile(path.join(child, 'manage.py'))) return child;
        next.push(child);
      }
    }
    level = next;
  }
  return null;
}

function subdirs(dir: string, seen: Set<string>): string[] {
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
    if (!real || seen.has(real)) continue;
    seen.add(real);
    out.push(full);
  }
  return out;
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
