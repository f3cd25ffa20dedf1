/**
 * Tables Django's contrib apps create, by app label (Django 3.2–5.x). The config engine uses this to accept
 * e.g. `auth_user` or `django_session` in a loop's SQL when the app is installed. Many-to-many tables are
 * included (auth_user_groups is a real table a query may join).
 */
export const DJANGO_BUILTIN_TABLES: Readonly<Record<string, readonly string[]>> = {
  auth: ['auth_user', 'auth_group', 'auth_permission', 'auth_user_groups', 'auth_user_user_permissions', 'auth_group_permissions'],
  contenttypes: ['django_content_type'],
  sessions: ['django_session'],
  admin: ['django_admin_log'],
  sites: ['django_site'],
  flatpages: ['django_flatpage', 'django_flatpage_sites'],
  redirects: ['django_redirect'],
};

/** Django's migration bookkeeping table exists in every migrated database. */
export const DJANGO_MIGRATIONS_TABLE = 'django_migrations';

/** The builtin tables present for a set of installed app labels. */
export function builtinTablesFor(appLabels: Iterable<string>): string[] {
  const out = [DJANGO_MIGRATIONS_TABLE];
  for (const label of appLabels) out.push(...(DJANGO_BUILTIN_TABLES[label] ?? []));
  return out;
}

/** Columns of auth_user (the default user model), for checks against `auth.User`. */
export const AUTH_USER_COLUMNS: readonly string[] = [
  'id', 'password', 'last_login', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined',
];
