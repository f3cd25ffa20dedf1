import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders that never hold the project's own code (dependencies, VCS, caches, builds of tools). */
export const SKIP_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', 'site-packages', 'dist-packages', '.venv', 'venv', 'env',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.idea', '.vscode', '.cache', 'htmlcov',
]);

/**
 * Non-Python files the analyzer reads: settings module declarations (test runner configs; `.env` files, compose
 * files and dev containers naming DJANGO_SETTINGS_MODULE) and pinned versions.
 */
const CONFIG_FILES = /^([\w.-]*requirements.*\.txt|[\w.-]*requirements.*\.in|pyproject\.toml|setup\.cfg|pytest\.ini|tox\.ini|Pipfile|\.env(\.[\w.-]+)?|(docker-)?compose([.-][\w.-]+)?\.ya?ml|\.?devcontainer\.json)$/;

/** How much one scan may read: a project folder holding a whole disk (or a link to one) is cut short, and reported. */
export interface ScanLimits {
  maxFiles: number;
  maxMs: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFiles: 50_000, maxMs: 10_000 };

export interface ProjectListing {
  /** Relative paths (with `/`) of every .py and config file found. */
  files: Set<string>;
  /** Relative paths of every folder walked ('' is the root). */
  dirs: Set<string>;
  /** Folders not walked and why (virtualenvs, symlink loops, links leaving the project, caps). */
  skippedDirs: Array<{ dir: string; reason: string }>;
  /** Files not listed and why (a symlink to a file outside the project). */
  skippedFiles?: Array<{ file: string; reason: string }>;
}

/**
 * Walks the project once. Follows symlinked folders and files only while they stay inside the project (its
 * real path), never the same real folder twice (loops), and stops at `limits` (files listed, time spent).
 */
export function scanProject(root: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): ProjectListing {
  const listing: ProjectListing = { files: new Set(), dirs: new Set(), skippedDirs: [], skippedFiles: [] };
  const rootReal = safeRealpath(root) ?? path.resolve(root);
  const seenReal = new Set<string>();
  // Each folder to walk with its real path when known: a folder entry that is not a symlink, inside a folder
  // whose real path is known, has that path plus its name (no realpath call, which stats every component).
  const stack: FolderToWalk[] = [{ rel: '', real: null }];
  const started = Date.now();
  while (stack.length) {
    const { rel, real: knownReal } = stack.pop() as FolderToWalk;
    const abs = rel ? path.join(root, rel) : root;
    const real = knownReal ?? safeRealpath(abs);
    if (!real || seenReal.has(real)) {
      listing.skippedDirs.push({ dir: rel, reason: real ? 'symlink to a folder already scanned (loop)' : 'unreadable' });
      continue;
    }
    if (!isInsideReal(real, rootReal)) {
      listing.skippedDirs.push({ dir: rel, reason: 'symlink to a folder outside the project (not followed)' });
      continue;
    }
    const over = listing.files.size >= limits.maxFiles ? `more than ${limits.maxFiles} files` : Date.now() - started > limits.maxMs ? `scan took over ${limits.maxMs / 1000} s` : null;
    if (over) {
      listing.skippedDirs.push({ dir: rel, reason: `not scanned: ${over} (${stack.length + 1} folder(s) left unread)` });
      break;
    }
    seenReal.add(real);
    const entries = safeReaddir(abs);
    if (!entries) {
      listing.skippedDirs.push({ dir: rel, reason: 'unreadable' });
      continue;
    }
    if (rel && entries.some((e) => e.name === 'pyvenv.cfg')) {
      listing.skippedDirs.push({ dir: rel, reason: 'virtualenv (pyvenv.cfg)' });
      continue;
    }
    listing.dirs.add(rel);
    for (const entry of entries) visitEntry(root, rootReal, rel, real, entry, listing, stack);
  }
  return listing;
}

interface FolderToWalk {
  rel: string;
  /** Its real path, or null to ask realpath (the root, symlinked folders). */
  real: string | null;
}

function visitEntry(root: string, rootReal: string, rel: string, real: string, entry: fs.Dirent, listing: ProjectListing, stack: FolderToWalk[]): void {
  const childRel = rel ? `${rel}/${entry.name}` : entry.name;
  let isDir = entry.isDirectory();
  let isFile = entry.isFile();
  const link = entry.isSymbolicLink();
  if (link) {
    const stat = safeStat(path.join(root, childRel));
    isDir = stat?.isDirectory() ?? false;
    isFile = stat?.isFile() ?? false;
  }
  if (isDir) {
    if (!SKIP_DIRS.has(entry.name)) stack.push({ rel: childRel, real: link ? null : path.join(real, entry.name) });
  } else if (isFile && (entry.name.endsWith('.py') || CONFIG_FILES.test(entry.name) || isRequirementsFolderFile(rel, entry.name))) {
    const real = link ? safeRealpath(path.join(root, childRel)) : null;
    if (link && (!real || !isInsideReal(real, rootReal))) listing.skippedFiles?.push({ file: childRel, reason: 'symlink to a file outside the project (not read)' });
    else listing.files.add(childRel);
  }
}

/** Whether a real path is the project's real root or inside it. */
export function isInsideReal(real: string, rootReal: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
}

/** requirements/base.txt, requirements/production.in: pins split by environment (also django-cms's test_requirements/). */
function isRequirementsFolderFile(rel: string, name: string): boolean {
  return rel.includes('requirements') && /(^|\/)[^/]*requirements[^/]*$/.test(rel) && /\.(txt|in)$/.test(name);
}

function safeRealpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function safeReaddir(p: string): fs.Dirent[] | null {
  try {
    return fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return null;
  }
}

function safeStat(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}
