import type { ProjectFiles } from './projectFiles';
import type { MigrationsInfo, UnresolvedFact } from './projectModel';
import type { PyValue, Stmt } from './python/pyIr';
import type { AppInfo } from './resolveInstalledApps';

interface MigrationHead {
  name: string;
  /** Same-app and cross-app dependencies as (app label, name). */
  dependencies: Array<[string, string]>;
  replaces: Array<[string, string]>;
}

const OPERATIONS_LINE = /^[ \t]+operations[ \t]*=/m;
/** `dependencies` / `replaces` bound after the cut: the migration graph needs the whole file. */
const LATE_GRAPH_ATTR = /^[ \t]+(dependencies|replaces)[ \t]*(:[^=\n]*)?=/m;

/**
 * Per local app: its migration files and the leaf of the graph, computed as Django's MigrationLoader does
 * with no database: squashed migrations (`replaces`) take the place of the ones they replace; the leaf is
 * the node no other migration of the app depends on. Several leaves mean a conflict (needs a merge).
 */
export function readMigrations(files: ProjectFiles, apps: AppInfo[], migrationModules: Map<string, string | null>): { migrations: Record<string, MigrationsInfo>; unresolved: UnresolvedFact[] } {
  const migrations: Record<string, MigrationsInfo> = {};
  const unresolved: UnresolvedFact[] = [];
  for (const app of apps) {
    if (app.path === null) continue;
    const override = migrationModules.get(app.label);
    if (override === null) continue; // MIGRATION_MODULES = {label: None}: the app has no migrations
    const dir = override ? override.split('.').join('/') : `${app.path}/migrations`;
    const list = migrationFiles(files, dir);
    const heads = list.map((rel) => files.fact(rel, 'migrationHead', () => readHead(files, rel)));
    const leaves = leafNodes(app.label, heads);
    const info: MigrationsInfo = { leaf: leaves.length === 1 ? (leaves[0] as string) : null, files: list };
    if (leaves.length > 1) {
      info.conflicts = leaves;
      unresolved.push({ file: dir, line: 0, message: `app ${app.label} has conflicting migrations (${leaves.join(', ')}); run makemigrations --merge` });
    }
    migrations[app.label] = info;
  }
  return { migrations, unresolved };
}

/** Django loads every module of the package whose name does not start with `_` or `~`. */
function migrationFiles(files: ProjectFiles, dir: string): string[] {
  const prefix = `${dir}/`;
  return files.filesIn(dir).filter((f) => f.endsWith('.py') && !/^[_~]/.test(f.slice(prefix.length)));
}

function readHead(files: ProjectFiles, rel: string): MigrationHead {
  const name = (rel.split('/').pop() as string).replace(/\.py$/, '');
  const head: MigrationHead = { name, dependencies: [], replaces: [] };
  // The head stops at the first `operations = [`; `dependencies` or `replaces` after it (kpi: a helper above the
  // class builds `operations = []`; `replaces` written after `operations`) need the whole file, or the
  // migration would look like a second leaf.
  const text = files.text(rel) ?? '';
  const cut = text.search(OPERATIONS_LINE);
  // The words first (a plain search), the pattern only where one of them occurs after the cut.
  const late = cut > 0 && (text.indexOf('dependencies', cut) !== -1 || text.indexOf('replaces', cut) !== -1);
  const whole = late && LATE_GRAPH_ATTR.test(text.slice(cut));
  const ir = whole ? files.module(rel) : files.moduleHead(rel, OPERATIONS_LINE);
  const migration = ir?.body.find((s): s is Extract<Stmt, { k: 'class' }> => s.k === 'class' && s.name === 'Migration');
  // `dependencies = base_dependencies` (a list built at module level): that list as first bound.
  const moduleValue = (value: PyValue): PyValue => {
    if (value.k !== 'ref' || value.path.length !== 1) return value;
    const bound = ir?.body.find((s): s is Extract<Stmt, { k: 'assign' }> => s.k === 'assign' && s.targets.some((t) => t.k === 'ref' && t.path.length === 1 && t.path[0] === value.path[0]));
    return bound?.value ?? value;
  };
  for (const stmt of migration?.body ?? []) {
    if (stmt.k !== 'assign' && stmt.k !== 'augassign') continue;
    const target = stmt.k === 'assign' ? stmt.targets[0] : stmt.target;
    const attr = target?.k === 'ref' ? target.path[0] : undefined;
    if (attr === 'dependencies') head.dependencies.push(...pairs(moduleValue(stmt.value)));
    if (attr === 'replaces') head.replaces.push(...pairs(moduleValue(stmt.value)));
  }
  return head;
}

function pairs(value: PyValue): Array<[string, string]> {
  if (value.k !== 'list' && value.k !== 'tuple') return [];
  const out: Array<[string, string]> = [];
  for (const item of value.items) {
    if ((item.k === 'tuple' || item.k === 'list') && item.items[0]?.k === 'str' && item.items[1]?.k === 'str') {
      out.push([item.items[0].v, item.items[1].v]);
    }
  }
  return out;
}

/** Leaves of one app's graph after squash replacement (MigrationLoader with no connection: nothing applied). */
export function leafNodes(label: string, heads: MigrationHead[]): string[] {
  const nodes = new Set(heads.map((h) => h.name));
  const replacedBy = new Map<string, string>();
  for (const head of heads) {
    for (const [app, name] of head.replaces) if (app === label && nodes.has(name)) replacedBy.set(name, head.name);
  }
  for (const replaced of replacedBy.keys()) nodes.delete(replaced);
  const hasChild = new Set<string>();
  for (const head of heads) {
    if (!nodes.has(head.name)) continue;
    for (const [app, dep] of head.dependencies) {
      if (app !== label) continue;
      const parent = replacedBy.get(dep) ?? dep;
      if (parent !== head.name) hasChild.add(parent);
    }
  }
  // Dependencies of replaced migrations now hang off their replacement (Django re-points both ways).
  for (const head of heads) {
    if (nodes.has(head.name)) continue;
    const replacement = replacedBy.get(head.name);
    for (const [app, dep] of head.dependencies) {
      const parent = replacedBy.get(dep) ?? dep;
      if (app === label && replacement && parent !== replacement) hasChild.add(parent);
    }
  }
  return [...nodes].filter((n) => !hasChild.has(n)).sort();
}
