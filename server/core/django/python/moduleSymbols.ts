import type { ProjectFiles } from '../projectFiles';
import { absoluteModule, moduleNameOf } from './moduleNames';
import type { ModuleIr, PyValue, Stmt } from './pyIr';

export type ClassStmt = Extract<Stmt, { k: 'class' }>;

/** What a module-level name is bound to. Imports keep the full dotted path of what they import. */
export type ModuleSymbol =
  /** `sig`: 'import:<target>', what signature() compares (made once, not on every lookup). */
  | { k: 'import'; target: string; sig: string }
  | { k: 'class'; stmt: ClassStmt }
  | { k: 'value'; value: PyValue };

export interface ModuleSymbols {
  module: string;
  names: Map<string, ModuleSymbol>;
  /** Absolute modules star-imported, in order. */
  stars: string[];
}

/** The result of following a dotted name through imports and re-exports. */
export type Resolved =
  | { k: 'class'; rel: string; module: string; stmt: ClassStmt }
  | { k: 'value'; rel: string; value: PyValue }
  /** Not defined in the project (Django, a package): its canonical dotted name. */
  | { k: 'external'; name: string }
  | { k: 'missing'; name: string };

const cache = new WeakMap<ModuleIr, { moduleRel: string; symbols: ModuleSymbols }>();

/**
 * Module-level bindings (imports, classes, assignments), looking into if/try blocks as well. `moduleRel`: the
 * file's path below its source root (ProjectFiles.moduleRel), which its module name and relative imports read.
 */
export function moduleSymbols(ir: ModuleIr, rel: string, moduleRel: string = rel): ModuleSymbols {
  const known = cache.get(ir);
  // Keyed by the path the module name is read from: this runs on every name lookup, and the name costs a regex and a split.
  if (known?.moduleRel === moduleRel) return known.symbols;
  const symbols: ModuleSymbols = { module: moduleNameOf(moduleRel), names: new Map(), stars: [] };
  collect(ir.body, moduleRel, symbols);
  cache.set(ir, { moduleRel, symbols });
  return symbols;
}

function importSymbol(target: string): ModuleSymbol {
  return { k: 'import', target, sig: `import:${target}` };
}

/** `.b.c` for the path ['a', 'b', 'c']: what follows its first name ('' for one name). */
function tailOf(path: string[]): string {
  if (path.length === 1) return '';
  if (path.length === 2) return `.${path[1] as string}`;
  return `.${path.slice(1).join('.')}`;
}

function collect(body: Stmt[], rel: string, symbols: ModuleSymbols): void {
  for (const stmt of body) {
    if (stmt.k === 'import') {
      const name = stmt.alias ?? (stmt.module.split('.')[0] as string);
      symbols.names.set(name, importSymbol(stmt.alias ? stmt.module : name));
    } else if (stmt.k === 'from') {
      const module = absoluteModule(rel, stmt.level, stmt.module);
      if (stmt.names === '*') symbols.stars.push(module);
      else for (const { name, alias } of stmt.names) symbols.names.set(alias ?? name, importSymbol(`${module}.${name}`));
    } else if (stmt.k === 'class') {
      symbols.names.set(stmt.name, { k: 'class', stmt });
    } else if (stmt.k === 'assign') {
      for (const target of stmt.targets) {
        if (target.k === 'ref' && target.path.length === 1) symbols.names.set(target.path[0] as string, { k: 'value', value: stmt.value });
      }
    } else if (stmt.k === 'if') collect([...stmt.body, ...stmt.orelse], rel, symbols);
    else if (stmt.k === 'try') collect([...stmt.body, ...stmt.orelse], rel, symbols);
  }
}

/**
 * What a computation looked up: per module, each name (or '*' for the star-import list) and what it was
 * bound to then. Bindings compare by identity (class statements, values) or text (imports), so a result
 * stays valid while those bindings are the same objects, even when other parts of the module changed
 * (an edit in one chunk of a big models file leaves the other chunks' classes alone).
 */
export type Probes = Map<string, ModuleProbes>;

interface ModuleProbes {
  /** The module's symbol table when last checked: while it is the same object, nothing in it changed. */
  symbols: ModuleSymbols | null;
  names: Map<string, unknown>;
}

/**
 * Follows names across the project's modules: `auth_models.AbstractUser` in accounts/models.py becomes
 * django.contrib.auth.models.AbstractUser; `from .user import User` in a models package finds the class.
 */
export class NameResolver {
  /** Active dependency collectors: every lookup is recorded in each (see track()). */
  private readonly collectors: Probes[] = [];

  constructor(private readonly files: ProjectFiles) {}

  /** Runs `fn` and returns the lookups it made, so callers can cache its result and check it with fresh(). */
  track<T>(fn: () => T): { result: T; probes: Probes } {
    const probes: Probes = new Map();
    this.collectors.push(probes);
    try {
      return { result: fn(), probes };
    } finally {
      this.collectors.pop();
    }
  }

