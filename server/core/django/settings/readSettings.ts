import * as path from 'node:path';
import type { ProjectFiles } from '../projectFiles';
import type { UnresolvedFact } from '../projectModel';
import { absoluteModule } from '../python/moduleNames';
import type { Loc, PyValue, Stmt } from '../python/pyIr';
import { binary, dictGet, evalValue, truthiness, type EvalContext } from './staticEval';

/** Where a setting got its value: the last plain `NAME = ...` (mutations keep pointing at it). */
export interface Binding {
  value: PyValue;
  file: string;
  loc: Loc;
  valueLoc: Loc;
  /**
   * The list literal a human would edit to change this setting: the value itself when it is a literal
   * with strings, else the literal of the last setting it is built from (`A + B + LOCAL_APPS` -> LOCAL_APPS,
   * `[*INSTALLED_APPS]` -> the earlier INSTALLED_APPS).
   */
  literalAt?: { file: string; loc: Loc };
  /** Set when the binding was made inside a branch on the environment, e.g. "DB=postgres". */
  condition?: string;
}

/** A value a setting takes in a branch on the environment that the static reading did not take. */
export interface Alternative extends Binding {
  condition: string;
}

export interface SettingsRead {
  module: string;
  /** Settings files in merge order: a file is listed when it first binds a setting. */
  files: string[];
  values: Map<string, Binding>;
  /** Settings (DATABASES) bound differently in environment branches not taken, with each branch's condition. */
  alternatives: Map<string, Alternative[]>;
  unresolved: UnresolvedFact[];
}

/** Settings whose other values under environment switches are kept (the engine a configuration can select). */
const ALTERNATIVE_SETTINGS = ['DATABASES'];

/** Settings whose value Skene depends on: a change we cannot follow (an `if`, a loop) is reported. */
const KEY_SETTINGS = new Set([
  'INSTALLED_APPS', 'AUTH_USER_MODEL', 'DATABASES', 'EMAIL_BACKEND', 'DEFAULT_FROM_EMAIL', 'ANYMAIL', 'MIDDLEWARE',
  'TEMPLATES', 'TIME_ZONE', 'CELERY_BEAT_SCHEDULE', 'CELERY_BEAT_SCHEDULER', 'DEFAULT_AUTO_FIELD', 'MIGRATION_MODULES',
]);
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;
const LIST_METHODS = new Set(['append', 'extend', 'insert', 'remove']);

type Namespace = Map<string, Binding>;

/**
 * Executes a settings module statically: assignments, `+=`, list methods, star imports of other project
 * modules (relative or absolute), `try: from .local import *`, and `if` on values known statically.
 */
export class SettingsReader {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly running = new Set<string>();
  private readonly files: string[] = [];
  /** Modules executed as part of the settings: the settings module, what it star-imports or include()s. */
  private readonly merged = new Set<string>();
  private readonly unresolved: UnresolvedFact[] = [];
  /** Conditions of the environment branches being executed (innermost last). */
  private conditions: string[] = [];
  private readonly alternatives = new Map<string, Alternative[]>();

  constructor(private readonly project: ProjectFiles) {}

  read(module: string, declaredIn: { file: string; line: number } | null): SettingsRead {
    const rel = this.project.resolveModule(module);
    if (!rel) {
      const where = declaredIn ?? { file: '', line: 0 };
      this.unresolved.push({ ...where, message: `settings module ${module} is not a file in the project` });
      return { module, files: [], values: new Map(), alternatives: this.alternatives, unresolved: this.unresolved };
    }
    this.merged.add(rel);
    const values = this.execModule(rel);
    return { module, files: this.settingsFiles(), values, alternatives: this.alternatives, unresolved: this.unresolved };
  }

