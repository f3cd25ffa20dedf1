import * as path from 'node:path';
import type { ProjectFiles } from '../projectFiles';
import type { UnresolvedFact } from '../projectModel';
import type { SourceLocation } from '../projectModel';
import { classShape, type ClassShape } from '../python/classShape';
import { absoluteModule, moduleNameOf } from '../python/moduleNames';
import { isSettingsProperty, type Loc, type PyValue, type Stmt } from '../python/pyIr';
import { sysPathArgument } from '../sourceRoots';
import { configurationValue, nestedConfigurationValues } from './configurationValues';
import { parseCompound } from './compoundValue';
import { binary, dictGet, dottedName, envTest, evalValue, truthiness, type EvalContext } from './staticEval';

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
  /** The project function whose return value this is (`DATABASES = parse_db_settings(DATA_DIR)`). */
  calledFrom?: { name: string; file: string; line: number };
}

/** A value a setting takes in a branch on the environment that the static reading did not take. */
export interface Alternative extends Binding {
  condition: string;
  /** A settings file outside the project that runs after this binding and may replace it (AWX's `/etc/tower/conf.d/*.py`). */
  external?: string;
}

export interface SettingsRead {
  module: string;
  /** Settings files in merge order: a file is listed when it first binds a setting. */
  files: string[];
  values: Map<string, Binding>;
  /** Settings (DATABASES) bound differently in environment branches not taken, with each branch's condition. */
  alternatives: Map<string, Alternative[]>;
  unresolved: UnresolvedFact[];
  /** Folders the settings add to sys.path (`sys.path.insert(0, str(BASE_DIR / "apps"))`), absolute. */
  sysPath: string[];
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

/** A class defined in a module the settings executed: class-based settings are read from these. */
interface SettingsClass {
  stmt: Extract<Stmt, { k: 'class' }>;
  rel: string;
  /** The namespace of the module defining it (its globals). */
  module: Namespace;
  bases: SettingsClass[];
  /** Derives from django-configurations' Configuration. */
  configuration: boolean;
  /** Its attributes, its bases' included (first base wins), computed on first use. */
  attrs: Namespace | null;
  /** Decorators, annotated fields and method bodies, read from the syntax tree on first instantiation. */
  shape?: ClassShape | null;
}

/** An instance of a project class built in the settings (`PostgresConfig(dbname=...)`): its attributes. */
interface Instance {
  cls: SettingsClass;
  attrs: Map<string, PyValue>;
  /** How deep in branches not taken it was built: writes to `self.x` from deeper ones are not kept. */
  exploring: number;
}

type Def = Extract<Stmt, { k: 'def' }>;

const DATACLASS_DECORATORS = new Set(['dataclass', 'dataclasses.dataclass', 'attr.s', 'attrs.define', 'attrs.frozen', 'define', 'frozen']);

/** An UPPERCASE `@property` of a settings class: its body runs when the setting is read. */
interface SettingsProperty {
  def: Extract<Stmt, { k: 'def' }>;
  cls: SettingsClass;
}

/** Project functions called from the settings are followed this many calls deep. */
const MAX_CALL_DEPTH = 6;
/** Branches on the environment run on with the rest of their function at most this many times per reading. */
const MAX_FORKS = 48;

/** A running function or property: its return value once reached, under which conditions, and what branches not taken returned. */
interface Frame {
  value: PyValue | null;
  condition?: string;
  alternatives: Array<{ value: PyValue; condition: string }>;
}
/** `configuration` missing, `configuration_example` present: a module created from its template at install time. */
const TEMPLATE_SUFFIXES = ['_example', '_sample', '_template', '_dist'];

const CONFIGURATION_BASES = new Set(['configurations.Configuration', 'configurations.base.Configuration']);

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
  /** Classes and settings properties by the value their name is bound to (imports keep that identity). */
  private readonly classes = new WeakMap<PyValue, SettingsClass>();
  private readonly properties = new WeakMap<PyValue, SettingsProperty>();
  /** Module-level functions of executed modules: `DATABASES = setup_database()` runs one taking no arguments. */
  private readonly functions = new WeakMap<PyValue, { def: Extract<Stmt, { k: 'def' }>; rel: string; module: Namespace }>();
  private readonly calling = new Set<Stmt>();
  /** Instances of project classes, and their methods read as `obj.method` (called through callFunction). */
  private readonly instances = new WeakMap<PyValue, Instance>();
  private readonly boundMethods = new WeakMap<PyValue, { def: Def; cls: SettingsClass; self: PyValue }>();
  /** How many branches not taken are being explored (see Instance.exploring). */
  private exploring = 0;
  private readonly templatesUsed = new Set<string>();
  /** While a class body or property runs: the class defining it (`super()`) and the exported one (`self`). */
  private defining: SettingsClass | null = null;
  private instance: SettingsClass | null = null;
  /** The running function's or property's `return` value once reached (execution of its body stops there). */
  private frame: Frame | null = null;
  /**
   * Inside a function: what is left to run after the statement running now, per enclosing block (innermost
   * last). A branch on the environment not taken runs with it (a fork), so its `return` is known too.
   */
  private rest: Array<[Stmt[], number]> = [];
  private forks = 0;
  /**
   * At module level: other values a branch on the environment not taken gave a helper name (linkding's
   * `default_database = {...}` under `if LD_DB_ENGINE == "postgres"`, then `DATABASES = {"default": default_database}`),
   * per namespace, until the name is bound again unconditionally.
   */
  private readonly branchBindings = new WeakMap<Namespace, Map<string, Alternative[]>>();
  /** Values returned by project functions: under which condition, what other branches returned, and which function. */
  private readonly returns = new WeakMap<PyValue, { condition?: string; alternatives: Frame['alternatives']; from: { name: string; file: string; line: number } }>();
  private readonly evaluating = new Set<SettingsProperty>();
  /** Class-based settings exported into the settings module (`Cls.load_settings(__name__)`). */
  private exported = false;
  private readonly sysPath: string[] = [];

