/**
 * Django is the oracle: for every fixture Django 3.2 can load (/usr/bin/python3, no database connection),
 * the analyzer's user table, columns, models and migration leaves must equal what Django itself reports.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeProject } from '../../server/core/django/analyzeProject';
import type { DjangoModel, ProjectModel } from '../../server/core/django/projectModel';
import { runProcess } from '../helpers/runProcess';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test/fixtures/projects');

/** Loadable by Django 3.2 with what Debian installs (environ-djstripe needs django-environ and dj-stripe). */
const LOADABLE = [
  'abstract-user', 'base-user-env', 'default-user', 'models-package', 'abstract-chain', 'appconfig-label',
  'split-settings', 'monorepo', 'src-layout', 'm2m-user', 'property-settings', 'configuration-module', 'app-at-root',
  'src-packages',
].map((name) => path.join(FIXTURES, name));
const EXAMPLE = path.join(REPO, 'examples/saas');

// local_concrete_fields: the columns of the model's own table (a multi-table child's parent columns live
// in the parent's table; concrete_fields would list them too). Same as concrete_fields otherwise.
const ORACLE = `
import json, os, sys
root = os.path.realpath(sys.argv[1])
# The project's own code: the root and the source roots (src/, a package installed with pip install -e, sys.path edits).
mine = [root] + [os.path.realpath(p) for p in sys.argv[2:]]
sys.path[0:0] = mine
import django
django.setup()
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.migrations.loader import MigrationLoader

def describe(model):
    meta = model._meta
    return {"app": meta.app_label, "class": model.__name__, "table": meta.db_table,
            "fields": [[f.name, f.column] for f in meta.local_concrete_fields]
                      + [[f.name, None, f.m2m_db_table()] + ([f.m2m_column_name(), f.m2m_reverse_name()] if f.remote_field.through._meta.auto_created else [None, None])
                         for f in meta.local_many_to_many]}

local = [a for a in apps.get_app_configs() if any(os.path.realpath(a.path).startswith(m + os.sep) for m in mine)]
models = [describe(m) for a in local for m in a.get_models() if not m._meta.proxy]
leaves = {}
for app_label, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
    leaves.setdefault(app_label, []).append(name)
print(json.dumps({"user": describe(get_user_model()), "models": models,
                  "apps": [[a.label, a.name] for a in apps.get_app_configs()], "leaves": leaves}))
`;

interface OracleAnswer {
  user: { app: string; class: string; table: string; fields: Array<Array<string | null>> };
  models: Array<{ app: string; class: string; table: string; fields: Array<Array<string | null>> }>;
  apps: Array<[string, string]>;
  leaves: Record<string, string[]>;
}

async function askDjango(root: string, settingsModule: string, sourceRoots: string[]): Promise<OracleAnswer> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DJANGO_SETTINGS_MODULE: settingsModule,
    DB_USER: 'oracle',
    DATABASE_URL: 'postgres://oracle@localhost:5432/oracle',
    DJANGO_SECRET_KEY: 'oracle',
  };
  const result = await runProcess(PYTHON, ['-c', ORACLE, root, ...sourceRoots.map((r) => path.resolve(root, r))], { cwd: root, env, timeoutMs: 60_000 });
  assert.equal(result.code, 0, `Django could not load ${root}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as OracleAnswer;
}

/** Columns in order, then many-to-many fields (Django lists them apart) with their through table and its columns. */
function ours(model: DjangoModel) {
  const columns = model.fields.filter((f) => !f.manyToMany).map((f) => [f.name, f.column]);
  const m2m = model.fields.flatMap((f) => (f.manyToMany ? [[f.name, null, f.manyToMany.throughTable, f.manyToMany.sourceColumn, f.manyToMany.targetColumn]] : []));
  return { app: model.app, class: model.class, table: model.table, fields: [...columns, ...m2m] };
}

const byKey = (a: { app: string; class: string }, b: { app: string; class: string }) =>
  `${a.app}.${a.class}` < `${b.app}.${b.class}` ? -1 : 1;

async function compare(root: string): Promise<void> {
  const model: ProjectModel = await analyzeProject(root);
  assert.ok(model.settings.module, 'the analyzer found no settings module');
  const django = await askDjango(model.root, model.settings.module, model.sourceRoots ?? []);
  assert.ok(model.userModel, 'the analyzer found no user model');
  assert.deepEqual(ours(model.userModel), django.user);
  assert.deepEqual((model.models ?? []).map(ours).sort(byKey), [...django.models].sort(byKey));
  assert.deepEqual(model.apps.map((a) => [a.label, a.module]), django.apps);
  for (const app of model.apps.filter((a) => a.path)) {
    const leaves = (django.leaves[app.label] ?? []).sort();
    const info = model.migrations[app.label];
    assert.ok(info, `no migrations entry for ${app.label}`);
    assert.deepEqual(info.leaf === null ? (info.conflicts ?? []) : [info.leaf], leaves, `migration leaf of ${app.label}`);
  }
}

describe('analyzer vs Django 3.2 (the oracle)', () => {
  for (const root of LOADABLE) {
    test(path.basename(root), () => compare(root));
  }
  test('examples/saas', () => compare(EXAMPLE));
});
