import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileMentions, wordSet } from './fileBytes';
import type { UnresolvedFact } from './projectModel';
import { readSource } from './python/decodeSource';
import type { ModuleParser, SyntaxNode } from './python/moduleParser';
import type { ModuleIr } from './python/pyIr';
import { isInsideReal, scanProject, SKIP_DIRS, type ProjectListing } from './scanProject';

/** Which setter gave a source root (see ProjectFiles.setSourceRoots). */
export type SourceRootGroup = 'packaging' | 'settings';

/** Files read at the top of a source folder outside the root: what it declares it depends on. */
const OUTSIDE_CONFIG_FILES = /^(pyproject\.toml|setup\.cfg|setup\.py|Pipfile|[\w.-]*requirements[\w.-]*\.(txt|in))$/;

const isOutside = (rel: string): boolean => rel === '..' || rel.startsWith('../');

/** Words whole-project scans look for (detectStripe, detectCelery): one read per file answers them all. */
const PRESCAN_NEEDLES = ['stripe', 'Celery'];

type TextEntry = { ok: true; text: string; note: string | null } | { ok: false; reason: string };

/**
 * The project's files as the analyzer sees them: the listing from one scan, each file's text read at most
 * once, and each Python module parsed at most once per version (IR cached by path). Updates from file
 * watchers replace single entries; nothing else is re-read.
 */
export class ProjectFiles {
  private readonly texts = new Map<string, TextEntry>();
  private readonly modules = new Map<string, ModuleIr | null>();
  private listing: ProjectListing;
  /** Paths given by the editor with unsaved text: re-parses keep a tree for tree.edit. */
  private readonly edited = new Set<string>();
  /** Files directly inside each folder, built on first use, dropped when the listing changes. */
  private byDir: Map<string, string[]> | null = null;
  private sortedFiles: string[] | null = null;
  /** Dotted module name -> its file (or null), until the listing changes. */
  private readonly resolved = new Map<string, string | null>();
  /** Bumped on every change; `listingVersion` only when files appear or disappear (name resolution changes). */
  private readonly versions = new Map<string, number>();
  private listingVersionValue = 0;
  /**
   * The last IR of each file that parsed cleanly. When an edit breaks a file that once parsed, analysis keeps
   * reading this one (a half-typed settings.py must not switch the user model), and `stale` says so.
   */
  private readonly lastGood = new Map<string, ModuleIr>();
  /** Files read from their last good IR: the syntax error lines of their current text. */
  private readonly stale = new Map<string, number[]>();
  /** Per-file answers derived from the text (e.g. "imports stripe at line 3"), valid until the file changes. */
  private readonly textFacts = new Map<string, Map<string, unknown>>();
  /**
   * Where modules are found, as root-relative folders in search order: '' (the folder of manage.py, first on
   * Django's sys.path), then the folders of each group (see setSourceRoots). '../pkg' style entries lie
   * outside the root: only their packages are listed (scanOutside).
   */
  private sourceRoots: string[] = [''];
  private readonly rootGroups = new Map<SourceRootGroup, string[]>();
  private declarationFolders: string[] = [];

  constructor(
    readonly root: string,
    private readonly parser: ModuleParser,
    listing: ProjectListing = scanProject(root),
  ) {
    this.listing = listing;
  }

  has(rel: string): boolean {
    return this.listing.files.has(rel);
  }

  /** How many files were found and how many of them the analysis had to read (for the server's log). */
  counts(): { listed: number; read: number; parsed: number } {
    return { listed: this.listing.files.size, read: this.texts.size, parsed: this.modules.size };
  }

  hasDir(rel: string): boolean {
    return this.listing.dirs.has(rel);
  }

  /** Every listed file, sorted (the array is shared: do not mutate it). */
  allFiles(): string[] {
    this.sortedFiles ??= [...this.listing.files].sort();
    return this.sortedFiles;
  }

  /** Files directly inside `dir` ('' for the root), sorted. */
  filesIn(dir: string): string[] {
    if (!this.byDir) {
      this.byDir = new Map();
      for (const file of this.allFiles()) {
        const cut = file.lastIndexOf('/');
        const parent = cut === -1 ? '' : file.slice(0, cut);
        const list = this.byDir.get(parent);
        if (list) list.push(file);
        else this.byDir.set(parent, [file]);
      }
    }
    return this.byDir.get(dir) ?? [];
  }

  /** Changes each time the file changes (0 when never changed since the scan). */
  version(rel: string): number {
    return this.versions.get(rel) ?? 0;
  }

  get listingVersion(): number {
    return this.listingVersionValue;
  }

  /** A fact about a file (computed from its text, IR or bytes), cached until the file changes. */
  fact<T>(rel: string, name: string, compute: () => T): T {
    let facts = this.textFacts.get(rel);
    if (!facts) {
      facts = new Map();
      this.textFacts.set(rel, facts);
    }
    if (!facts.has(name)) facts.set(name, compute());
    return facts.get(name) as T;
  }