  constructor(private readonly project: ProjectFiles) {}

  /**
   * `configuration` is django-configurations' DJANGO_CONFIGURATION as the project declares it: the class of
   * the settings module whose attributes become the settings.
   */
  read(module: string, declaredIn: { file: string; line: number } | null, configuration: { name: string; declaredAt: SourceLocation } | null = null): SettingsRead {
    const rel = this.project.resolveModule(module);
    if (!rel) {
      const where = declaredIn ?? { file: '', line: 0 };
      this.unresolved.push({ ...where, message: `settings module ${module} is not a file in the project` });
      return { module, files: [], values: new Map(), alternatives: this.alternatives, unresolved: this.unresolved, sysPath: [] };
    }
    this.merged.add(rel);
    const values = this.execModule(rel);
    if (!this.exported) this.loadConfiguration(values, rel, configuration);
    return { module, files: this.settingsFiles(), values, alternatives: this.alternatives, unresolved: this.unresolved, sysPath: this.sysPath };
  }

  /**
   * django-configurations: the settings are the attributes of the class DJANGO_CONFIGURATION names. Without
   * it, a module with a single Configuration class is read from that one (said in `unresolved`).
   */
  private loadConfiguration(ns: Namespace, rel: string, configuration: { name: string; declaredAt: SourceLocation } | null): void {
    const candidates = [...ns].filter(([, b]) => this.classes.get(b.value)?.configuration && b.file === rel);
    if (!candidates.length) return;
    const named = configuration ? candidates.find(([name]) => name === configuration.name) : undefined;
    const names = candidates.map(([name]) => name).join(', ');
    if (configuration && !named) {
      const where = configuration.declaredAt;
      this.unresolved.push({ file: where.file, line: where.line, message: `DJANGO_CONFIGURATION names ${configuration.name}, which is not a Configuration class of ${rel} (${names}); the settings classes are not read` });
      return;
    }
    const chosen = named ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!chosen) {
      this.unresolved.push({ file: rel, line: 1, message: `DJANGO_CONFIGURATION is not set in manage.py, wsgi.py or asgi.py: cannot tell which settings class (${names}) runs` });
      return;
    }
    if (!named) this.unresolved.push({ file: rel, line: chosen[1].loc.line, message: `DJANGO_CONFIGURATION is not set in manage.py, wsgi.py or asgi.py; reading the only Configuration class, ${chosen[0]}` });
    this.exportClass(this.classes.get(chosen[1].value) as SettingsClass, ns);
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
    return {
      scope,
      fileAbs: path.join(this.project.root, rel),
      member: (obj, name) => this.member(obj, name, rel),
      call: (fn, args, kwargs) => this.callFunction(fn, args, kwargs),
    };
  }

  private exec(body: Stmt[], ns: Namespace, rel: string): void {
    const tracked = this.frame !== null;
    for (let i = 0; i < body.length; i++) {
      if (this.frame?.value !== undefined && this.frame.value !== null) return;
      if (tracked) this.rest.push([body, i + 1]);
      this.execStmt(body[i] as Stmt, ns, rel);
      if (tracked) this.rest.pop();
    }
  }

  /** The statements that run after the current one in the running function (see `rest`). */
  private continuation(): Stmt[] {
    const out: Stmt[] = [];
    for (let i = this.rest.length - 1; i >= 0; i--) {
      const [body, from] = this.rest[i] as [Stmt[], number];
      out.push(...body.slice(from));
    }
    return out;
  }

  /** Whether a branch not taken inside a function runs on with the rest of the function (bounded). */
  private canFork(): boolean {
    return this.frame !== null && this.forks < MAX_FORKS;
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
        return this.defineClass(stmt, ns, rel);
      case 'def': {
        const value: PyValue = { k: 'unknown', text: stmt.name };
        if (this.defining && stmt.body && isSettingsProperty(stmt.name, stmt.decorators)) this.properties.set(value, { def: stmt, cls: this.defining });
        else if (!this.defining && stmt.body) this.functions.set(value, { def: stmt, rel, module: ns });
        ns.set(stmt.name, { value, file: rel, loc: stmt.loc, valueLoc: stmt.loc });
        return;
      }
      case 'return':
        if (this.frame && this.frame.value === null) {
          this.frame.value = stmt.value ? evalValue(stmt.value, this.context(ns, rel)) : { k: 'none' };
          if (this.conditions.length) this.frame.condition = joinConditions(this.conditions);
        }
        return;
    }
  }

  private defineClass(stmt: Extract<Stmt, { k: 'class' }>, ns: Namespace, rel: string): void {
    const value: PyValue = { k: 'unknown', text: stmt.name };
    const ctx = this.context(ns, rel);
    const bases: SettingsClass[] = [];
    let configuration = false;
    for (const base of stmt.bases.map((b) => evalValue(b, ctx))) {
      const known = this.classes.get(base);
      if (known) bases.push(known);
      configuration ||= (known?.configuration ?? false) || CONFIGURATION_BASES.has((known ? this.qualifiedName(known) : dottedName(base)) ?? '');
    }
    this.classes.set(value, { stmt, rel, module: ns, bases, configuration, attrs: null });
    ns.set(stmt.name, { value, file: rel, loc: stmt.loc, valueLoc: stmt.loc });
  }

  /** `package.module.Class` of a class defined in the project. */
  private qualifiedName(cls: SettingsClass): string {
    return `${moduleNameOf(this.project.moduleRel(cls.rel))}.${cls.stmt.name}`;
  }

  /** A class's attributes: its bases' (first base wins), then its own body run with the module as globals. */
  private classAttrs(cls: SettingsClass): Namespace {
    if (cls.attrs) return cls.attrs;
    const attrs: Namespace = new Map();
    cls.attrs = attrs; // a cycle sees a partial class, as Python would fail on one anyway
    for (const base of [...cls.bases].reverse()) for (const [name, binding] of this.classAttrs(base)) attrs.set(name, binding);
    const local: Namespace = new Map(cls.module);
    const outer = { defining: this.defining, conditions: this.conditions, frame: this.frame, rest: this.rest };
    this.defining = cls;
    this.conditions = [];
    this.frame = null;
    this.rest = [];
    this.exec(cls.stmt.body, local, cls.rel);
    Object.assign(this, outer);
    for (const [name, binding] of local) if (cls.module.get(name) !== binding) attrs.set(name, binding);
    return attrs;
  }

  /** An attribute as `instance` reads it: a property runs its body; django-configurations values become env reads. */
  private attrValue(cls: SettingsClass, name: string): PyValue | undefined {
    const binding = this.classAttrs(cls).get(name);
    if (!binding) return undefined;
    const property = this.properties.get(binding.value);
    const value = property ? this.propertyValue(property) : binding.value;
    return configurationValue(name, value) ?? (cls.configuration ? nestedConfigurationValues(value) : null) ?? value;
  }

  /**
   * A project function called from the settings (`DATABASES = setup_database()`, `parse_db_settings(DATA_DIR)`,
   * `load_configuration(environ=os.environ)`), run like a property with its module as globals and its parameters
   * bound to the arguments (already evaluated: literals, environment reads with their defaults, paths) or their
   * defaults: its return value, or undefined (the call stays symbolic) when it returns nothing readable.
   * Recursion and calls nested deeper than MAX_CALL_DEPTH are not followed.
   */
  private callFunction(fn: PyValue, args: PyValue[] = [], kwargs: Record<string, PyValue> = {}): PyValue | undefined {
    const cls = this.classes.get(fn);
    if (cls) return this.instantiate(cls, fn, args, kwargs);
    const method = this.boundMethods.get(fn);
    const target = method ? { def: method.def, rel: method.cls.rel, module: method.cls.module } : this.functions.get(fn);
    if (!target?.def.body || this.calling.has(target.def) || target.def.decorators.length || this.calling.size >= MAX_CALL_DEPTH) return undefined;
    this.calling.add(target.def);
    const local: Namespace = new Map(target.module);
    if (method) {
      // `self` is the instance; the other parameters take the arguments.
      const [self, ...params] = target.def.params;
      if (!self || self.star) {
        this.calling.delete(target.def);
        return undefined;
      }
      local.set(self.name, { value: method.self, file: target.rel, loc: target.def.loc, valueLoc: target.def.loc });
      this.bindParams({ ...target.def, params }, args, kwargs, local, target.rel);
    } else this.bindParams(target.def, args, kwargs, local, target.rel);
    const outer = { defining: this.defining, conditions: this.conditions, frame: this.frame, rest: this.rest };
    const frame: Frame = { value: null, alternatives: [] };
    Object.assign(this, { defining: null, conditions: [], frame, rest: [] });
    this.exec(target.def.body, local, target.rel);
    Object.assign(this, outer);
    this.calling.delete(target.def);
    if (frame.value) {
      const from = { name: target.def.name, file: target.rel, line: target.def.loc.line };
      this.returns.set(frame.value, { condition: frame.condition, alternatives: frame.alternatives, from });
    }
    return frame.value ?? undefined;
  }

  /**
   * `Config(dbname=..., host=...)` for a project class that is a dataclass (its fields bound to the arguments,
   * then their defaults) or has an `__init__` (run with `self` the new instance, its `self.x = ...` kept) or has
   * only project bases: the instance, whose attributes and methods the settings then read (`.to_django_dict()`).
   * Undefined (the call stays symbolic) for other classes and django-configurations' classes.
   */
  private instantiate(cls: SettingsClass, fn: PyValue, args: PyValue[], kwargs: Record<string, PyValue>): PyValue | undefined {
    if (cls.configuration || this.qualifiedName(cls).startsWith('configurations.')) return undefined;
    const init = this.methodOf(cls, '__init__');
    const fields = init ? null : this.dataclassFields(cls);
    // With neither, the instance has only class attributes, unless a base outside the project has an `__init__`.
    if (!init && !fields && !this.projectBasesOnly(cls)) return undefined;
    const value: PyValue = { k: 'call', fn, args, kwargs };
    const instance: Instance = { cls, attrs: new Map(), exploring: this.exploring };
    this.instances.set(value, instance);
    if (fields) {
      const attrs = this.classAttrs(cls);
      fields.forEach((name, i) => {
        const given = i < args.length ? args[i] : kwargs[name];
        const declared = attrs.get(name)?.value;
        instance.attrs.set(name, given ?? (declared ? fieldDefault(declared) : { k: 'unknown', text: name }));
      });
    } else if (init) {
      const bound: PyValue = { k: 'unknown', text: `${cls.stmt.name}.__init__` };
      this.boundMethods.set(bound, { ...init, self: value });
      this.callFunction(bound, args, kwargs);
    }
    return value;
  }

  /** Whether every base of the class and of its bases is a project class (or `object`). */
  private projectBasesOnly(cls: SettingsClass, seen = new Set<SettingsClass>()): boolean {
    if (seen.has(cls)) return true;
    seen.add(cls);
    const declared = cls.stmt.bases.filter((b) => dottedName(b) !== 'object').length;
    return declared === cls.bases.length && cls.bases.every((base) => this.projectBasesOnly(base, seen));
  }

  /** The class's syntax-tree shape (see ClassShape), read once. */
  private shapeOf(cls: SettingsClass): ClassShape | null {
    if (cls.shape === undefined) {
      const text = this.project.text(cls.rel);
      const line = cls.stmt.loc.line;
      cls.shape = text === null ? null : this.project.syntaxFact(cls.rel, `classShape:${line}`, (root) => classShape(root, text, line), null);
    }
    return cls.shape;
  }

  /** A method defined in the class or a project base (depth first, as single inheritance resolves it). */
  private methodOf(cls: SettingsClass, name: string, seen = new Set<SettingsClass>()): { def: Def; cls: SettingsClass } | null {
    if (seen.has(cls)) return null;
    seen.add(cls);
    const own = this.shapeOf(cls)?.methods.find((m) => m.name === name);
    if (own) return { def: own, cls };
    for (const base of cls.bases) {
      const found = this.methodOf(base, name, seen);
      if (found) return found;
    }
    return null;
  }

  /** A dataclass's fields in `__init__` order (bases' first, a redefinition keeps its place); null when it is not one. */
  private dataclassFields(cls: SettingsClass, seen = new Set<SettingsClass>()): string[] | null {
    if (seen.has(cls)) return null;
    seen.add(cls);
    const shape = this.shapeOf(cls);
    const own = shape?.decorators.some((d) => DATACLASS_DECORATORS.has(dottedName(d.k === 'call' ? d.fn : d) ?? '')) ? shape.fields : null;
    const inherited = [...cls.bases].reverse().map((base) => this.dataclassFields(base, seen));
    if (!own && inherited.every((f) => f === null)) return null;
    const out: string[] = [];
    for (const name of [...inherited.flatMap((f) => f ?? []), ...(own ?? [])]) if (!out.includes(name)) out.push(name);
    return out;
  }

  /** Python's binding of a call's arguments: positional, then by keyword, then the defaults (evaluated in the function's module). */
  private bindParams(def: Extract<Stmt, { k: 'def' }>, args: PyValue[], kwargs: Record<string, PyValue>, local: Namespace, rel: string): void {
    const ctx = this.context(local, rel);
    const named = new Set(def.params.map((p) => p.name));
    let next = 0;
    for (const param of def.params) {
      let value: PyValue;
      if (param.star === '*') {
        value = { k: 'tuple', items: args.slice(next) };
        next = args.length;
      } else if (param.star === '**') {
        value = { k: 'dict', entries: Object.entries(kwargs).filter(([k]) => !named.has(k)).map(([k, v]) => [{ k: 'str', v: k }, v]) };
      } else if (next < args.length) value = args[next++] as PyValue;
      else value = kwargs[param.name] ?? (param.default ? evalValue(param.default, ctx) : { k: 'unknown', text: param.name });
      local.set(param.name, { value, file: rel, loc: def.loc, valueLoc: def.loc });
    }
  }

  private propertyValue(property: SettingsProperty): PyValue {
    const unknown: PyValue = { k: 'unknown', text: `${property.def.name} (a property)` };
    if (this.evaluating.has(property) || !property.def.body) return unknown;
    this.evaluating.add(property);
    const outer = { defining: this.defining, conditions: this.conditions, frame: this.frame, rest: this.rest };
    const frame: Frame = { value: null, alternatives: [] };
    Object.assign(this, { defining: property.cls, conditions: [], frame, rest: [] });
    this.exec(property.def.body, new Map(property.cls.module), property.cls.rel);
    Object.assign(this, outer);
    this.evaluating.delete(property);
    return frame.value ?? unknown;
  }

  /**
   * What evaluation cannot read alone: `Base.NAME` / `self.NAME` / `super().NAME` in class-based settings,
   * and `module.NAME` / `getattr(module, "NAME")` for a project module (executed like a star import).
   */
  private member(obj: PyValue, name: string, rel: string): PyValue | undefined {
    const instance = this.instances.get(obj);
    if (instance) return this.instanceMember(obj, instance, name);
    const isSelf = obj.k === 'ref' && obj.path.length === 1 && obj.path[0] === 'self';
    const cls = this.classes.get(obj) ?? (isSelf ? (this.instance ?? this.defining) : undefined);
    if (cls) return this.attrValue(cls, name);
    if (obj.k === 'call' && dottedName(obj.fn) === 'super' && this.defining) {
      for (const base of this.defining.bases) {
        const found = this.attrValue(base, name);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (obj.k !== 'ref' || isSelf) return undefined;
    const moduleRel = this.project.resolveModule(obj.path.join('.')) ?? this.templateModule(obj.path.join('.'), rel);
    if (!moduleRel || moduleRel === rel) return undefined;
    const found = this.execModule(moduleRel).get(name)?.value;
    // A class stays a name (`values.BooleanValue`, `Configuration`): when the library itself is a project
    // module (its own test project, installed with pip install -e), its names must still read as the library's.
    return found && this.classes.has(found) ? undefined : found;
  }

  /** `obj.name` of an instance: its attribute, else a method bound to it, else a class attribute. */
  private instanceMember(obj: PyValue, instance: Instance, name: string): PyValue | undefined {
    const own = instance.attrs.get(name);
    if (own) return own;
    const method = this.methodOf(instance.cls, name);
    if (method) {
      const bound: PyValue = { k: 'unknown', text: `${instance.cls.stmt.name}.${name}` };
      this.boundMethods.set(bound, { ...method, self: obj });
      return bound;
    }
    return this.attrValue(instance.cls, name);
  }

  /**
   * A configuration module the user creates from a template shipped beside it (NetBox: configuration.py from
   * configuration_example.py): read from the template when the module itself is missing, and said once.
   */
  private templateModule(module: string, rel: string): string | null {
    for (const suffix of TEMPLATE_SUFFIXES) {
      const template = this.project.resolveModule(`${module}${suffix}`);
      if (!template) continue;
      if (!this.templatesUsed.has(module)) {
        this.templatesUsed.add(module);
        this.unresolved.push({ file: rel, line: 1, message: `${module} is not in the project (it is created at install time); its settings are read from the template ${template}` });
      }
      return template;
    }
    return null;
  }

  /** Class-based settings exported into a module: every UPPERCASE attribute becomes a setting, properties run. */
  private exportClass(cls: SettingsClass, ns: Namespace): void {
    this.exported = true;
    const outer = this.instance;
    this.instance = cls;
    for (const [name, binding] of this.classAttrs(cls)) {
      if (!SETTING_NAME.test(name)) continue;
      const value = this.attrValue(cls, name) ?? binding.value;
      this.merged.add(binding.file);
      this.bind(ns, name, { ...binding, value }, binding.file);
    }
    this.instance = outer;
  }

  /**
   * Binds a name, noting the first time each file binds a setting (Django reads only UPPERCASE names).
   * Only files merged into the settings count as settings files (see settingsFiles): a helper module whose
   * names are imported by name (an enum, `from config.env import BASE_DIR, env`) is not one.
   */
  private bind(ns: Namespace, name: string, binding: Binding, rel: string): void {
    ns.set(name, this.conditions.length ? { ...binding, condition: joinConditions(this.conditions) } : binding);
    if (SETTING_NAME.test(name) && !this.files.includes(rel)) this.files.push(rel);
  }

  /** Settings files: those merged into the settings (star imports, include()) that bind a setting, in order. */
  private settingsFiles(): string[] {
    return this.files.filter((f) => this.merged.has(f));
  }

  private assign(stmt: Extract<Stmt, { k: 'assign' }>, ns: Namespace, rel: string): void {
    const value = evalValue(stmt.value, this.context(ns, rel));
    if (value.k === 'unknown' && this.canFork() && this.conditionalAssign(stmt, value, ns, rel)) return;
    const literalAt = literalSource(stmt.value, ns) ?? { file: rel, loc: stmt.valueLoc };
    const returned = this.returns.get(value);
    for (const target of stmt.targets) {
      if (target.k === 'ref' && target.path.length === 1) {
        const name = target.path[0] as string;
        const binding: Binding = { value, file: rel, loc: stmt.loc, valueLoc: stmt.valueLoc, literalAt, ...(returned ? { calledFrom: returned.from } : {}) };
        this.bind(ns, name, binding, rel);
        if (returned) this.returnedAlternatives(name, returned, ns, rel);
        if (!this.frame) this.followBranchBindings(name, stmt.value, ns, rel);
      } else if (target.k === 'ref' && target.path.length === 2) this.assignAttribute(target.path as [string, string], value, ns);
      else if (target.k === 'sub') this.assignSubscript(target, value, ns, rel);
      else if (target.k === 'tuple' || target.k === 'list') this.unpack(target.items, value, stmt, ns, rel);
    }
  }

  /** `self.x = value` on an instance (in `__init__`): kept, unless made in a branch not taken that the instance is older than. */
  private assignAttribute([name, attr]: [string, string], value: PyValue, ns: Namespace): void {
    const owner = ns.get(name)?.value;
    const instance = owner && this.instances.get(owner);
    if (instance && this.exploring <= instance.exploring) instance.attrs.set(attr, value);
  }

  /**
   * A setting assigned from a helper name a branch not taken bound otherwise: each such value is an alternative
   * under that branch's condition, and the value read takes the condition the helper was bound under. Any other
   * name bound unconditionally forgets its branch values.
   */
  private followBranchBindings(name: string, expr: PyValue, ns: Namespace, rel: string): void {
    const branches = this.branchBindings.get(ns);
    if (!branches?.size) return;
    if (!ALTERNATIVE_SETTINGS.includes(name)) {
      if (!this.conditions.length) branches.delete(name);
      return;
    }
    const used: string[] = [];
    collectNamesInValue(expr, used);
    const binding = ns.get(name) as Binding;
    for (const helper of new Set(used)) {
      const alternatives = branches.get(helper);
      if (!alternatives) continue;
      const helperCondition = ns.get(helper)?.condition;
      if (helperCondition) ns.set(name, { ...binding, condition: joinConditions([binding.condition ?? '', helperCondition]) });
      const list = this.alternatives.get(name) ?? [];
      for (const alt of alternatives) {
        const context = this.context(ns, rel);
        context.scope.set(helper, alt.value);
        list.push({ ...binding, value: evalValue(expr, context), condition: joinConditions([alt.condition, ...this.conditions]) });
      }
      this.alternatives.set(name, list);
    }
  }

  /**
   * `engine = "postgresql" if "DBHOST" in os.environ else "sqlite"` inside a function: read as the `if` it
   * means, so the branch not taken runs on with the rest of the function. False when the test is not one on
   * the environment.
   */
  private conditionalAssign(stmt: Extract<Stmt, { k: 'assign' }>, value: Extract<PyValue, { k: 'unknown' }>, ns: Namespace, rel: string): boolean {
    const c = parseCompound(value.text);
    if (c?.k !== 'ifexp') return false;
    const test = c.test;
    const tested = evalValue(test, this.context(ns, rel));
    if (!envCondition(test, tested) && !envTest(test, this.context(ns, rel))) return false;
    this.conditional({ k: 'if', test, body: [{ ...stmt, value: c.body }], orelse: [{ ...stmt, value: c.orelse }], loc: stmt.loc }, ns, rel);
    return true;
  }

  /**
   * A value a project function returned, with what its other branches returned: for DATABASES at module level,
   * each is an alternative (its condition kept); inside a function, the rest of the function runs with each.
   */
  private returnedAlternatives(name: string, returned: { condition?: string; alternatives: Frame['alternatives'] }, ns: Namespace, rel: string): void {
    if (!this.frame) {
      if (!ALTERNATIVE_SETTINGS.includes(name)) return;
      const binding = ns.get(name);
      if (binding && returned.condition) ns.set(name, { ...binding, condition: joinConditions([binding.condition ?? '', returned.condition]) });
      for (const alt of returned.alternatives) {
        const list = this.alternatives.get(name) ?? [];
        list.push({ ...(binding as Binding), value: alt.value, condition: alt.condition });
        this.alternatives.set(name, list);
      }
      return;
    }
    for (const alt of returned.alternatives) {
      if (!this.canFork()) return;
      const copy: Namespace = new Map(ns);
      const binding = ns.get(name) as Binding;
      copy.set(name, { ...binding, value: alt.value });
      this.explore(this.continuation(), copy, rel, alt.condition, true);
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
    const at = this.subscriptPath(target, ns, rel);
    const binding = at && ns.get(at.name);
    if (!at || !binding) return;
    this.bind(ns, at.name, { ...binding, value: setIn(binding.value, at.keys, value) }, rel);
  }

  /** `X["a"]["b"]` as the name X and its evaluated keys. */
  private subscriptPath(target: Extract<PyValue, { k: 'sub' }>, ns: Namespace, rel: string): { name: string; keys: PyValue[] } | null {
    const keys: PyValue[] = [];
    let node: PyValue = target;
    while (node.k === 'sub') {
      keys.unshift(evalValue(node.index, this.context(ns, rel)));
      node = node.obj;
    }
    return node.k === 'ref' && node.path.length === 1 ? { name: node.path[0] as string, keys } : null;
  }

  /**
   * `DATABASES["default"].update({"ENGINE": ...})` (NetBox fills a default engine this way). When the nested
   * value is not a dict known statically, the keys the update sets are still known: they are kept.
   */
  private nestedMethodCall(call: Extract<PyValue, { k: 'call' }>, fn: Extract<PyValue, { k: 'attr' }>, line: number, ns: Namespace, rel: string): void {
    const at = fn.obj.k === 'sub' ? this.subscriptPath(fn.obj, ns, rel) : null;
    const binding = at && ns.get(at.name);
    if (!at || !binding || !(LIST_METHODS.has(fn.name) || fn.name === 'update')) return;
    const ctx = this.context(ns, rel);
    const current = at.keys.reduce<PyValue | null>((v, key) => (v?.k === 'dict' ? dictGet(v, key) : null), binding.value);
    const base: PyValue = fn.name === 'update' && current?.k !== 'dict' ? { k: 'dict', entries: [] } : (current ?? { k: 'none' });
    const next = applyMethod(base, fn.name, call.args.map((a) => evalValue(a, ctx)));
    if (next) this.bind(ns, at.name, { ...binding, value: setIn(binding.value, at.keys, next) }, rel);
    else if (KEY_SETTINGS.has(at.name)) this.unresolved.push({ file: rel, line, message: `${at.name}[...].${fn.name}(...) could not be applied statically` });
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

  /**
   * `X.append(v)`, `.extend`, `.insert`, `.remove` on a list setting; `.update` on a dict (also `X["a"].update`);
   * split-settings' include(); `Settings.load_settings(__name__)`, which exports a settings class.
   */
  private methodCall(value: PyValue, line: number, ns: Namespace, rel: string): void {
    if (value.k === 'call' && value.fn.k === 'ref' && value.fn.path.length === 1 && importedAs(ns, value.fn.path[0] as string) === SPLIT_INCLUDE) {
      return this.include(value.args, line, ns, rel);
    }
    if (value.k === 'call' && value.args.some((a) => a.k === 'ref' && a.path.join('.') === '__name__')) {
      const owner = value.fn.k === 'ref' && value.fn.path.length === 2 ? ns.get(value.fn.path[0] as string)?.value : undefined;
      const cls = owner ? this.classes.get(owner) : undefined;
      if (cls) return this.exportClass(cls, ns);
    }
    if (value.k === 'call' && value.fn.k === 'attr' && value.fn.obj.k === 'sub') return this.nestedMethodCall(value, value.fn, line, ns, rel);
    const added = sysPathArgument(value);
    if (added) {
      const folder = evalValue(added, this.context(ns, rel));
      if (folder.k === 'path') this.sysPath.push(folder.abs);
      else if (folder.k === 'str' && path.isAbsolute(folder.v)) this.sysPath.push(folder.v);
      return;
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
    // `include(*base_settings)` (Tabbycat builds the list in branches on the environment): its items.
    const values = args.flatMap((arg) => {
      if (arg.k !== 'splat') return [evalValue(arg, ctx)];
      const inner = evalValue(arg.v, ctx);
      return inner.k === 'list' || inner.k === 'tuple' ? inner.items : [{ k: 'unknown' as const, text: `*${dottedName(inner) ?? '...'}` }];
    });
    for (const value of values) {
      const isOptional = value.k === 'call' && value.fn.k === 'ref' && value.fn.path.join('.') === SPLIT_OPTIONAL;
      const pattern = isOptional && value.k === 'call' ? value.args[0] : value;
      if (pattern?.k === 'str' && path.posix.isAbsolute(pattern.v)) {
        this.externalInclude(pattern.v, line, ns, rel);
        continue;
      }
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

  /**
   * `include(optional("/etc/tower/conf.d/*.py"))`: settings written at deploy time, outside the project. Said in
   * `unresolved`; DATABASES bound before it gets an alternative naming that file, so a SQLite default read in
   * the project is not taken for the only engine the project can run with.
   */
  private externalInclude(pattern: string, line: number, ns: Namespace, rel: string): void {
    this.unresolved.push({ file: rel, line, message: `include("${pattern}") reads settings from outside the project (written at deploy time); what they set is unknown` });
    const databases = ns.get('DATABASES');
    if (!databases) return;
    const list = this.alternatives.get('DATABASES') ?? [];
    const value: PyValue = { k: 'unknown', text: `set in ${pattern}` };
    list.push({ ...databases, value, file: rel, loc: { line, column: 1, endLine: line, endColumn: 1 }, condition: `${pattern} sets DATABASES`, external: pattern });
    this.alternatives.set('DATABASES', list);
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
    const module = absoluteModule(this.project.moduleRel(rel), stmt.level, stmt.module);
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
    const test = truthiness(value) ?? this.membership(stmt.test, ns);
    if (test === true) return this.exec(stmt.body, ns, rel);
    if (test === false) return this.exec(stmt.orelse, ns, rel);
    const known = envCondition(stmt.test, value);
    const tested = known ? null : envTest(stmt.test, this.context(ns, rel));
    const env = known ?? tested;
    if (env) {
      // Read as the code runs with the variable unset, as environment values are read as their defaults.
      const [taken, other] = env.whenUnset ? [stmt.body, stmt.orelse] : [stmt.orelse, stmt.body];
      const [ifTrue, ifFalse] = tested ? [tested.ifTrue, tested.ifFalse] : describeEnvTest(stmt.test, value, env.name);
      // A path already under a condition on this variable (a fork where it is set) decides the test.
      const decided = decidedBy(this.conditions, ifTrue, ifFalse);
      if (decided !== null) return this.exec(decided ? stmt.body : stmt.orelse, ns, rel);
      const [takenWhen, otherWhen] = env.whenUnset ? [ifTrue, ifFalse] : [ifFalse, ifTrue];
      // Inside a function the branch not taken runs on with the rest of the function, so what it returns is known.
      const fork = this.canFork();
      const kept = fork ? this.explore([...other, ...this.continuation()], new Map(ns), rel, otherWhen, true) : this.explore(other, ns, rel, otherWhen);
      this.reportSkipped(other, rel, `under a condition on the environment variable ${env.name} (line ${stmt.loc.line}), read as if ${env.name} is not set`, kept);
      this.conditions.push(takenWhen);
      this.exec(taken, ns, rel);
      this.conditions.pop();
      return;
    }
    // Which engine each branch would select is still worth knowing (NetBox: `if 'ENGINE' not in DATABASES[...]`).
    const when = conditionText(stmt.test, value);
    const kept = new Set([...this.explore(stmt.body, ns, rel, `${when} (line ${stmt.loc.line})`), ...this.explore(stmt.orelse, ns, rel, `not ${when} (line ${stmt.loc.line})`)]);
    this.reportSkipped([...stmt.body, ...stmt.orelse], rel, `under a condition known only at run time (line ${stmt.loc.line})`, kept);
  }

  /**
   * `"ENGINE" not in DATABASE` / `'x' in INSTALLED_APPS` / `"k" in X["a"]` (comparisons stay source text in
   * the IR): known when the container is a dict or list known statically; null otherwise.
   */
  private membership(test: PyValue, ns: Namespace): boolean | null {
    if (test.k !== 'unknown') return null;
    const m = /^(["'])([^"'\\]*)\1\s+(not\s+)?in\s+([A-Za-z_]\w*)((?:\[\s*(["'])[^"'\\]*\6\s*\])*)$/.exec(test.text.trim());
    if (!m?.[4]) return null;
    let container: PyValue | null = ns.get(m[4])?.value ?? null;
    for (const key of (m[5] ?? '').matchAll(/(["'])([^"'\\]*)\1/g)) container = container?.k === 'dict' ? dictGet(container, key[2] ?? '') : null;
    if (!container) return null;
    const item = m[2] ?? '';
    let found: boolean;
    if (container.k === 'dict') {
      found = dictGet(container, item) !== null;
      if (!found && container.entries.some(([key]) => key.k !== 'str')) return null;
    }
    else if (container.k === 'list' || container.k === 'tuple' || container.k === 'set') {
      if (!container.items.every((i) => i.k === 'str')) return null;
      found = container.items.some((i) => i.k === 'str' && i.v === item);
    } else return null;
    return m[3] ? !found : found;
  }

  /** Runs the try body; runs a handler only when the body star-imports a project module that does not exist. */
  private tryBlock(stmt: Extract<Stmt, { k: 'try' }>, ns: Namespace, rel: string): void {
    const missingImport = stmt.body.some(
      (s) => s.k === 'from' && s.level > 0 && !this.project.resolveModule(absoluteModule(this.project.moduleRel(rel), s.level, s.module)),
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
  private explore(body: Stmt[], ns: Namespace, rel: string, condition: string, fork = false): Set<string> {
    const copy: Namespace = new Map(ns);
    const saved = { unresolved: this.unresolved.length, files: [...this.files], merged: new Set(this.merged), frame: this.frame, rest: this.rest };
    // A `return` in a branch not taken must not end the function being run; it is what that branch returns.
    const inner: Frame | null = this.frame ? { value: null, alternatives: [] } : null;
    this.frame = inner;
    // A fork carries the rest of the function in `body` already.
    if (fork) {
      this.forks++;
      this.rest = [];
    }
    this.conditions.push(condition);
    this.exploring++;
    this.exec(body, copy, rel);
    this.exploring--;
    this.conditions.pop();
    this.frame = saved.frame;
    this.rest = saved.rest;
    if (saved.frame && inner) {
      if (inner.value) saved.frame.alternatives.push({ value: inner.value, condition: inner.condition ?? condition });
      saved.frame.alternatives.push(...inner.alternatives);
    }
    this.unresolved.length = saved.unresolved;
    this.files.splice(0, this.files.length, ...saved.files);
    this.merged.clear();
    for (const m of saved.merged) this.merged.add(m);
    const kept = new Set<string>();
    if (!saved.frame) this.keepBranchBindings(copy, ns, condition);
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

  /** Helper names (not settings) a module-level branch not taken bound otherwise: see branchBindings. */
  private keepBranchBindings(copy: Namespace, ns: Namespace, condition: string): void {
    const branches = this.branchBindings.get(ns) ?? new Map<string, Alternative[]>();
    for (const [name, binding] of copy) {
      if (binding === ns.get(name) || ALTERNATIVE_SETTINGS.includes(name) || SETTING_NAME.test(name)) continue;
      branches.set(name, [...(branches.get(name) ?? []), { ...binding, condition: binding.condition ?? condition }]);
    }
    if (branches.size) this.branchBindings.set(ns, branches);
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

/**
 * The conditions of a path as one: each part once; "DB is set" and "DB!=x" left out when "DB=postgres" says more. Parts are
 * the texts describeEnvTest / envTest give ("DB=postgres", "DB!=x", "DB is set", "DB is not set").
 */
function joinConditions(conditions: string[]): string {
  const parts = [...new Set(conditions.flatMap((c) => c.split(' and ')).filter(Boolean))];
  const valued = (name: string) => parts.some((q) => q.startsWith(`${name}=`));
  return parts
    .filter((p) => !(/ is set$/.test(p) && valued(p.slice(0, -' is set'.length))) && !(/^\w+!=/.test(p) && valued(p.slice(0, p.indexOf('!=')))))
    .join(' and ');
}

/** What the conditions of the path being read already say about a test described as [ifTrue, ifFalse]; null: nothing. */
function decidedBy(conditions: string[], ifTrue: string, ifFalse: string): boolean | null {
  const facts = new Set(conditions.flatMap((c) => c.split(' and ')));
  if (facts.has(ifTrue)) return true;
  if (facts.has(ifFalse)) return false;
  const name = /^(\w+)(?:=|!=| is set$| is not set$)/.exec(ifTrue)?.[1];
  if (!name) return null;
  const value = [...facts].find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
  const isSet = value !== undefined || facts.has(`${name} is set`);
  if (!isSet) return facts.has(`${name} is not set`) ? ifTrue === `${name} is not set` : null;
  if (ifTrue === `${name} is set`) return true;
  if (ifTrue === `${name} is not set`) return false;
  if (value === undefined) return null;
  if (ifTrue.startsWith(`${name}=`)) return ifTrue === `${name}=${value}`;
  if (ifTrue.startsWith(`${name}!=`)) return ifTrue !== `${name}!=${value}`;
  return null;
}

/** A condition as the user wrote it, for "PostgreSQL when ..." messages. */
function conditionText(test: PyValue, value: PyValue): string {
  if (test.k === 'unknown') return test.text;
  const name = dottedName(value) ?? dottedName(test);
  return name ?? 'a condition known only at run time';
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

/** A dataclass field's default as declared: `x: int = 1`, `field(default=...)`, `field(default_factory=dict)`. */
function fieldDefault(declared: PyValue): PyValue {
  if (declared.k !== 'call' || !/^(dataclasses\.)?field$/.test(dottedName(declared.fn) ?? '')) return declared;
  const { default: given, default_factory: factory } = declared.kwargs;
  if (given) return given;
  const made = factory ? dottedName(factory) : null;
  if (made === 'dict') return { k: 'dict', entries: [] };
  if (made === 'list' || made === 'tuple' || made === 'set') return { k: made, items: [] };
  return { k: 'unknown', text: 'field(...)' };
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

/** Every bare name an expression reads, dict values included. */
function collectNamesInValue(value: PyValue, out: string[]): void {
  if (value.k === 'dict') value.entries.forEach(([, v]) => collectNamesInValue(v, out));
  else if (value.k === 'list' || value.k === 'tuple' || value.k === 'set') value.items.forEach((item) => collectNamesInValue(item, out));
  else if (value.k === 'call') [...value.args, ...Object.values(value.kwargs)].forEach((arg) => collectNamesInValue(arg, out));
  else collectNames(value, out);
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
