import * as path from 'node:path';
import type { PyValue } from '../python/pyIr';
import { parseCompound, type Compound } from './compoundValue';

/** Names bound while executing a module statically. Import names are bound to refs of their full dotted path. */
export type Scope = Map<string, PyValue>;

export interface EvalContext {
  scope: Scope;
  /** Absolute path of the file being executed (what `__file__` means). */
  fileAbs: string;
  /**
   * An attribute the caller can read that plain evaluation cannot: a class attribute of a settings class
   * (`Base.INSTALLED_APPS`, `self.DEBUG`, `super().MIDDLEWARE`) or a name of a project module
   * (`configuration.DATABASES`). Undefined: not known, the attribute stays symbolic.
   */
  member?: (obj: PyValue, name: string) => PyValue | undefined;
  /** A call the caller can run statically (a project function taking no arguments); undefined otherwise. */
  call?: (fn: PyValue, args: PyValue[], kwargs: Record<string, PyValue>) => PyValue | undefined;
}

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault', 'decouple.config']);
const ENV_OBJECT_TYPES = new Set(['environ.Env', 'environ.environ.Env', 'environ.FileAwareEnv', 'environ.environ.FileAwareEnv']);
/** `cast=` of an environment read that parses a database URL (python-decouple's `config("DATABASE_URL", cast=db_url)`). */
const DB_URL_CASTS = new Set(['dj_database_url.parse', 'dj_database_url.config']);
const ENV_DB_METHODS = new Set(['db', 'db_url', 'database_url']);
const PATH_SAME = new Set(['resolve', 'absolute', 'expanduser', 'os.path.abspath', 'os.path.realpath', 'os.path.normpath', 'str']);

/** Evaluates an expression as far as static reading allows; what cannot be known stays as ref/call/unknown. */
export function evalValue(value: PyValue, ctx: EvalContext): PyValue {
  switch (value.k) {
    case 'ref':
      return evalRef(value.path, ctx);
    case 'attr':
      return memberOf(evalValue(value.obj, ctx), value.name, ctx);
    case 'list':
    case 'tuple':
    case 'set':
      return { k: value.k, items: evalItems(value.items, ctx) };
    case 'dict':
      return evalDict(value.entries, ctx);
    case 'call':
      return evalCall(value, ctx);
    case 'bin':
      return binary(value.op, evalValue(value.l, ctx), evalValue(value.r, ctx));
    case 'sub':
      return subscript(evalValue(value.obj, ctx), evalValue(value.index, ctx));
    case 'unknown': {
      const formatted = formatString(value.text, ctx);
      if (formatted) return formatted;
      const compound = value.text ? parseCompound(value.text) : null;
      return compound ? evalCompound(compound, value, ctx) : value;
    }
    default:
      return value;
  }
}

const F_STRING = /^[fF](?:[rR])?(["'])((?:(?!\1)[^\\\n])*)\1$/;

/**
 * `f"app.settings.{environment}"` whose fields are plain names (or dotted) bound to strings: that string
 * (LibrePhotos names its settings module this way). Anything else in a field (calls, format specs,
 * conversions) leaves the f-string unknown; null when it is not such a string.
 */
function formatString(text: string, ctx: EvalContext): PyValue | null {
  const m = F_STRING.exec(text);
  if (!m) return null;
  let known = true;
  const out = (m[2] ?? '').replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (field === undefined) return whole[0] as string;
    const name = field.trim();
    const value = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(name) ? evalRef(name.split('.'), ctx) : null;
    if (value?.k !== 'str') known = false;
    return value?.k === 'str' ? value.v : '';
  });
  return known ? { k: 'str', v: out } : null;
}

/**
 * `a or b`, `a and b`, `x if t else y`, `not x`, comparisons: their value when the operands decide it. An
 * environment read with no default or a falsy one, `os.getenv("E") or "x"` (and `E if E else "x"`), is that
 * variable with the default "x"; `os.getenv("A") and ...` reads as a test of A. Otherwise the text stays.
 */
