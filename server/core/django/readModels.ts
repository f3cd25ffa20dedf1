import { ClassModels, type ClassModel, type ClassModelCache, type ModelField } from './models/classModels';
import type { ProjectFiles } from './projectFiles';
import type { DjangoField, DjangoModel, UnresolvedFact } from './projectModel';
import type { ClassStmt, NameResolver } from './python/moduleSymbols';
import type { AppInfo } from './resolveInstalledApps';

/** A concrete model with the details other readers need (relations, timestamps). */
export interface ModelRecord {
  model: DjangoModel;
  cls: ClassModel;
  /** Every column including the primary key, in order. */
  fields: ModelField[];
}

export interface ModelsRead {
  records: ModelRecord[];
  classModels: ClassModels;
  appOfFile: (rel: string) => AppInfo | null;
  unresolved: UnresolvedFact[];
}

/**
 * Reads every concrete model of the project's own apps from `models.py` or a `models/` package, following
 * abstract bases across files and apps. Proxy and abstract models are not tables, so they are not listed.
 */
export function readModels(
  files: ProjectFiles,
  resolver: NameResolver,
  apps: AppInfo[],
  defaultAutoField: string | null,
  cache: ClassModelCache,
): ModelsRead {
  const local = apps.filter((a): a is AppInfo & { path: string } => a.path !== null);
  // The innermost app folder holding a file: walk up its folders (apps can nest, e.g. apps/ and apps/users/).
  const byPath = new Map<string, AppInfo>();
  for (const app of local) if (!byPath.has(app.path)) byPath.set(app.path, app);
  const appOfFile = (rel: string): AppInfo | null => {
    for (let cut = rel.lastIndexOf('/'); cut > 0; cut = rel.lastIndexOf('/', cut - 1)) {
      const app = byPath.get(rel.slice(0, cut));
      if (app) return app;
    }
    return null;
  };
  const key = `${files.listingVersion}|${apps.map((a) => `${a.label}:${a.module}:${a.path}:${a.order}`).join(',')}`;
  if (cache.key !== key) {
    cache.key = key;
    cache.entries = new WeakMap();
  }
  const classModels = new ClassModels(files, resolver, appOfFile, cache);
  const records: ModelRecord[] = [];
  const unresolved: UnresolvedFact[] = [];
  for (const app of local) {
    const recordKey = `${app.label}|${app.defaultAutoField}|${defaultAutoField}`;
    for (const rel of modelFiles(files, app.path)) {
      const ir = files.module(rel);
      for (const stmt of ir?.body ?? []) {
        if (stmt.k !== 'class') continue;
        const record = cachedRecord(classModels.get(rel, stmt), stmt, app, defaultAutoField, recordKey, unresolved);
        if (record) records.push(record);
      }
    }
  }
  return { records, classModels, appOfFile, unresolved: dedupe(unresolved) };
}

/** `<app>/models.py`, else every module of a `<app>/models/` package. */
export function modelFiles(files: ProjectFiles, appPath: string): string[] {
  if (files.has(`${appPath}/models.py`)) return [`${appPath}/models.py`];
  const init = `${appPath}/models/__init__.py`;
  const modules = files.filesIn(`${appPath}/models`).filter((f) => f.endsWith('.py') && f !== init);
  return files.has(init) ? [init, ...modules] : modules;
}

/** Records are rebuilt only when their ClassModel was (identity) or the app / DEFAULT_AUTO_FIELD changed. */
const records = new WeakMap<ClassModel, { key: string; record: ModelRecord | null }>();

function cachedRecord(cls: ClassModel, stmt: ClassStmt, app: AppInfo, defaultAutoField: string | null, key: string, unresolved: UnresolvedFact[]): ModelRecord | null {
  const known = records.get(cls);
  if (known?.key === key) {
    if (known.record && cls.unresolved.length) unresolved.push(...cls.unresolved);
    return known.record;
  }
  const record = toRecord(cls, stmt, app, defaultAutoField, unresolved);
  records.set(cls, { key, record });
  return record;
}

function toRecord(cls: ClassModel, stmt: ClassStmt, app: AppInfo, defaultAutoField: string | null, unresolved: UnresolvedFact[]): ModelRecord | null {
  if (!cls.isModel || cls.meta.abstract || cls.meta.proxy) return null;
  unresolved.push(...cls.unresolved);
  const label = cls.meta.appLabel ?? app.label;
  const fields = [...primaryKey(cls, app, defaultAutoField), ...cls.fields];
  const model: DjangoModel = {
    app: label,
    class: stmt.name,
    file: cls.rel,
    line: cls.line,
    bases: cls.bases,
    table: cls.meta.dbTable ?? `${label}_${stmt.name.toLowerCase()}`,
    fields: fields.map(publicField),
  };
  return { model, cls, fields };
}

/** Django adds `id` unless a field says primary_key=True; a concrete parent gives `<parent>_ptr` instead. */
function primaryKey(cls: ClassModel, app: AppInfo, defaultAutoField: string | null): ModelField[] {
  if (cls.concreteParent) {
    const name = `${cls.concreteParent.toLowerCase()}_ptr`;
    return [{ name, type: 'OneToOneField', column: `${name}_id`, inheritedFrom: null, decl: null, order: [-2, '', 0] }];
  }
  if (cls.fields.some((f) => f.decl?.primaryKey)) return [];
  const type = (app.defaultAutoField ?? defaultAutoField ?? 'django.db.models.AutoField').split('.').pop() ?? 'AutoField';
  return [{ name: 'id', type, column: 'id', inheritedFrom: null, decl: null, order: [-2, '', 0] }];
}

export function publicField(field: ModelField): DjangoField {
  const out: DjangoField = { name: field.name, type: field.type, column: field.column, inheritedFrom: field.inheritedFrom };
  if (field.null) out.null = true;
  if (field.manyToMany) out.manyToMany = field.manyToMany;
  if (field.decl) out.location = { file: field.order[1], line: field.order[2] };
  return out;
}

function dedupe(facts: UnresolvedFact[]): UnresolvedFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.file}:${f.line}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
