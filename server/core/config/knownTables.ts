/**
 * Every table a loop query may read, with its columns: the project's model tables (user model first),
 * Django's own tables for the contrib apps in use, third-party tables we know of, and the tables Skene's
 * generator creates. `columns: null` means "exists, columns not checked".
 */
import { SKENE_TABLE_NAMES } from '../../../sdk/tables';
import { AUTH_USER_COLUMNS, DJANGO_BUILTIN_TABLES, builtinTablesFor } from '../django/djangoBuiltinTables';
import type { DjangoModel, ManyToManyInfo, ProjectModel } from '../django/projectModel';
import { isColumn } from '../django/columnFields';

export interface KnownTable {
  name: string;
  columns: string[] | null;
  /** Where it comes from, for messages: "model accounts.User", "Django (auth)", "Skene". */
  origin: string;
  /** Many-to-many fields of the model by name (no column: a query joins their through table). */
  manyToMany?: Record<string, ManyToManyInfo>;
}

export type KnownTables = Map<string, KnownTable>;

const ID = 'id';
/** Columns of Django's own tables where a loop query is likely to read them; others exist unchecked. */
const DJANGO_COLUMNS: Record<string, string[]> = {
  auth_group: [ID, 'name'],
  auth_permission: [ID, 'name', 'content_type_id', 'codename'],
  auth_group_permissions: [ID, 'group_id', 'permission_id'],
  auth_user_groups: [ID, 'user_id', 'group_id'],
  auth_user_user_permissions: [ID, 'user_id', 'permission_id'],
  auth_user: [...AUTH_USER_COLUMNS],
  django_content_type: [ID, 'app_label', 'model'],
  django_session: ['session_key', 'session_data', 'expire_date'],
  django_admin_log: [ID, 'action_time', 'object_id', 'object_repr', 'action_flag', 'change_message', 'content_type_id', 'user_id'],
  django_site: [ID, 'domain', 'name'],
  django_migrations: [ID, 'app', 'name', 'applied'],
};

/** Tables of apps whose columns we do not track (they change between versions). */
const THIRD_PARTY_TABLES: Record<string, string[]> = {
  django_celery_beat: ['django_celery_beat_periodictask', 'django_celery_beat_crontabschedule', 'django_celery_beat_intervalschedule', 'django_celery_beat_periodictasks', 'django_celery_beat_clockedschedule', 'django_celery_beat_solarschedule'],
  djstripe: ['djstripe_customer', 'djstripe_subscription', 'djstripe_price', 'djstripe_product', 'djstripe_invoice', 'djstripe_charge', 'djstripe_paymentintent', 'djstripe_plan'],
};

function modelColumns(model: DjangoModel): string[] {
  return model.fields.filter(isColumn).filter((f) => f.column).map((f) => f.column);
}

/** Adds the model's table; returns the through tables Django creates for its M2M fields (id and two foreign keys). */
function addModel(tables: KnownTables, model: DjangoModel): KnownTable[] {
  if (model.abstract || tables.has(model.table)) return [];
  const joins = Object.fromEntries(model.fields.flatMap((f) => (f.manyToMany ? [[f.name, f.manyToMany] as const] : [])));
  tables.set(model.table, { name: model.table, columns: modelColumns(model), origin: `model ${model.app}.${model.class}`, ...(Object.keys(joins).length ? { manyToMany: joins } : {}) });
  return Object.entries(joins).flatMap(([name, m2m]) =>
    !m2m.throughTable || m2m.through || !m2m.sourceColumn || !m2m.targetColumn
      ? []
      : [{ name: m2m.throughTable, columns: [ID, m2m.sourceColumn, m2m.targetColumn], origin: `Django (${model.app}.${model.class}.${name})` }],
  );
}

/** The user model's M2M join tables, which exist when it inherits PermissionsMixin (AbstractUser does). */
function addUserJoinTables(tables: KnownTables, user: DjangoModel): void {
  const inherits = user.bases.some((b) => /AbstractUser|PermissionsMixin/.test(b)) || user.fields.some((f) => f.inheritedFrom === 'AbstractUser' || f.inheritedFrom === 'PermissionsMixin');
  if (!inherits || tables.has(`${user.table}_groups`)) return;
  tables.set(`${user.table}_groups`, { name: `${user.table}_groups`, columns: [ID, 'user_id', 'group_id'], origin: 'Django (user groups)' });
  tables.set(`${user.table}_user_permissions`, { name: `${user.table}_user_permissions`, columns: [ID, 'user_id', 'permission_id'], origin: 'Django (user permissions)' });
}

export function knownTables(project: ProjectModel): KnownTables {
  const tables: KnownTables = new Map();
  const throughTables = project.userModel ? addModel(tables, project.userModel) : [];
  for (const model of project.models ?? []) throughTables.push(...addModel(tables, model));
  // After every model's own table: completion lists tables in this order, and join tables are rarely what one wants.
  for (const table of throughTables) if (!tables.has(table.name)) tables.set(table.name, table);
  const customUser = project.authUserModel !== 'auth.User';
  if (customUser && project.userModel) addUserJoinTables(tables, project.userModel);
  const labels = project.apps.length ? project.apps.map((app) => app.label) : Object.keys(DJANGO_BUILTIN_TABLES);
  for (const name of builtinTablesFor(labels)) {
    // A swapped user model means auth_user and its join tables are never created.
    if (tables.has(name) || (customUser && name.startsWith('auth_user'))) continue;
    tables.set(name, { name, columns: DJANGO_COLUMNS[name] ?? null, origin: 'Django' });
  }
  for (const [label, names] of Object.entries(THIRD_PARTY_TABLES)) {
    if (!project.apps.some((app) => app.label === label) && !(label === 'djstripe' && project.stripe.djstripe)) continue;
    for (const name of names) tables.set(name, { name, columns: null, origin: label });
  }
  for (const name of SKENE_TABLE_NAMES) tables.set(name, { name, columns: null, origin: 'Skene (created by skene init)' });
  return tables;
}

/** The same tables, cached per ProjectModel object (the language server reuses one per project version). */
const cache = new WeakMap<ProjectModel, KnownTables>();
export function knownTablesCached(project: ProjectModel): KnownTables {
  let tables = cache.get(project);
  if (!tables) {
    tables = knownTables(project);
    cache.set(project, tables);
  }
  return tables;
}