function evalCompound(c: Compound, original: PyValue, ctx: EvalContext): PyValue {
  if (c.k === 'ifexp') {
    const test = evalValue(c.test, ctx);
    const known = truthiness(test);
    if (known !== null) return evalValue(known ? c.body : c.orelse, ctx);
    if (test.k !== 'env') return original;
    const body = evalValue(c.body, ctx);
    return body.k === 'env' && body.name === test.name ? { k: 'env', name: test.name, default: evalValue(c.orelse, ctx) } : original;
  }
  if (c.k === 'not') {
    const known = truthiness(evalValue(c.v, ctx));
    return known === null ? original : { k: 'bool', v: !known };
  }
  if (c.k !== 'cmp') return evalBool(c.k, c.items, original, ctx);
  const result = compare(c.op, evalValue(c.l, ctx), evalValue(c.r, ctx));
  return result === null ? original : { k: 'bool', v: result };
}

function evalBool(op: 'or' | 'and', items: PyValue[], original: PyValue, ctx: EvalContext): PyValue {
  const [first, ...rest] = items;
  if (!first) return original;
  const value = evalValue(first, ctx);
  if (!rest.length) return value;
  const known = truthiness(value);
  if (known !== null) return known === (op === 'or') ? value : evalBool(op, rest, original, ctx);
  if (value.k !== 'env' || truthiness(value.default ?? { k: 'none' }) !== false) return value.k === 'env' ? value : original;
  if (op === 'and') return value;
  return { k: 'env', name: value.name, default: evalBool(op, rest, original, ctx) };
}

const LITERAL = new Set<PyValue['k']>(['str', 'num', 'bool', 'none']);

/** A comparison of values known statically; null when either side is not (environment reads included). */
function compare(op: string, l: PyValue, r: PyValue): boolean | null {
  if (op === 'is' || op === 'is not') {
    if (r.k !== 'none' || !(LITERAL.has(l.k) || l.k === 'list' || l.k === 'dict' || l.k === 'tuple')) return null;
    return (l.k === 'none') === (op === 'is');
  }
  if (op === '==' || op === '!=') {
    if (!LITERAL.has(l.k) || !LITERAL.has(r.k)) return null;
    const equal = JSON.stringify(l) === JSON.stringify(r);
    return op === '==' ? equal : !equal;
  }
  if ((op === 'in' || op === 'not in') && l.k === 'str') {
    let found: boolean;
    if (r.k === 'list' || r.k === 'tuple' || r.k === 'set') {
      if (!r.items.every((i) => LITERAL.has(i.k))) return null;
      found = r.items.some((i) => i.k === 'str' && i.v === l.v);
    } else if (r.k === 'dict') {
      if (!r.entries.every(([key]) => key.k === 'str')) return null;
      found = dictGet(r, l) !== null;
    } else if (r.k === 'str') found = r.v.includes(l.v);
    else return null;
    return op === 'in' ? found : !found;
  }
  return null;
}

function evalRef(names: string[], ctx: EvalContext): PyValue {
  const [head, ...rest] = names;
  if (head === undefined) return { k: 'unknown', text: '' };
  let base: PyValue | undefined = ctx.scope.get(head);
  if (base === undefined) base = head === '__file__' ? { k: 'path', abs: ctx.fileAbs } : { k: 'ref', path: [head] };
  return rest.reduce<PyValue>((obj, name) => memberOf(obj, name, ctx), base);
}

function memberOf(obj: PyValue, name: string, ctx: EvalContext): PyValue {
  return ctx.member?.(obj, name) ?? getAttr(obj, name);
}

export function getAttr(obj: PyValue, name: string): PyValue {
  if (obj.k === 'ref') return { k: 'ref', path: [...obj.path, name] };
  if (obj.k === 'path' && name === 'parent') return { k: 'path', abs: path.dirname(obj.abs) };
  return { k: 'attr', obj, name };
}

function evalItems(items: PyValue[], ctx: EvalContext): PyValue[] {
  const out: PyValue[] = [];
  for (const item of items) {
    if (item.k !== 'splat') {
      out.push(evalValue(item, ctx));
      continue;
    }
    const inner = evalValue(item.v, ctx);
    if (inner.k === 'list' || inner.k === 'tuple') out.push(...inner.items);
    else out.push({ k: 'splat', v: inner });
  }
  return out;
}

function evalDict(entries: Array<[PyValue, PyValue]>, ctx: EvalContext): PyValue {
  const out: Array<[PyValue, PyValue]> = [];
  for (const [key, val] of entries) {
    if (key.k === 'splat') {
      const inner = evalValue(key.v, ctx);
      if (inner.k === 'dict') out.push(...inner.entries);
      else out.push([{ k: 'splat', v: inner }, { k: 'none' }]);
    } else out.push([evalValue(key, ctx), evalValue(val, ctx)]);
  }
  return { k: 'dict', entries: out };
}