  /** Records the lookups of a cached computation into the computations running now. */
  addProbes(probes: Probes): void {
    for (const collector of this.collectors) {
      for (const [rel, probe] of probes) {
        const into = collector.get(rel);
        if (!into) collector.set(rel, { symbols: probe.symbols, names: new Map(probe.names) });
        else for (const [name, sig] of probe.names) into.names.set(name, sig);
      }
    }
  }

  /**
   * Whether every lookup would find the same binding now. A module whose symbol table is the same object
   * is skipped; one that was re-parsed is checked name by name (and remembered when all still match).
   */
  fresh(probes: Probes): boolean {
    for (const [rel, probe] of probes) {
      const symbols = this.symbolsOf(rel);
      if (symbols === probe.symbols) continue;
      for (const [name, sig] of probe.names) if (signature(symbols, name) !== sig) return false;
      probe.symbols = symbols;
    }
    return true;
  }

  private symbolsOf(rel: string): ModuleSymbols | null {
    const ir = this.files.module(rel);
    return ir ? moduleSymbols(ir, rel, this.files.moduleRel(rel)) : null;
  }

  /** A module's binding of `name` ('*': its star imports), recorded in the active collectors. */
  private lookup(rel: string, symbols: ModuleSymbols | null, name: string): void {
    if (!this.collectors.length) return;
    const sig = signature(symbols, name);
    for (const collector of this.collectors) {
      let probe = collector.get(rel);
      if (!probe) collector.set(rel, (probe = { symbols, names: new Map() }));
      probe.names.set(name, sig);
    }
  }

  /** A file's path below its source root, which its module name reads (ProjectFiles.moduleRel). */
  moduleRel(rel: string): string {
    return this.files.moduleRel(rel);
  }

  /** The canonical dotted name of a ref used inside module `rel`. */
  canonical(rel: string, path: string[]): string {
    const head = path[0];
    if (head === undefined) return '';
    const symbols = this.symbolsOf(rel);
    this.lookup(rel, symbols, head);
    const symbol = symbols?.names.get(head);
    const tail = tailOf(path);
    if (symbol?.k === 'import') return symbol.target + tail;
    if (symbol && symbols) return `${symbols.module}.${head}${tail}`;
    if (symbols?.stars.length) this.lookup(rel, symbols, '*');
    for (const star of symbols?.stars ?? []) {
      const starRel = this.files.resolveModule(star);
      const starSymbols = starRel ? this.symbolsOf(starRel) : null;
      if (!starRel || !starSymbols) continue;
      this.lookup(starRel, starSymbols, head);
      if (starSymbols.names.has(head)) return this.canonical(starRel, path);
    }
    return path.join('.');
  }

  /** Resolves a canonical dotted name to where it is defined. */
  resolve(fullName: string, depth = 0): Resolved {
    if (depth > 12) return { k: 'missing', name: fullName };
    // Longest module prefix first: `a.b.c.d` tries module `a.b.c` (name d), then `a.b` (name c, tail .d), then `a`.
    for (let dot = fullName.lastIndexOf('.'); dot > 0; dot = fullName.lastIndexOf('.', dot - 1)) {
      const rel = this.files.resolveModule(fullName.slice(0, dot));
      if (!rel) continue;
      const next = fullName.indexOf('.', dot + 1);
      const name = next === -1 ? fullName.slice(dot + 1) : fullName.slice(dot + 1, next);
      const found = this.lookupIn(rel, name, next === -1 ? '' : fullName.slice(next), depth);
      if (found) return found;
      return { k: 'missing', name: fullName };
    }
    return { k: 'external', name: fullName };
  }

  /** `name` in module `rel`, then `tail` ('.x.y', or '') below it. */
  private lookupIn(rel: string, name: string, tail: string, depth: number): Resolved | null {
    const symbols = this.symbolsOf(rel);
    this.lookup(rel, symbols, name);
    if (!symbols) return null;
    const symbol = symbols.names.get(name);
    if (symbol?.k === 'import') return this.resolve(symbol.target + tail, depth + 1);
    if (symbol?.k === 'class' && !tail) return { k: 'class', rel, module: symbols.module, stmt: symbol.stmt };
    if (symbol?.k === 'value' && !tail) return { k: 'value', rel, value: symbol.value };
    if (symbol) return null;
    if (symbols.stars.length) this.lookup(rel, symbols, '*');
    for (const star of symbols.stars) {
      const found = this.resolve(`${star}.${name}${tail}`, depth + 1);
      if (found.k !== 'missing' && !(found.k === 'external' && this.files.resolveModule(star))) return found;
    }
    return null;
  }
}

/** What a name is bound to, comparable with `===`: the class statement, the value object, the import's target. */
function signature(symbols: ModuleSymbols | null, name: string): unknown {
  if (!symbols) return null;
  if (name === '*') return symbols.stars.join(',');
  const symbol = symbols.names.get(name);
  if (!symbol) return undefined;
  if (symbol.k === 'class') return symbol.stmt;
  if (symbol.k === 'value') return symbol.value;
  return symbol.sig;
}
