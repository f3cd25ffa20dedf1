import { moduleNameOf } from '../python/moduleNames';
import type { NameResolver } from '../python/moduleSymbols';
import type { PyValue, Stmt } from '../python/pyIr';

/** One `name = SomeField(...)` line of a model class body (or `name = None`, which removes an inherited field). */
export interface FieldDecl {
  name: string;
  type: string;
  /** null for a many-to-many field (its rows live in a through table). */
  column: string | null;
  null: boolean;
  primaryKey: boolean;
  relation: boolean;
  /** What a relation points at, as written: a string ("app.Model", "Model", "self") or a canonical dotted name. */
  target: PyValue | null;
  autoNowAdd: boolean;
  /** `default=timezone.now` (or another `now`): like auto_now_add, the value is the time the row was written. */
  defaultNow?: boolean;
  line: number;
  /** `name = None` in a subclass: Django drops the inherited field. */
  removed: boolean;
  /** A relation's `related_name="…"` (the reverse accessor on the target, e.g. `user.events`), when written as a string. */
  relatedName?: string;
  /** A many-to-many field: `target` is its other side, `through` the explicit through model when given. */
  manyToMany?: { through: PyValue | null };
}

/**
 * Packages whose classes are never Django models even when they declare `x = Field(...)`: pydantic models,
 * DRF / GraphQL serializers and types, dataclasses, enums (healthchecks keeps pydantic classes in models.py).
 */
export const NOT_ORM_PACKAGES = /^(pydantic|pydantic_settings|enum|typing|typing_extensions|dataclasses|abc|collections|rest_framework|django_filters|graphene|graphene_django|strawberry|strawberry_django|marshmallow|attr|attrs|msgspec|ninja)\./;

/** Django fields that have no column of their own. */
const NO_COLUMN = new Set(['ManyToManyField', 'GenericForeignKey', 'GenericRelation', 'TaggableManager', 'ParentalManyToManyField']);
const RELATION = /(ForeignKey|OneToOneField|ParentalKey)$/;
/** Many-to-many fields: no column, a through table (kept as fields; see ManyToManyInfo). */
const MANY_TO_MANY = new Set(['ManyToManyField', 'ParentalManyToManyField']);

/** The field declarations of a class body, in source order. Managers, methods and constants are ignored. */
export function fieldDecls(body: Stmt[], rel: string, resolver: NameResolver, kinds: Map<string, FieldKind | null>): FieldDecl[] {
  const out: FieldDecl[] = [];
  for (const stmt of body) {
    if (stmt.k !== 'assign' || stmt.targets.length !== 1) continue;
    const target = stmt.targets[0];
    if (target?.k !== 'ref' || target.path.length !== 1) continue;
    const name = target.path[0] as string;
    if (stmt.value.k === 'none') {
      out.push({ name, type: '', column: '', null: false, primaryKey: false, relation: false, target: null, autoNowAdd: false, line: stmt.loc.line, removed: true });
      continue;
    }
    const decl = fieldFromCall(name, stmt.value, rel, resolver, stmt.loc.line, kinds);
    if (decl) out.push(decl);
  }
  return out;
}