  /** A fact computed from a file's text, cached until the file changes. */
  textFact<T>(rel: string, name: string, compute: (text: string | null) => T): T {
    return this.fact(rel, name, () => compute(this.text(rel)));
  }

  /**
   * Whether the file's bytes contain `needle` (ASCII), cached until the file changes. Searches the raw bytes
   * without decoding or keeping them, so scanning every .py of a project for `import stripe` or `Celery(`
   * costs one read per file (all PRESCAN_NEEDLES are checked at once) and keeps a few booleans.
   */
  mentions(rel: string, needle: string): boolean {
    const found = this.fact(rel, 'mentions', () => {
      const cached = this.texts.get(rel);
      if (!cached) {
        try {
          return fileMentions(path.join(this.root, rel), PRESCAN_NEEDLES);
        } catch {
          return wordSet([]);
        }
      }
      const text = cached.ok ? cached.text : '';
      return wordSet(PRESCAN_NEEDLES.filter((n) => text.includes(n)));
    });
    if (PRESCAN_NEEDLES.includes(needle)) return found.has(needle);
    return this.text(rel)?.includes(needle) ?? false;
  }

  skippedDirs(): ProjectListing['skippedDirs'] {
    return this.listing.skippedDirs;
  }

  skippedFiles(): NonNullable<ProjectListing['skippedFiles']> {
    return this.listing.skippedFiles ?? [];
  }

  /** Whether `rel` really lies inside the project (no symlink on its way leads out of it). */
  private insideProject(rel: string): boolean {
    const rootReal = realpathOrNull(this.root) ?? this.root;
    // A new file may not exist yet: check the nearest folder that does.
    for (let p = path.join(this.root, rel); ; p = path.dirname(p)) {
      const real = realpathOrNull(p);
      if (real) return isInsideReal(real, rootReal);
      if (p === path.dirname(p)) return false;
    }
  }

  /** The file's text, or null when missing / binary / too large (see problems()). */
  text(rel: string): string | null {
    if (!this.listing.files.has(rel)) return null;
    let entry = this.texts.get(rel);
    if (!entry) {
      entry = readEntry(path.join(this.root, rel));
      this.texts.set(rel, entry);
    }
    return entry.ok ? entry.text : null;
  }

  /** The parsed module, or null when the file cannot be read as Python. Parsed once per version. */
  module(rel: string): ModuleIr | null {
    if (this.modules.has(rel)) return this.modules.get(rel) ?? null;
    const text = this.text(rel);
    let ir = text === null ? null : this.parser.parse(rel, text, this.edited.has(rel));
    const good = this.lastGood.get(rel);
    if (ir?.errorLines.length && good) {
      this.stale.set(rel, ir.errorLines);
      ir = good;
    } else if (ir && !ir.errorLines.length) {
      this.lastGood.set(rel, ir);
      this.stale.delete(rel);
    }
    this.modules.set(rel, ir);
    return ir;
  }

  /**
   * Which of `needles` (ASCII words) the file's bytes contain, cached until the file changes. Like `mentions`,
   * reads a file that is not cached without keeping its text: a whole-project scan (which files name a model)
   * costs one read per file and a small set per file.
   */
  bytesMention(rel: string, needles: readonly string[]): ReadonlySet<string> {
    return this.fact(rel, `bytes:${needles.join('|')}`, () => {
      const cached = this.texts.get(rel);
      if (cached) return wordSet(cached.ok ? needles.filter((n) => cached.text.includes(n)) : []);
      try {
        return fileMentions(path.join(this.root, rel), needles);
      } catch {
        return wordSet([]);
      }
    });
  }

  /**
   * A fact computed from the file's tree-sitter syntax tree (function bodies included, which the module IR drops),
   * cached until the file changes. The tree is deleted afterwards: `compute` must return plain data.
   */
  syntaxFact<T>(rel: string, name: string, compute: (root: SyntaxNode) => T, fallback: T): T {
    return this.fact(rel, `syntax:${name}`, () => {
      const text = this.text(rel);
      return text === null ? fallback : this.parser.withTree(text, compute);
    });
  }

  /** Files whose facts come from their last good reading (they no longer parse), with the first error line. */
  staleReadings(): Array<{ file: string; line: number }> {
    return [...this.stale].map(([file, lines]) => ({ file, line: lines[0] ?? 1 })).sort((a, b) => (a.file < b.file ? -1 : 1));
  }