  private execModule(rel: string): Namespace {
    const cached = this.namespaces.get(rel);
    if (cached) return cached;
    const ns: Namespace = new Map();
    if (this.running.has(rel)) return ns; // import cycle: Python would see a half-built module too
    this.running.add(rel);
    // A module's own bindings do not depend on the branch that imported it first (it is cached for all).
    const outer = this.conditions;
    this.conditions = [];
    const ir = this.project.module(rel);
    if (ir) this.exec(ir.body, ns, rel);
    this.conditions = outer;
    this.running.delete(rel);
    this.namespaces.set(rel, ns);
    return ns;
  }

  private context(ns: Namespace, rel: string): EvalContext {
    const scope = new Map<string, PyValue>();
    for (const [name, binding] of ns) scope.set(name, binding.value);
    return { scope, fileAbs: path.join(this.project.root, rel) };
  }

  private exec(body: Stmt[], ns: Namespace, rel: string): void {
    for (const stmt of body) this.execStmt(stmt, ns, rel);
  }

  private execStmt(stmt: Stmt, ns: Namespace, rel: string): void {
    switch (stmt.k) {
      case 'assign':
        return this.assign(stmt, ns, rel);
      case 'augassign':
        return this.augAssign(stmt, ns, rel);
      case 'expr':
        return this.methodCall(stmt.value, stmt.loc.line, ns, rel);
      case 'import':
        return this.bindImport(stmt, ns, rel);
      case 'from':
        return this.fromImport(stmt, ns, rel);
      case 'if':
        return this.conditional(stmt, ns, rel);
      case 'try':
        return this.tryBlock(stmt, ns, rel);
      case 'block':
        return this.reportSkipped(stmt.body, rel, `inside a ${stmt.kind} block`);
      case 'class':
      case 'def':
        ns.set(stmt.name, { value: { k: 'unknown', text: stmt.name }, file: rel, loc: stmt.loc, valueLoc: stmt.loc });
        return;
    }
  }

  /**
   * Binds a name, noting the first time each file binds a setting (Django reads only UPPERCASE names).
   * Only files merged into the settings count as settings files (see settingsFiles): a helper module whose
   * names are imported by name (an enum, `from config.env import BASE_DIR, env`) is not one.
   */
  private bind(ns: Namespace, name: string, binding: Binding, rel: string): void {
    ns.set(name, this.conditions.length ? { ...binding, condition: this.conditions.join(' and ') } : binding);
    if (SETTING_NAME.test(name) && !this.files.includes(rel)) this.files.push(rel);
  }

  /** Settings files: those merged into the settings (star imports, include()) that bind a setting, in order. */
  private settingsFiles(): string[] {
    return this.files.filter((f) => this.merged.has(f));
  }

  private assign(stmt: Extract<Stmt, { k: 'assign' }>, ns: Namespace, rel: string): void {
    const value = evalValue(stmt.value, this.context(ns, rel));
    const literalAt = literalSource(stmt.value, ns) ?? { file: rel, loc: stmt.valueLoc };
    for (const target of stmt.targets) {
      if (target.k === 'ref' && target.path.length === 1) {
        this.bind(ns, target.path[0] as string, { value, file: rel, loc: stmt.loc, valueLoc: stmt.valueLoc, literalAt }, rel);
      } else if (target.k === 'sub') this.assignSubscript(target, value, ns, rel);
      else if (target.k === 'tuple' || target.k === 'list') this.unpack(target.items, value, stmt, ns, rel);
    }
  }

  private unpack(targets: PyValue[], value: PyValue, stmt: Extract<Stmt, { k: 'assign' }>, ns: Namespace, rel: string): void {
    const items = value.k === 'tuple' || value.k === 'list' ? value.items : [];
    targets.forEach((target, i) => {
      if (target.k !== 'ref' || target.path.length !== 1) return;
      const item = items.length === targets.length ? (items[i] as PyValue) : { k: 'unknown' as const, text: 'unpacked value' };
      this.bind(ns, target.path[0] as string, { value: item, file: rel, loc: stmt.loc, valueLoc: stmt.valueLoc }, rel);
    });
  }