function fieldFromCall(name: string, value: PyValue, rel: string, resolver: NameResolver, line: number, kinds: Map<string, FieldKind | null>): FieldDecl | null {
  if (value.k !== 'call' || value.fn.k !== 'ref') return null;
  const canonical = resolver.canonical(rel, value.fn.path);
  // Package field classes (models.CharField...) resolve without reading project modules: safe to share.
  let kind = kinds.get(canonical);
  if (kind === undefined) {
    kind = fieldKind(canonical, resolver);
    if (canonical.startsWith('django.')) kinds.set(canonical, kind);
  }
  if (kind?.manyToMany) {
    const target = value.kwargs.to ?? value.args[0] ?? null;
    const through = value.kwargs.through ?? null;
    return {
      name, type: kind.type, column: null, null: false, primaryKey: false, relation: false,
      target: target ? canonicalTarget(target, rel, resolver) : null, autoNowAdd: false, line, removed: false,
      manyToMany: { through: through ? canonicalTarget(through, rel, resolver) : null },
    };
  }
  if (!kind || NO_COLUMN.has(kind.type) || kind.noColumn) return null;
  const dbColumn = value.kwargs.db_column;
  const relationTarget = kind.relation ? (value.kwargs.to ?? value.args[0] ?? null) : null;
  return {
    name,
    type: kind.type,
    column: dbColumn?.k === 'str' ? dbColumn.v : kind.relation ? `${name}_id` : name,
    null: value.kwargs.null?.k === 'bool' && value.kwargs.null.v,
    primaryKey: value.kwargs.primary_key?.k === 'bool' && value.kwargs.primary_key.v,
    relation: kind.relation,
    target: relationTarget ? canonicalTarget(relationTarget, rel, resolver) : null,
    autoNowAdd: value.kwargs.auto_now_add?.k === 'bool' && value.kwargs.auto_now_add.v,
    defaultNow: value.kwargs.default?.k === 'ref' && value.kwargs.default.path[value.kwargs.default.path.length - 1] === 'now',
    line,
    removed: false,
    ...(kind.relation && value.kwargs.related_name?.k === 'str' ? { relatedName: value.kwargs.related_name.v } : {}),
  };
}

const GET_USER_MODEL = 'django.contrib.auth.get_user_model';

/** Relation targets in a comparable form: strings as written, classes by where they are defined. */
function canonicalTarget(value: PyValue, rel: string, resolver: NameResolver): PyValue {
  if (value.k === 'ref') {
    const name = resolver.canonical(rel, value.path);
    const resolved = resolver.resolve(name);
    if (resolved.k === 'class') return { k: 'ref', path: [...moduleNameOf(resolver.moduleRel(resolved.rel)).split('.'), resolved.stmt.name] };
    // `User = get_user_model()` at module level, then ForeignKey(User, ...)
    if (resolved.k === 'value' && resolved.value.k === 'call' && resolved.value.fn.k === 'ref' && resolver.canonical(resolved.rel, resolved.value.fn.path) === GET_USER_MODEL) {
      return { k: 'call', fn: { k: 'ref', path: GET_USER_MODEL.split('.') }, args: [], kwargs: {} };
    }
    return { k: 'ref', path: name.split('.') };
  }
  if (value.k === 'call' && value.fn.k === 'ref') return { k: 'call', fn: { k: 'ref', path: resolver.canonical(rel, value.fn.path).split('.') }, args: [], kwargs: {} };
  return value;
}

export interface FieldKind {
  type: string;
  relation: boolean;
  noColumn: boolean;
  manyToMany: boolean;
}

/** Whether a callee is a model field class: Django's, a third party's (`...Field`), or a project subclass of one. */
export function fieldKind(canonical: string, resolver: NameResolver, depth = 0): FieldKind | null {
  const last = canonical.split('.').pop() ?? canonical;
  const resolved = depth < 6 ? resolver.resolve(canonical) : { k: 'external' as const, name: canonical };
  if (resolved.k === 'class') {
    for (const base of resolved.stmt.bases) {
      if (base.k !== 'ref') continue;
      const inner = fieldKind(resolver.canonical(resolved.rel, base.path), resolver, depth + 1);
      if (inner) return { type: last, relation: inner.relation, noColumn: NO_COLUMN.has(inner.type) || inner.noColumn, manyToMany: inner.manyToMany };
    }
    return null;
  }
  if (resolved.k !== 'external' || NOT_ORM_PACKAGES.test(canonical)) return null;
  if (!/(Field|ForeignKey|ParentalKey|TaggableManager)$/.test(last)) return null;
  return { type: last, relation: RELATION.test(last), noColumn: NO_COLUMN.has(last), manyToMany: MANY_TO_MANY.has(last) };
}
