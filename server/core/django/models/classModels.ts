import { builtinFieldRank, builtinFields, builtinModelClass, type BuiltinModelClass } from '../builtinAuthModels';
import type { ProjectFiles } from '../projectFiles';
import type { DjangoField, UnresolvedFact } from '../projectModel';
import type { AppInfo } from '../resolveInstalledApps';
import type { ClassStmt, NameResolver, Probes } from '../python/moduleSymbols';
import type { PyValue } from '../python/pyIr';
import { fieldDecls, NOT_ORM_PACKAGES, type fieldKind, type FieldDecl } from './fieldDecl';

export interface ModelMeta {
  dbTable: string | null;
  abstract: boolean;
  proxy: boolean;
  appLabel: string | null;
}

/** A field as a model ends up with it, plus what the analyzers of activity / Stripe need. */
export interface ModelField extends DjangoField {
  decl: FieldDecl | null;
  /** Sort key approximating Django's creation order across files: [app order, file, line]. */
  order: [number, string, number];
}

/** What we know about one class of the project that may be a model. */
export interface ClassModel {
  name: string;
  rel: string;
  line: number;
  app: AppInfo | null;
  bases: string[];
  isModel: boolean;
  meta: ModelMeta;
  /** Concrete columns (auto pk excluded), inherited ones included. */
  fields: ModelField[];
  /** A non-abstract model parent: multi-table inheritance adds `<parent>_ptr`. */
  concreteParent: string | null;
  unresolved: UnresolvedFact[];
}

const NOT_MODEL_BASES = new Set(['object', 'typing.Generic', 'abc.ABC']);

interface CacheEntry {
  model: ClassModel;
  /** The names the computation looked up and what they were bound to (see NameResolver.fresh). */
  probes: Probes;
}

/**
 * ClassModels kept across analyses of one project: an entry is reused while the class statement is the
 * same object (its file was not re-parsed, or its chunk did not change), every name it looked up is still
 * bound to the same thing, no file appeared or disappeared, and the installed apps are the same. After a
 * one-file edit only the classes of that file (or of its changed chunk) and their dependents are computed.
 */
export class ClassModelCache {
  entries = new WeakMap<ClassStmt, CacheEntry>();
  key = '';
}

/** Computes ClassModels on demand, once per class (bases across files and apps are followed). */
export class ClassModels {
  private readonly inProgress = new Set<ClassStmt>();
  private readonly fieldKinds = new Map<string, ReturnType<typeof fieldKind>>();

  constructor(
    private readonly files: ProjectFiles,
    private readonly resolver: NameResolver,
    private readonly appOfFile: (rel: string) => AppInfo | null,
    private readonly cache: ClassModelCache,
  ) {}

  get(rel: string, stmt: ClassStmt): ClassModel {
    const known = this.cache.entries.get(stmt);
    if (known && this.resolver.fresh(known.probes)) {
      this.resolver.addProbes(known.probes);
      return known.model;
    }
    if (this.inProgress.has(stmt)) return this.placeholder(rel, stmt); // inheritance cycle
    this.inProgress.add(stmt);
    const { result, probes } = this.resolver.track(() => this.compute(rel, stmt));
    this.inProgress.delete(stmt);
    this.cache.entries.set(stmt, { model: result, probes });
    return result;
  }

  private placeholder(rel: string, stmt: ClassStmt): ClassModel {
    const meta: ModelMeta = { dbTable: null, abstract: false, proxy: false, appLabel: null };
    return { name: stmt.name, rel, line: stmt.loc.line, app: null, bases: [], isModel: false, meta, fields: [], concreteParent: null, unresolved: [] };
  }

  private compute(rel: string, stmt: ClassStmt): ClassModel {
    const app = this.appOfFile(rel);
    const unresolved: UnresolvedFact[] = [];
    const inherited: ModelField[][] = [];
    let isModel = false;
    let concreteParent: string | null = null;
    let inheritedMeta: ModelMeta | null = null;
    const unknownBases: string[] = [];
    for (const base of stmt.bases) {
      const parent = this.baseInfo(rel, base, unresolved);
      if (typeof parent === 'string') unknownBases.push(parent);
      if (!parent || typeof parent === 'string') continue;
      isModel ||= parent.isModel;
      if (!parent.isModel) continue;
      if (!parent.abstract) concreteParent ??= parent.name;
      else {
        inherited.push(parent.fields);
        inheritedMeta ??= parent.meta;
      }
    }
    const decls = fieldDecls(stmt.body, rel, this.resolver, this.fieldKinds);
    const meta = this.readMeta(rel, stmt, inheritedMeta);
    // An unknown base (a package's abstract model) plus field declarations: a model whose base we cannot see.
    if (!isModel && unknownBases.length && decls.some((d) => !d.removed)) isModel = true;
    if (isModel) {
      for (const name of unknownBases) {
        unresolved.push({ file: rel, line: stmt.loc.line, message: `${stmt.name} inherits from ${name}, which is not in the project: fields it adds are unknown` });
      }
    }
    const order = app?.order ?? 10_000;
    const own: ModelField[] = decls.filter((d) => !d.removed).map((decl) => toModelField(decl, null, [order, rel, decl.line]));
    const removed = new Set(decls.map((d) => d.name));
    return {
      name: stmt.name,
      rel,
      line: stmt.loc.line,
      app,
      bases: stmt.bases.map(baseText),
      isModel,
      meta,
      fields: [...mergeInherited(inherited, removed), ...own],
      concreteParent,
      unresolved,
    };
  }