  /** `DATABASES["default"]["ENGINE"] = ...`: rebuild the nested dicts with the new value. */
  private assignSubscript(target: Extract<PyValue, { k: 'sub' }>, value: PyValue, ns: Namespace, rel: string): void {
    const keys: PyValue[] = [];
    let node: PyValue = target;
    while (node.k === 'sub') {
      keys.unshift(evalValue(node.index, this.context(ns, rel)));
      node = node.obj;
    }
    if (node.k !== 'ref' || node.path.length !== 1) return;
    const name = node.path[0] as string;
    const binding = ns.get(name);
    if (!binding) return;
    this.bind(ns, name, { ...binding, value: setIn(binding.value, keys, value) }, rel);
  }

  private augAssign(stmt: Extract<Stmt, { k: 'augassign' }>, ns: Namespace, rel: string): void {
    if (stmt.target.k !== 'ref' || stmt.target.path.length !== 1) return;
    const name = stmt.target.path[0] as string;
    const binding = ns.get(name);
    const value = evalValue(stmt.value, this.context(ns, rel));
    const current: PyValue = binding?.value ?? { k: 'unknown', text: name };
    const op = stmt.op.replace('=', '');
    const next = binary(op, current, value);
    const kept = binding ?? { file: rel, loc: stmt.loc, valueLoc: stmt.valueLoc };
    this.bind(ns, name, { ...kept, value: next }, rel);
  }

  /** `X.append(v)`, `.extend`, `.insert`, `.remove` on a list setting; `.update` on a dict; split-settings' include(). */
  private methodCall(value: PyValue, line: number, ns: Namespace, rel: string): void {
    if (value.k === 'call' && value.fn.k === 'ref' && value.fn.path.length === 1 && importedAs(ns, value.fn.path[0] as string) === SPLIT_INCLUDE) {
      return this.include(value.args, line, ns, rel);
    }
    if (value.k !== 'call' || value.fn.k !== 'ref' || value.fn.path.length !== 2) return;
    const [name, method] = value.fn.path as [string, string];
    const binding = ns.get(name);
    if (!binding || !(LIST_METHODS.has(method) || method === 'update')) return;
    const ctx = this.context(ns, rel);
    const args = value.args.map((a) => evalValue(a, ctx));
    const next = applyMethod(binding.value, method, args);
    if (next) this.bind(ns, name, { ...binding, value: next }, rel);
    else if (KEY_SETTINGS.has(name)) this.unresolved.push({ file: rel, line, message: `${name}.${method}(...) could not be applied statically` });
  }

  /**
   * django-split-settings: `include("components/base.py", optional("local.py"), "apps/*.py")` runs those
   * files (relative to this one, globs sorted) in this module's namespace. Computed paths are reported.
   */
  private include(args: PyValue[], line: number, ns: Namespace, rel: string): void {
    const ctx = this.context(ns, rel);
    for (const arg of args) {
      const value = evalValue(arg, ctx);
      const isOptional = value.k === 'call' && value.fn.k === 'ref' && value.fn.path.join('.') === SPLIT_OPTIONAL;
      const pattern = isOptional && value.k === 'call' ? value.args[0] : value;
      if (pattern?.k !== 'str') {
        const text = value.k === 'unknown' ? ` (${value.text})` : '';
        this.unresolved.push({ file: rel, line, message: `include() of a computed path${text}; that settings file is not read` });
        continue;
      }
      const matches = this.matchIncluded(rel, pattern.v);
      if (!matches.length && !isOptional) this.unresolved.push({ file: rel, line, message: `include("${pattern.v}") matches no file in the project` });
      for (const file of matches) {
        this.merged.add(file);
        const ir = this.project.module(file);
        if (ir) this.exec(ir.body, ns, file);
      }
    }
  }

