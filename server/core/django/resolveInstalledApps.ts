import type { ProjectFiles } from './projectFiles';
import type { DjangoApp, UnresolvedFact } from './projectModel';
import { moduleSymbols, type ClassStmt, type NameResolver, type Probes } from './python/moduleSymbols';
import type { PyValue } from './python/pyIr';

/** An installed app with what its AppConfig says (when it has one in the project). */
export interface AppInfo extends DjangoApp {
  /** Index in INSTALLED_APPS (Django imports models in this order). */
  order: number;
  configClass: string | null;
  /** AppConfig.default_auto_field, e.g. "django.db.models.BigAutoField". */
  defaultAutoField: string | null;
}

const APP_CONFIG_NAMES = new Set(['django.apps.AppConfig', 'django.apps.config.AppConfig']);

/**
 * INSTALLED_APPS entries -> apps with module, label and folder, as Django 3.2+ does it: an entry is a module
 * (its apps.py's single AppConfig, or the one with `default = True`, is used) or a dotted AppConfig path;
 * `label = ...` on the config overrides the last part of the module name.
 */
export function resolveInstalledApps(
  entries: string[],
  files: ProjectFiles,
  resolver: NameResolver,
  where: { file: string; line: number },
): { apps: AppInfo[]; unresolved: UnresolvedFact[] } {
  const unresolved: UnresolvedFact[] = [];
  const apps = entries.map((entry, order) => cachedEntry(entry, order, files, resolver));
  const seen = new Map<string, string>();
  for (const app of apps.filter(hasKnownLabel)) {
    const other = seen.get(app.label);
    if (other) unresolved.push({ ...where, message: `apps ${other} and ${app.module} share the label "${app.label}"; Django refuses to start` });
    seen.set(app.label, app.module);
  }
  return { apps, unresolved };
}

/**
 * A third-party app's AppConfig is not in the project, so its label is only a guess from the module name
 * (wagtail.search is really "wagtailsearch"): only labels read from the project or Django's own apps can clash.
 */
function hasKnownLabel(app: AppInfo): boolean {
  return app.path !== null || app.module.startsWith('django.');
}

interface CachedEntry {
  app: AppInfo;
  /** Names looked up through the resolver, and the files read directly (apps.py, __init__.py) with their version. */
  probes: Probes;
  read: Map<string, number>;
  listing: number;
}

/** Resolved entries per project, reused while what they read is unchanged and no file came or went. */
const entryCache = new WeakMap<ProjectFiles, Map<string, CachedEntry>>();

function cachedEntry(entry: string, order: number, files: ProjectFiles, resolver: NameResolver): AppInfo {
  let cache = entryCache.get(files);
  if (!cache) {
    cache = new Map();
    entryCache.set(files, cache);
  }
  const known = cache.get(entry);
  const fresh = known && known.listing === files.listingVersion && [...known.read].every(([rel, v]) => files.version(rel) === v) && resolver.fresh(known.probes);
  if (known && fresh) return known.app.order === order ? known.app : { ...known.app, order };
  const { result, probes } = resolver.track(() => resolveEntry(entry, order, files, resolver));
  const asPath = files.packageDir(entry) ?? entry.split('.').join('/');
  const read = new Map([`${asPath}/apps.py`, `${asPath}/__init__.py`].map((rel) => [rel, files.version(rel)] as const));
  cache.set(entry, { app: result, probes, read, listing: files.listingVersion });
  return result;
}

function resolveEntry(entry: string, order: number, files: ProjectFiles, resolver: NameResolver): AppInfo {
  const isModule = files.resolveModule(entry) !== null || files.packageDir(entry) !== null;
  if (isModule) {
    const config = defaultConfig(entry, files, resolver);
    return makeApp(entry, config, order, files);
  }
  const resolved = resolver.resolve(entry);
  if (resolved.k === 'class' && isAppConfig(resolved.stmt, resolved.rel, resolver)) {
    const name = strAttr(resolved.stmt, 'name') ?? entry.replace(/\.apps\.[^.]+$/, '');
    return makeApp(name, { stmt: resolved.stmt }, order, files);
  }
  // A third-party app or one of Django's: its label is the module's last part (class paths drop `.apps.X`).
  const module = /\.[A-Z]\w*$/.test(entry) ? entry.replace(/(\.apps)?\.[A-Z]\w*$/, '') : entry;
  return makeApp(module, null, order, files);
}

function makeApp(module: string, config: { stmt: ClassStmt } | null, order: number, files: ProjectFiles): AppInfo {
  const label = (config && strAttr(config.stmt, 'label')) ?? module.split('.').pop() ?? module;
  return {
    label,
    module,
    path: localPath(module, files),
    order,
    configClass: config?.stmt.name ?? null,
    defaultAutoField: config ? strAttr(config.stmt, 'default_auto_field') : null,
  };
}

function localPath(module: string, files: ProjectFiles): string | null {
  return files.packageDir(module);
}

/** Django 3.2's automatic AppConfig: the only subclass in apps.py, or the one marked `default = True`. */
function defaultConfig(module: string, files: ProjectFiles, resolver: NameResolver): { stmt: ClassStmt } | null {
  const rel = files.resolveModule(`${module}.apps`);
  const ir = rel ? files.module(rel) : null;
  if (rel && ir) {
    const configs = ir.body.filter((s): s is ClassStmt => s.k === 'class' && isAppConfig(s, rel, resolver));
    const marked = configs.filter((c) => boolAttr(c, 'default') === true);
    if (marked.length === 1 && marked[0]) return { stmt: marked[0] };
    const eligible = configs.filter((c) => boolAttr(c, 'default') !== false);
    if (eligible.length === 1 && eligible[0]) return { stmt: eligible[0] };
  }
  return legacyDefaultAppConfig(module, files, resolver);
}

/** `default_app_config = "accounts.apps.AccountsConfig"` in the package (deprecated, still honoured by 3.2). */
function legacyDefaultAppConfig(module: string, files: ProjectFiles, resolver: NameResolver): { stmt: ClassStmt } | null {
  const rel = files.resolveModule(module);
  const ir = rel ? files.module(rel) : null;
  if (!rel || !ir) return null;
  const symbol = moduleSymbols(ir, rel, files.moduleRel(rel)).names.get('default_app_config');
  if (symbol?.k !== 'value' || symbol.value.k !== 'str') return null;
  const resolved = resolver.resolve(symbol.value.v);
  return resolved.k === 'class' ? { stmt: resolved.stmt } : null;
}

function isAppConfig(stmt: ClassStmt, rel: string, resolver: NameResolver, depth = 0): boolean {
  if (depth > 8) return false;
  return stmt.bases.some((base) => {
    if (base.k !== 'ref') return false;
    const name = resolver.canonical(rel, base.path);
    if (APP_CONFIG_NAMES.has(name)) return true;
    const resolved = resolver.resolve(name);
    return resolved.k === 'class' && isAppConfig(resolved.stmt, resolved.rel, resolver, depth + 1);
  });
}

export function classAttr(stmt: ClassStmt, name: string): PyValue | null {
  let found: PyValue | null = null;
  for (const s of stmt.body) {
    if (s.k === 'assign' && s.targets.some((t) => t.k === 'ref' && t.path.length === 1 && t.path[0] === name)) found = s.value;
  }
  return found;
}

export function strAttr(stmt: ClassStmt, name: string): string | null {
  const value = classAttr(stmt, name);
  return value?.k === 'str' ? value.v : null;
}

function boolAttr(stmt: ClassStmt, name: string): boolean | null {
  const value = classAttr(stmt, name);
  return value?.k === 'bool' ? value.v : null;
}