  /**
   * Parses only the head of a file, up to the first line matching `stopAt` (a migration's `operations = [`,
   * often most of the file). Falls back to the whole module if the cut text does not parse cleanly.
   */
  moduleHead(rel: string, stopAt: RegExp): ModuleIr | null {
    const key = `${rel}#head`;
    if (this.modules.has(key)) return this.modules.get(key) ?? null;
    const text = this.text(rel);
    const cut = text === null ? -1 : text.search(stopAt);
    let ir = text === null || cut <= 0 ? this.module(rel) : this.parser.parse(key, text.slice(0, cut), this.edited.has(rel));
    if (ir?.errorLines.length && cut > 0) ir = this.module(rel);
    this.modules.set(key, ir);
    return ir;
  }

  /** `a.b` -> "a/b.py" or "a/b/__init__.py" (under the first source root holding it) when that file is listed. */
  resolveModule(dotted: string): string | null {
    if (!dotted) return null;
    let known = this.resolved.get(dotted);
    if (known === undefined) {
      known = null;
      const base = dotted.replaceAll('.', '/');
      for (const prefix of this.sourceRoots) {
        const at = this.underRoot(prefix ? `${prefix}/${base}` : base);
        known = this.listing.files.has(`${at}.py`) ? `${at}.py` : this.listing.files.has(`${at}/__init__.py`) ? `${at}/__init__.py` : null;
        if (known) break;
      }
      this.resolved.set(dotted, known);
    }
    return known;
  }

  /**
   * A path through a source root above the root that comes back into it (ArchiveBox: manage.py in the package
   * `archivebox/`, the repository root a source root, apps named `archivebox.core`) as the root-relative path
   * the listing has it under: "../archivebox/core" -> "core". Other paths unchanged.
   */
  private underRoot(at: string): string {
    if (!at.startsWith('../')) return at;
    const rel = path.relative(this.root, path.resolve(this.root, at)).split(path.sep).join('/');
    return rel.startsWith('..') || path.isAbsolute(rel) ? at : rel;
  }

  /** The folder of package `a.b` (a regular package, or a namespace package: a folder) under the first source root holding it. */
  packageDir(dotted: string): string | null {
    const base = dotted.replaceAll('.', '/');
    for (const prefix of this.sourceRoots) {
      const at = this.underRoot(prefix ? `${prefix}/${base}` : base);
      if (this.listing.files.has(`${at}/__init__.py`) || this.listing.dirs.has(at)) return at;
    }
    return null;
  }

  /**
   * A file's path as its module name reads it: relative to the source root it was found under
   * ("../src/shop/models.py" -> "shop/models.py"). A source root that is itself a package (`apps/` with an
   * __init__.py) keeps its prefix: its modules are importable by their full name.
   */
  moduleRel(rel: string): string {
    let best = '';
    for (const prefix of this.sourceRoots) {
      if (prefix && prefix.length > best.length && rel.startsWith(`${prefix}/`) && !this.listing.files.has(`${prefix}/__init__.py`)) best = prefix;
    }
    return best ? rel.slice(best.length + 1) : rel;
  }

  /**
   * Sets the extra folders Python finds modules in (absolute paths), by group: 'packaging' (sys.path edits of
   * manage.py, the repository root or src/ of a package installed with pip install -e) and 'settings'
   * (sys.path edits the settings make). A change re-resolves every module name; folders outside the root are
   * listed (their packages only).
   */
  setSourceRoots(group: SourceRootGroup, folders: string[]): void {
    const rels = [...new Set(folders.map((abs) => path.relative(this.root, abs).split(path.sep).join('/')).filter((rel) => rel !== ''))];
    const before = this.rootGroups.get(group) ?? [];
    if (rels.length === before.length && rels.every((r, i) => r === before[i])) return;
    this.rootGroups.set(group, rels);
    const outsideBefore = this.sourceRoots.filter(isOutside);
    this.sourceRoots = ['', ...new Set([...(this.rootGroups.get('packaging') ?? []), ...(this.rootGroups.get('settings') ?? [])])];
    const outsideNow = this.sourceRoots.filter(isOutside);
    if (outsideNow.join('\n') !== outsideBefore.join('\n')) this.listing = this.withOutside(scanProject(this.root));
    this.listingChanged();
  }

  /**
   * Folders above the root whose packaging files declare the project's dependencies (manage.py in src/, the
   * pyproject.toml at the repository root): only those files are listed, as `../pyproject.toml`.
   */
  setDeclarationFolders(folders: string[]): void {
    const rels = [...new Set(folders.map((abs) => path.relative(this.root, abs).split(path.sep).join('/')).filter(isOutside))];
    if (rels.join('\n') === this.declarationFolders.join('\n')) return;
    this.declarationFolders = rels;
    this.listing = this.withOutside(scanProject(this.root));
    this.listingChanged();
  }

  /** The source roots besides the root ('src', '../'), for the model. */
  extraSourceRoots(): string[] {
    return this.sourceRoots.slice(1);
  }