  /** Files matching an include() pattern relative to the including file (`*` and `?` within one folder). */
  private matchIncluded(rel: string, pattern: string): string[] {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), pattern));
    if (!/[*?[]/.test(target)) return this.project.has(target) ? [target] : [];
    const escaped = target.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    const re = new RegExp(`^${escaped}$`);
    return this.project.allFiles().filter((f) => re.test(f));
  }

  private bindImport(stmt: Extract<Stmt, { k: 'import' }>, ns: Namespace, rel: string): void {
    const name = stmt.alias ?? stmt.module.split('.')[0] ?? stmt.module;
    const target = stmt.alias ? stmt.module.split('.') : [name];
    ns.set(name, { value: { k: 'ref', path: target }, file: rel, loc: stmt.loc, valueLoc: stmt.loc });
  }

  private fromImport(stmt: Extract<Stmt, { k: 'from' }>, ns: Namespace, rel: string): void {
    const module = absoluteModule(rel, stmt.level, stmt.module);
    const targetRel = this.project.resolveModule(module);
    if (stmt.names === '*') {
      if (!targetRel) {
        this.unresolved.push({ file: rel, line: stmt.loc.line, message: `star import of ${module}, which is not in the project: its settings are unknown` });
        return;
      }
      if (this.merged.has(rel)) this.merged.add(targetRel);
      for (const [name, binding] of this.execModule(targetRel)) {
        if (!name.startsWith('_')) this.bind(ns, name, binding, binding.file);
      }
      return;
    }
    const source = targetRel ? this.execModule(targetRel) : null;
    for (const { name, alias } of stmt.names) {
      const from = source?.get(name);
      const submodule = this.project.resolveModule(`${module}.${name}`);
      const value: PyValue = from && !submodule ? from.value : { k: 'ref', path: [...module.split('.'), name] };
      ns.set(alias ?? name, { value, file: from?.file ?? rel, loc: from?.loc ?? stmt.loc, valueLoc: from?.valueLoc ?? stmt.loc });
    }
  }

  private conditional(stmt: Extract<Stmt, { k: 'if' }>, ns: Namespace, rel: string): void {
    const value = evalValue(stmt.test, this.context(ns, rel));
    const test = truthiness(value);
    if (test === true) return this.exec(stmt.body, ns, rel);
    if (test === false) return this.exec(stmt.orelse, ns, rel);
    const env = envCondition(stmt.test, value);
    if (env) {
      // Read as the code runs with the variable unset, as environment values are read as their defaults.
      const [taken, other] = env.whenUnset ? [stmt.body, stmt.orelse] : [stmt.orelse, stmt.body];
      const [ifTrue, ifFalse] = describeEnvTest(stmt.test, value, env.name);
      const [takenWhen, otherWhen] = env.whenUnset ? [ifTrue, ifFalse] : [ifFalse, ifTrue];
      const kept = this.explore(other, ns, rel, otherWhen);
      this.reportSkipped(other, rel, `under a condition on the environment variable ${env.name} (line ${stmt.loc.line}), read as if ${env.name} is not set`, kept);
      this.conditions.push(takenWhen);
      this.exec(taken, ns, rel);
      this.conditions.pop();
      return;
    }
    this.reportSkipped([...stmt.body, ...stmt.orelse], rel, `under a condition known only at run time (line ${stmt.loc.line})`);
  }

  /** Runs the try body; runs a handler only when the body star-imports a project module that does not exist. */
  private tryBlock(stmt: Extract<Stmt, { k: 'try' }>, ns: Namespace, rel: string): void {
    const missingImport = stmt.body.some(
      (s) => s.k === 'from' && s.level > 0 && !this.project.resolveModule(absoluteModule(rel, s.level, s.module)),
    );
    if (missingImport) {
      this.exec(stmt.handlers[0] ?? [], ns, rel);
    } else {
      this.exec(stmt.body, ns, rel);
      this.exec(stmt.orelse, ns, rel);
    }
    this.exec(stmt.final, ns, rel);
  }

  /**
   * Runs a branch not taken on a copy of the namespace, with no other effect, and keeps the values it gives
   * ALTERNATIVE_SETTINGS (with the branch's condition). Returns the names kept that way.
   */
  private explore(body: Stmt[], ns: Namespace, rel: string, condition: string): Set<string> {
    const copy: Namespace = new Map(ns);
    const saved = { unresolved: this.unresolved.length, files: [...this.files], merged: new Set(this.merged) };
    this.conditions.push(condition);
    this.exec(body, copy, rel);
    this.conditions.pop();
    this.unresolved.length = saved.unresolved;
    this.files.splice(0, this.files.length, ...saved.files);
    this.merged.clear();
    for (const m of saved.merged) this.merged.add(m);
    const kept = new Set<string>();
    for (const name of ALTERNATIVE_SETTINGS) {
      const binding = copy.get(name);
      if (!binding || binding === ns.get(name)) continue;
      const list = this.alternatives.get(name) ?? [];
      list.push({ ...binding, condition: binding.condition ?? condition });
      this.alternatives.set(name, list);
      kept.add(name);
    }
    return kept;
  }

  private reportSkipped(body: Stmt[], rel: string, why: string, understood: Set<string> = new Set()): void {
    for (const stmt of body) {
      const names = stmt.k === 'assign' ? stmt.targets : stmt.k === 'augassign' ? [stmt.target] : [];
      for (const target of names) {
        const name = target.k === 'ref' ? target.path[0] : target.k === 'sub' && target.obj.k === 'ref' ? target.obj.path[0] : undefined;
        if (name && KEY_SETTINGS.has(name) && !understood.has(name)) {
          this.unresolved.push({ file: rel, line: stmt.loc.line, message: `${name} is changed ${why}; that change is not applied` });
        }
      }
      if (stmt.k === 'if' || stmt.k === 'block' || stmt.k === 'try') {
        const inner = stmt.k === 'try' ? [...stmt.body, ...stmt.handlers.flat()] : stmt.k === 'if' ? [...stmt.body, ...stmt.orelse] : stmt.body;
        this.reportSkipped(inner, rel, why, understood);
      }
    }
  }
}

