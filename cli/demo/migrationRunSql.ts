/**
 * The forward SQL of a Django migration, read from the generated file with tree-sitter (no Python runs):
 * `migrations.RunSQL(sql)` and `migrations.RunPython(on_postgres(SQL, "what"), ...)` (how Skene's migrations
 * guard PostgreSQL-only SQL by the connection's vendor). The SQL may be a string, a name bound to a module-level
 * string, or a list of those. Other operations (AddField, plain RunPython, ...) are not SQL and are left out;
 * the demo says which parts it took.
 */
import type { PyValue, Stmt } from '../../server/core/django/python/pyIr';
import { buildModuleIr } from '../../server/core/django/python/buildModuleIr';
import { parsePython } from '../../server/core/python/pythonParser';

export interface RunSqlPart {
  /** The constant's name in the migration (e.g. LEDGER_SQL), or "inline". */
  name: string;
  sql: string;
}

function moduleStrings(body: Stmt[]): Map<string, string> {
  const strings = new Map<string, string>();
  for (const stmt of body) {
    if (stmt.k !== 'assign' || stmt.value.k !== 'str') continue;
    for (const target of stmt.targets) if (target.k === 'ref' && target.path.length === 1 && target.path[0]) strings.set(target.path[0], stmt.value.v);
  }
  return strings;
}

function operationsOf(body: Stmt[]): PyValue[] {
  for (const stmt of body) {
    if (stmt.k !== 'class') continue;
    for (const inner of stmt.body) {
      const named = inner.k === 'assign' && inner.targets.some((t) => t.k === 'ref' && t.path.join('.') === 'operations');
      if (named && inner.k === 'assign' && inner.value.k === 'list') return inner.value.items;
    }
  }
  return [];
}

function sqlParts(value: PyValue | undefined, strings: Map<string, string>): RunSqlPart[] {
  if (!value) return [];
  if (value.k === 'str') return [{ name: 'inline', sql: value.v }];
  if (value.k === 'ref' && value.path.length === 1) {
    const name = value.path[0] ?? '';
    const sql = strings.get(name);
    if (sql === undefined) throw new Error(`RunSQL refers to ${name}, which is not a module-level string`);
    return [{ name, sql }];
  }
  if (value.k === 'list' || value.k === 'tuple') return value.items.flatMap((item) => sqlParts(item, strings));
  throw new Error(`RunSQL's sql is not a literal the demo can read (${value.k})`);
}

export async function migrationRunSql(source: string): Promise<RunSqlPart[]> {
  const tree = await parsePython(source);
  try {
    const { body } = buildModuleIr(tree, source);
    const strings = moduleStrings(body);
    return operationsOf(body).flatMap((operation) => {
      if (operation.k !== 'call' || operation.fn.k !== 'ref') return [];
      const name = operation.fn.path[operation.fn.path.length - 1];
      if (name === 'RunSQL') return sqlParts(operation.kwargs.sql ?? operation.args[0], strings);
      const forward = operation.args[0];
      const guarded = name === 'RunPython' && forward?.k === 'call' && forward.fn.k === 'ref' && forward.fn.path.join('.') === 'on_postgres';
      return guarded ? sqlParts(forward.args[0], strings) : [];
    });
  } finally {
    tree.delete();
  }
}
