import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UnresolvedFact } from './projectModel';
import { decodeSource } from './python/decodeSource';
import type { ModuleParser } from './python/moduleParser';
import type { ModuleIr } from './python/pyIr';
import { isInsideReal, scanProject, type ProjectListing } from './scanProject';

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
      let bytes: Buffer | null = null;
      if (!cached) {
        try {
          bytes = fs.readFileSync(path.join(this.root, rel));
        } catch {
          return new Set<string>();
        }
      }
      const text = cached?.ok ? cached.text : '';
      return new Set(PRESCAN_NEEDLES.filter((n) => (bytes ? bytes.includes(n) : text.includes(n))));
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

  /** `a.b` -> "a/b.py" or "a/b/__init__.py" when that file is in the project. */
  resolveModule(dotted: string): string | null {
    if (!dotted) return null;
    let known = this.resolved.get(dotted);
    if (known === undefined) {
      const base = dotted.replaceAll('.', '/');
      known = this.listing.files.has(`${base}.py`) ? `${base}.py` : this.listing.files.has(`${base}/__init__.py`) ? `${base}/__init__.py` : null;
      this.resolved.set(dotted, known);
    }
    return known;
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
    this.listing = scanProject(this.root);
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
    return decodeSource(fs.readFileSync(abs));
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}
