/**
 * What the generated Python imports, read with Python's own `ast` (every import statement, at any depth):
 * no module imports a database driver (the runtime goes through Django's connection, so psycopg 2 and 3
 * projects both load), and views.py imports nothing of Skene's runtime or tasks when the URLconf loads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import type { InitPlan } from '../../../generators/types';
import { planInit } from '../../../generators/planInit';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { diskReader, EXAMPLE_DIR } from './planKit';

const DRIVERS = /^(psycopg2?|psycopg_binary|pg8000|asyncpg|pgdb)(\.|$)/;

/** Per file: every imported module (relative ones with their dots), and which imports sit at module level. */
function imports(files: Record<string, string>): Record<string, { all: string[]; topLevel: string[] }> {
  const script = `import ast, json, sys
result = {}
for path, text in json.load(sys.stdin).items():
    tree = ast.parse(text, path)
    def names(node):
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if isinstance(node, ast.ImportFrom):
            return ["." * node.level + (node.module or "")]
        return []
    result[path] = {"all": sorted(n for node in ast.walk(tree) for n in names(node)), "topLevel": sorted(n for node in tree.body for n in names(node))}
print(json.dumps(result))
`;
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(files), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, { all: string[]; topLevel: string[] }>;
}

describe('imports of the generated Python', () => {
  let plan: InitPlan;
  before(async () => {
    await loadSqlParser();
    plan = await planInit(await analyzeProject(EXAMPLE_DIR), {}, diskReader(EXAMPLE_DIR));
  });

  test('no generated module imports a database driver, at any depth', () => {
    const python = Object.fromEntries(plan.files.filter((f) => f.path.endsWith('.py')).map((f) => [f.path, f.after]));
    const found = imports(python);
    const drivers = Object.entries(found).flatMap(([file, { all }]) => all.filter((name) => DRIVERS.test(name)).map((name) => `${file}: ${name}`));
    assert.deepEqual({ runtimeScanned: 'skene_retention/skene_runtime.py' in found, drivers }, { runtimeScanned: true, drivers: [] });
  });

  test('views.py imports only Django and the standard library when the URLconf loads', () => {
    const views = plan.files.find((f) => f.path === 'skene_retention/views.py');
    assert.ok(views);
    const { topLevel } = imports({ 'views.py': views.after })['views.py'] ?? { topLevel: [] };
    assert.deepEqual(topLevel.filter((name) => !/^(django(\.|$)|json$|os$|time$)/.test(name)), []);
  });
});