  /** What one base contributes: fields and Meta when it is an abstract model, or the fact it is concrete. */
  private baseInfo(rel: string, base: PyValue, unresolved: UnresolvedFact[]): BaseInfo | string | null {
    if (base.k !== 'ref') return null;
    const canonical = this.resolver.canonical(rel, base.path);
    const builtin = builtinModelClass(canonical);
    if (builtin) return fromBuiltin(builtin);
    const resolved = this.resolver.resolve(canonical);
    if (resolved.k === 'class') {
      const parent = this.get(resolved.rel, resolved.stmt);
      unresolved.push(...parent.unresolved);
      const fields = parent.fields.map((f) => (f.inheritedFrom === null ? { ...f, inheritedFrom: parent.name } : f));
      return { name: parent.name, isModel: parent.isModel, abstract: parent.meta.abstract, fields, meta: parent.meta };
    }
    if (resolved.k === 'external' && !NOT_MODEL_BASES.has(canonical) && !canonical.startsWith('django.') && !NOT_ORM_PACKAGES.test(canonical)) return canonical;
    return null;
  }

  private readMeta(rel: string, stmt: ClassStmt, inherited: ModelMeta | null): ModelMeta {
    const metaClass = stmt.body.find((s): s is ClassStmt => s.k === 'class' && s.name === 'Meta');
    // Django: a child of an abstract model without its own Meta inherits the parent's (abstract reset).
    let meta: ModelMeta = inherited && !metaClass ? { ...inherited, abstract: false } : { dbTable: null, abstract: false, proxy: false, appLabel: null };
    if (!metaClass) return meta;
    for (const base of metaClass.bases) {
      if (base.k !== 'ref' || base.path[base.path.length - 1] !== 'Meta') continue;
      const owner = this.resolver.resolve(this.resolver.canonical(rel, base.path.slice(0, -1)));
      if (owner.k === 'class') meta = { ...this.get(owner.rel, owner.stmt).meta, abstract: false };
    }
    for (const s of metaClass.body) {
      if (s.k !== 'assign') continue;
      const name = s.targets[0]?.k === 'ref' ? s.targets[0].path[0] : undefined;
      if (name === 'db_table' && s.value.k === 'str') meta = { ...meta, dbTable: s.value.v };
      if (name === 'app_label' && s.value.k === 'str') meta = { ...meta, appLabel: s.value.v };
      if (name === 'abstract' && s.value.k === 'bool') meta = { ...meta, abstract: s.value.v };
      if (name === 'proxy' && s.value.k === 'bool') meta = { ...meta, proxy: s.value.v };
    }
    return meta;
  }
}

interface BaseInfo {
  name: string;
  isModel: boolean;
  abstract: boolean;
  fields: ModelField[];
  meta: ModelMeta;
}

function fromBuiltin(builtin: BuiltinModelClass): BaseInfo {
  const fields = builtinFields(builtin).map((f): ModelField => ({ ...f, decl: null, order: [-1, '', builtinFieldRank(f)] }));
  const meta: ModelMeta = { dbTable: builtin.name === 'User' ? 'auth_user' : null, abstract: builtin.abstract, proxy: false, appLabel: null };
  return { name: builtin.name, isModel: true, abstract: builtin.abstract, fields, meta };
}

function toModelField(decl: FieldDecl, inheritedFrom: string | null, order: [number, string, number]): ModelField {
  const field: ModelField = { name: decl.name, type: decl.type, column: decl.column, inheritedFrom, decl, order };
  if (decl.null) field.null = true;
  return field;
}

/** Fields from abstract parents (first parent wins on a name clash, as in the MRO), in creation order. */
function mergeInherited(groups: ModelField[][], overridden: Set<string>): ModelField[] {
  const byName = new Map<string, ModelField>();
  for (const group of groups) {
    for (const field of group) if (!byName.has(field.name) && !overridden.has(field.name)) byName.set(field.name, field);
  }
  return [...byName.values()].sort(compareOrder);
}

export function compareOrder(a: { order: [number, string, number] }, b: { order: [number, string, number] }): number {
  return a.order[0] - b.order[0] || (a.order[1] < b.order[1] ? -1 : a.order[1] > b.order[1] ? 1 : 0) || a.order[2] - b.order[2];
}

function baseText(base: PyValue): string {
  return base.k === 'ref' ? base.path.join('.') : base.k === 'unknown' ? base.text : '?';
}