export function dottedName(value: PyValue): string | null {
  return value.k === 'ref' ? value.path.join('.') : null;
}

function evalCall(call: Extract<PyValue, { k: 'call' }>, ctx: EvalContext): PyValue {
  const fn = evalValue(call.fn, ctx);
  const args = evalItems(call.args, ctx);
  const kwargs: Record<string, PyValue> = {};
  for (const [name, val] of Object.entries(call.kwargs)) kwargs[name] = evalValue(val, ctx);
  if (dottedName(fn) === 'getattr' && args[1]?.k === 'str') return getattrCall(args, ctx) ?? { k: 'call', fn, args, kwargs };
  return interpretCall(fn, args, kwargs) ?? ctx.call?.(fn, args, kwargs) ?? { k: 'call', fn, args, kwargs };
}

/**
 * `getattr(configuration, "DATABASES", default)`: the attribute when the object is readable (a project
 * module, a settings class), else the default Python would fall back to when the name is missing. The
 * settings reader reports key settings read this way from an object it cannot see.
 */
function getattrCall(args: PyValue[], ctx: EvalContext): PyValue | null {
  const [obj, name, fallback] = args as [PyValue, Extract<PyValue, { k: 'str' }>, PyValue | undefined];
  return ctx.member?.(obj, name.v) ?? fallback ?? null;
}

function envOf(nameArg: PyValue | undefined, fallbackName: string | null, def: PyValue | undefined): PyValue | null {
  const name = nameArg?.k === 'str' ? nameArg.v : fallbackName;
  return name === null ? null : { k: 'env', name, default: def ?? null };
}

/** Calls whose meaning we know: environment reads, database URLs, path arithmetic. */
function interpretCall(fn: PyValue, args: PyValue[], kwargs: Record<string, PyValue>): PyValue | null {
  const name = dottedName(fn);
  const [first] = args;
  if ((name === 'list' || name === 'tuple') && (first?.k === 'list' || first?.k === 'tuple') && args.length === 1) return { k: name, items: first.items };
  if (name && ENV_GETTERS.has(name)) {
    const read = envOf(args[0], null, kwargs.default ?? args[1]);
    // kitsune: `config("DATABASE_URL", cast=dj_database_url.parse)`.
    return read && kwargs.cast && DB_URL_CASTS.has(dottedName(kwargs.cast) ?? '') ? { k: 'dburl', url: read } : read;
  }
  // `bool(os.environ.get("X"))` tests the variable as the read itself does (plane's `if bool(...)`).
  if (name === 'bool' && first?.k === 'env' && args.length === 1) return first;
  // A module imported by name (NetBox's `importlib.import_module("netbox.configuration")`): read like `import`.
  if (name === 'importlib.import_module' && first?.k === 'str' && !args[1]) return { k: 'ref', path: first.v.split('.') };
  if (name === 'dj_database_url.config') {
    return { k: 'dburl', url: envOf(kwargs.env, 'DATABASE_URL', kwargs.default) ?? { k: 'unknown', text: 'dj_database_url.config()' } };
  }
  if (name === 'dj_database_url.parse' && args[0]) return { k: 'dburl', url: args[0] };
  if (isEnvObject(fn)) return envOf(args[0], null, kwargs.default ?? schemeDefault(fn, args[0]));
  if (fn.k === 'attr' && fn.name === 'index') return listIndex(fn.obj, args[0]);
  if (fn.k === 'attr' && isEnvObject(fn.obj)) {
    if (ENV_DB_METHODS.has(fn.name)) return { k: 'dburl', url: envOf(args[0], 'DATABASE_URL', kwargs.default ?? schemeDefault(fn.obj, args[0] ?? { k: 'str', v: 'DATABASE_URL' })) ?? { k: 'none' } };
    return envOf(args[0], null, kwargs.default ?? schemeDefault(fn.obj, args[0]));
  }
  return pathCall(fn, name, args);
}

/** `MIDDLEWARE.index("...")` on a list known statically (the anchor of a computed `.insert`). */
function listIndex(list: PyValue, item: PyValue | undefined): PyValue | null {
  if ((list.k !== 'list' && list.k !== 'tuple') || item?.k !== 'str') return null;
  const at = list.items.findIndex((i) => i.k === 'str' && i.v === item.v);
  return at === -1 ? null : { k: 'num', v: at };
}