const SPLIT_INCLUDE = 'split_settings.tools.include';
const SPLIT_OPTIONAL = 'split_settings.tools.optional';

/** The dotted path a name was imported as in this namespace (`from split_settings.tools import include`). */
function importedAs(ns: Namespace, name: string): string | null {
  const value = ns.get(name)?.value;
  return value?.k === 'ref' ? value.path.join('.') : null;
}

/**
 * The condition an environment test states, as [when true, when false]: "DB=postgres" / "DB!=postgres",
 * "DB in (a, b)", "X is set" / "X is not set".
 */
function describeEnvTest(test: PyValue, value: PyValue, name: string): [string, string] {
  const set: [string, string] = [`${name} is set`, `${name} is not set`];
  if (value.k === 'env' || test.k !== 'unknown') return set;
  const m = /\)\s*(==|!=|not\s+in|in)\s*([\s\S]+)$/.exec(test.text);
  if (!m?.[1] || !m[2] || /^(["'])\w+\1\s+(not\s+)?in\s+os\.environ$/.test(test.text)) {
    return /\snot\s+in\s/.test(test.text) ? [set[1], set[0]] : set;
  }
  const values = [...m[2].matchAll(/(["'])([^"']*)\1/g)].map((x) => x[2] ?? '');
  const is = values.length === 1 && !m[1].endsWith('in') ? `${name}=${values[0]}` : `${name} in (${values.join(', ')})`;
  const isNot = values.length === 1 && !m[1].endsWith('in') ? `${name}!=${values[0]}` : `${name} not in (${values.join(', ')})`;
  return m[1] === '==' || m[1] === 'in' ? [is, isNot] : [isNot, is];
}

/**
 * A condition on an environment variable, and its value when the variable is unset: `"X" in os.environ`
 * (tree-sitter leaves comparisons as text), `os.environ.get("X")`, `env.bool("X", default=False)`...
 */
function envCondition(test: PyValue, value: PyValue): { name: string; whenUnset: boolean } | null {
  if (value.k === 'env') {
    const whenUnset = value.default ? truthiness(value.default) : false;
    return whenUnset === null ? null : { name: value.name, whenUnset };
  }
  if (test.k !== 'unknown') return null;
  const membership = /^(["'])(\w+)\1\s+(not\s+)?in\s+os\.environ$/.exec(test.text);
  if (membership?.[2]) return { name: membership[2], whenUnset: membership[3] !== undefined };
  return envComparison(test.text);
}

/**
 * `os.getenv("DB") == "postgres"`, `os.environ.get("DB", "sqlite") != "x"`, `os.getenv("DB") in ["mysql", ...]`:
 * the result with the variable unset (its default, or None).
 */
function envComparison(text: string): { name: string; whenUnset: boolean } | null {
  const m = /^os\.(?:getenv|environ\.get)\((["'])(\w+)\1(?:\s*,\s*(["'])([^"']*)\3)?\)\s*(==|!=|not\s+in|in)\s*([\s\S]+)$/.exec(text);
  if (!m?.[2] || !m[5] || !m[6]) return null;
  const unset = m[4] ?? null;
  const right = m[6].trim();
  const literal = /^(["'])([^"']*)\1$/.exec(right);
  const list = /^[[(]\s*((?:(["'])[^"']*\2\s*,?\s*)*)[\])]$/.exec(right);
  let equal: boolean;
  if ((m[5] === '==' || m[5] === '!=') && literal) equal = unset === literal[2];
  else if (m[5].endsWith('in') && list) equal = unset !== null && [...(list[1] ?? '').matchAll(/(["'])([^"']*)\1/g)].some((x) => x[2] === unset);
  else return null;
  return { name: m[2], whenUnset: m[5] === '==' || m[5] === 'in' ? equal : !equal };
}

function literalSource(value: PyValue, ns: Namespace): Binding['literalAt'] | null {
  if ((value.k === 'list' || value.k === 'tuple') && value.items.some((i) => i.k === 'str')) return null;
  const names: string[] = [];
  collectNames(value, names);
  for (let i = names.length - 1; i >= 0; i--) {
    const from = ns.get(names[i] as string)?.literalAt;
    if (from) return from;
  }
  return null;
}

function collectNames(value: PyValue, out: string[]): void {
  if (value.k === 'ref' && value.path.length === 1) out.push(value.path[0] as string);
  else if (value.k === 'bin') {
    collectNames(value.l, out);
    collectNames(value.r, out);
  } else if (value.k === 'list' || value.k === 'tuple' || value.k === 'set') value.items.forEach((item) => collectNames(item, out));
  else if (value.k === 'splat') collectNames(value.v, out);
  else if (value.k === 'call') value.args.forEach((arg) => collectNames(arg, out));
}

function applyMethod(current: PyValue, method: string, args: PyValue[]): PyValue | null {
  if (method === 'update') {
    const [other] = args;
    return current.k === 'dict' && other?.k === 'dict' ? { k: 'dict', entries: [...current.entries, ...other.entries] } : null;
  }
  if (current.k !== 'list') return null;
  const [first, second] = args;
  if (method === 'append' && first) return { k: 'list', items: [...current.items, first] };
  if (method === 'extend' && (first?.k === 'list' || first?.k === 'tuple')) return { k: 'list', items: [...current.items, ...first.items] };
  if (method === 'insert' && first?.k === 'num' && second) {
    const items = [...current.items];
    const at = first.v < 0 ? Math.max(0, items.length + first.v) : Math.min(first.v, items.length);
    items.splice(at, 0, second);
    return { k: 'list', items };
  }
  if (method === 'remove' && first) {
    const at = current.items.findIndex((item) => JSON.stringify(item) === JSON.stringify(first));
    return at === -1 ? current : { k: 'list', items: current.items.filter((_, i) => i !== at) };
  }
  return null;
}

function setIn(container: PyValue, keys: PyValue[], value: PyValue): PyValue {
  const [key, ...rest] = keys;
  if (!key) return value;
  if (container.k !== 'dict') return container;
  const existing = dictGet(container, key) ?? { k: 'dict', entries: [] };
  return { k: 'dict', entries: [...container.entries, [key, setIn(existing, rest, value)]] };
}