  /**
   * Adds the packages of the source roots outside the root to a listing of the root: each folder of theirs with an
   * __init__.py (not the one holding the root), prefixed with its relative path, and their packaging files.
   */
  private withOutside(listing: ProjectListing): ProjectListing {
    for (const prefix of this.declarationFolders) {
      let names: string[];
      try {
        names = fs.readdirSync(path.resolve(this.root, prefix));
      } catch {
        continue;
      }
      for (const name of names) if (OUTSIDE_CONFIG_FILES.test(name)) listing.files.add(`${prefix}/${name}`);
    }
    for (const prefix of this.sourceRoots.filter(isOutside)) {
      const abs = path.resolve(this.root, prefix);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(abs, { withFileTypes: true });
      } catch {
        listing.skippedDirs.push({ dir: prefix, reason: 'source folder unreadable' });
        continue;
      }
      for (const entry of entries) {
        const childAbs = path.join(abs, entry.name);
        if (entry.isFile() && OUTSIDE_CONFIG_FILES.test(entry.name)) listing.files.add(`${prefix}/${entry.name}`);
        if (!entry.isDirectory() || SKIP_DIRS.has(entry.name) || !fs.existsSync(path.join(childAbs, '__init__.py'))) continue;
        if (!path.relative(childAbs, this.root).startsWith('..')) continue; // the folder holding the project: listed already
        const sub = scanProject(childAbs);
        const at = `${prefix}/${entry.name}`;
        listing.dirs.add(at);
        for (const dir of sub.dirs) if (dir) listing.dirs.add(`${at}/${dir}`);
        for (const file of sub.files) listing.files.add(`${at}/${file}`);
        for (const skipped of sub.skippedDirs) listing.skippedDirs.push({ dir: `${at}/${skipped.dir}`, reason: skipped.reason });
      }
    }
    return listing;
  }

  /** Records a change from a watcher or an editor buffer. `text` undefined re-reads from disk. */
  update(rel: string, change: { text?: string; deleted?: boolean }): void {
    // A watcher or editor may name a file through a symlink leading out of the project: never read it.
    if (!change.deleted && !this.listing.files.has(rel) && !this.insideProject(rel)) return;
    this.modules.delete(rel);
    this.modules.delete(`${rel}#head`);
    this.texts.delete(rel);
    this.textFacts.delete(rel);
    this.versions.set(rel, this.version(rel) + 1);
    if (change.deleted || !this.listing.files.has(rel)) this.listingChanged();
    if (change.deleted) {
      this.lastGood.delete(rel);
      this.stale.delete(rel);
      this.listing.files.delete(rel);
      this.parser.forget(rel);
      this.edited.delete(rel);
      return;
    }
    this.listing.files.add(rel);
    for (let dir = path.posix.dirname(rel); dir !== '.'; dir = path.posix.dirname(dir)) this.listing.dirs.add(dir);
    if (change.text !== undefined) {
      this.texts.set(rel, { ok: true, text: change.text, note: null });
      this.edited.add(rel);
    }
  }

  /** Re-walks the folders (a folder was created, deleted or renamed). Cached parses stay valid. */
  rescan(): void {
    this.listing = this.withOutside(scanProject(this.root));
    this.listingChanged();
  }

  private listingChanged(): void {
    this.resolved.clear();
    this.byDir = null;
    this.sortedFiles = null;
    this.listingVersionValue++;
  }

  dispose(): void {
    this.parser.dispose();
  }

  /** Files that were read but could not be used fully: skipped ones and ones with a caveat. */
  problems(): { skipped: UnresolvedFact[]; notes: UnresolvedFact[] } {
    const skipped: UnresolvedFact[] = [];
    const notes: UnresolvedFact[] = [];
    for (const [file, entry] of this.texts) {
      if (!this.listing.files.has(file)) continue;
      if (!entry.ok) skipped.push({ file, line: 1, message: `skipped: ${entry.reason}` });
      else if (entry.note) notes.push({ file, line: 1, message: entry.note });
    }
    for (const [file, ir] of this.modules) {
      const staleLines = this.stale.get(file);
      if (staleLines && !file.endsWith('#head')) {
        notes.push({ file, line: staleLines[0] ?? 1, message: `syntax error (lines ${staleLines.join(', ')}); Skene keeps the last good reading of this file` });
      } else if (ir?.errorLines.length && !file.endsWith('#head')) {
        notes.push({ file, line: ir.errorLines[0] ?? 1, message: `syntax error (lines ${ir.errorLines.join(', ')}); facts read around it may be incomplete` });
      }
    }
    const byPlace = (a: UnresolvedFact, b: UnresolvedFact) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
    return { skipped: skipped.sort(byPlace), notes: notes.sort(byPlace) };
  }
}

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function readEntry(abs: string): TextEntry {
  try {
    return readSource(abs);
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