/**
 * django-environ's scheme: `environ.Env(DD_DATABASE_ENGINE=(str, "django.db.backends.postgresql"))` gives
 * `env("DD_DATABASE_ENGINE")` that default (DefectDojo). Undefined when the scheme declares none.
 */
function schemeDefault(envObject: PyValue, nameArg: PyValue | undefined): PyValue | undefined {
  if (envObject.k !== 'call' || nameArg?.k !== 'str') return undefined;
  const declared = envObject.kwargs[nameArg.v];
  return declared?.k === 'tuple' && declared.items.length === 2 ? declared.items[1] : undefined;
}

function isEnvObject(value: PyValue): boolean {
  return value.k === 'call' && ENV_OBJECT_TYPES.has(dottedName(value.fn) ?? '');
}

function pathCall(fn: PyValue, name: string | null, args: PyValue[]): PyValue | null {
  const first = args[0];
  if (name === 'pathlib.Path' || name === 'pathlib.PurePath') return first && asPath(first) ? { k: 'path', abs: asPath(first) as string } : null;
  if (name === 'os.path.dirname' && first?.k === 'path') return { k: 'path', abs: path.dirname(first.abs) };
  if (name === 'os.path.join' && first?.k === 'path') return joinPath(first.abs, args.slice(1));
  if (name && PATH_SAME.has(name) && first?.k === 'path') return first;
  if (fn.k === 'attr' && fn.obj.k === 'path') {
    if (PATH_SAME.has(fn.name)) return fn.obj;
    if (fn.name === 'joinpath') return joinPath(fn.obj.abs, args);
  }
  return null;
}

function asPath(value: PyValue): string | null {
  if (value.k === 'path') return value.abs;
  if (value.k === 'str' && path.isAbsolute(value.v)) return value.v;
  return null;
}

function joinPath(base: string, parts: PyValue[]): PyValue | null {
  let out = base;
  for (const part of parts) {
    if (part.k === 'str') out = path.join(out, part.v);
    else if (part.k === 'path') out = part.abs;
    else return null;
  }
  return { k: 'path', abs: out };
}

const COMPUTED = new Set<PyValue['k']>(['call', 'ref', 'attr', 'sub', 'unknown', 'env']);

export function binary(op: string, l: PyValue, r: PyValue): PyValue {
  if (op === '+') {
    if ((l.k === 'list' || l.k === 'tuple') && (r.k === 'list' || r.k === 'tuple')) return { k: l.k, items: [...l.items, ...r.items] };
    // A known list plus a computed one (`INSTALLED_APPS + SOCIAL_PROVIDERS`): the known entries stay known,
    // the rest is one computed entry that readers report.
    if ((l.k === 'list' || l.k === 'tuple') && COMPUTED.has(r.k)) return { k: l.k, items: [...l.items, { k: 'splat', v: r }] };
    if ((r.k === 'list' || r.k === 'tuple') && COMPUTED.has(l.k)) return { k: r.k, items: [{ k: 'splat', v: l }, ...r.items] };
    if (l.k === 'str' && r.k === 'str') return { k: 'str', v: l.v + r.v };
  }
  // `'awx.settings.%s' % MODE`, `"%s.settings" % (a,)`: %s placeholders filled with known strings.
  // A path formats as its text (kpi: `'sqlite:///%s/db.sqlite3' % BASE_DIR`).
  if (op === '%' && l.k === 'str') {
    const values = (r.k === 'tuple' ? r.items : [r]).map((v) => (v.k === 'str' ? v.v : v.k === 'path' ? v.abs : null));
    const slots = l.v.match(/%[^%]/g) ?? [];
    if (values.every((v) => v !== null) && slots.length === values.length && slots.every((x) => x === '%s')) {
      let i = 0;
      return { k: 'str', v: l.v.replace(/%s|%%/g, (m) => (m === '%%' ? '%' : (values[i++] as string))) };
    }
  }
  if ((op === '+' || op === '-') && l.k === 'num' && r.k === 'num') return { k: 'num', v: op === '+' ? l.v + r.v : l.v - r.v };
  if (op === '/' && l.k === 'path') return joinPath(l.abs, [r]) ?? { k: 'bin', op, l, r };
  if (op === '|' && l.k === 'dict' && r.k === 'dict') return { k: 'dict', entries: [...l.entries, ...r.entries] };
  return { k: 'bin', op, l, r };
}

function subscript(obj: PyValue, index: PyValue): PyValue {
  if (obj.k === 'dict') return dictGet(obj, index) ?? { k: 'sub', obj, index };
  if ((obj.k === 'list' || obj.k === 'tuple') && index.k === 'num') {
    return obj.items[index.v < 0 ? obj.items.length + index.v : index.v] ?? { k: 'sub', obj, index };
  }
  if (obj.k === 'ref' && obj.path.join('.') === 'os.environ' && index.k === 'str') return { k: 'env', name: index.v, default: null };
  if (obj.k === 'attr' && obj.name === 'parents' && obj.obj.k === 'path' && index.k === 'num') {
    let abs = obj.obj.abs;
    for (let i = 0; i <= index.v; i++) abs = path.dirname(abs);
    return { k: 'path', abs };
  }
  return { k: 'sub', obj, index };
}

/** The value under a key of a dict literal; the last duplicate wins, as in Python. */
export function dictGet(dict: Extract<PyValue, { k: 'dict' }>, key: PyValue | string): PyValue | null {
  const want = typeof key === 'string' ? key : key.k === 'str' ? key.v : null;
  if (want === null) return null;
  for (let i = dict.entries.length - 1; i >= 0; i--) {
    const entry = dict.entries[i];
    if (entry && entry[0].k === 'str' && entry[0].v === want) return entry[1];
  }
  return null;
}

/** Python truthiness when it is knowable statically; null otherwise. */
export function truthiness(value: PyValue): boolean | null {
  switch (value.k) {
    case 'bool':
      return value.v;
    case 'none':
      return false;
    case 'num':
      return value.v !== 0;
    case 'str':
      return value.v.length > 0;
    case 'list':
    case 'tuple':
    case 'set':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
    default:
      return null;
  }
}

/** A test on one environment variable: its result with the variable unset, and the condition each branch states. */
export interface EnvTest {
  name: string;
  whenUnset: boolean;
  ifTrue: string;
  ifFalse: string;
}

/**
 * A comparison whose one side is an environment read (`value is None`, `engine == "sqlite"`, `db in ("a", "b")`,
 * `not DEBUG_DB`), through any variable it was assigned to: decided with the variable unset (its default).
 */
export function envTest(test: PyValue, ctx: EvalContext): EnvTest | null {
  if (test.k !== 'unknown' || !test.text) return null;
  const c = parseCompound(test.text);
  if (c?.k === 'not') {
    const inner = envTest(c.v, ctx) ?? envTruth(evalValue(c.v, ctx));
    return inner && { name: inner.name, whenUnset: !inner.whenUnset, ifTrue: inner.ifFalse, ifFalse: inner.ifTrue };
  }
  if (c?.k !== 'cmp') return null;
  const l = evalValue(c.l, ctx);
  const r = evalValue(c.r, ctx);
  const env = l.k === 'env' ? l : r.k === 'env' ? r : null;
  const other = env === l ? r : l;
  if (!env || other.k === 'env') return null;
  const unset = env.default ?? { k: 'none' };
  const whenUnset = env === l ? compare(c.op, unset, other) : compare(c.op, other, unset);
  if (whenUnset === null) return null;
  const { name } = env;
  const listed = other.k === 'list' || other.k === 'tuple' || other.k === 'set' ? other.items.map((i) => (i.k === 'str' ? i.v : '?')).join(', ') : null;
  let is: [string, string];
  if (c.op === 'is' || c.op === 'is not') is = [`${name} is not set`, `${name} is set`];
  else if ((c.op === '==' || c.op === '!=') && other.k === 'str') is = [`${name}=${other.v}`, `${name}!=${other.v}`];
  else if ((c.op === 'in' || c.op === 'not in') && env === l && listed !== null) is = [`${name} in (${listed})`, `${name} not in (${listed})`];
  else is = [test.text, `not (${test.text})`];
  const positive = c.op === 'is' || c.op === '==' || c.op === 'in';
  const [ifTrue, ifFalse] = positive ? is : [is[1], is[0]];
  return { name, whenUnset, ifTrue, ifFalse };
}

function envTruth(value: PyValue): EnvTest | null {
  if (value.k !== 'env') return null;
  const whenUnset = truthiness(value.default ?? { k: 'none' });
  return whenUnset === null ? null : { name: value.name, whenUnset, ifTrue: `${value.name} is set`, ifFalse: `${value.name} is not set` };
}
