/**
 * Names that `skene init` writes into a Django project and that other parts must agree on: the config
 * checker (which accepts them before the project is re-analyzed), both runtimes and the generators.
 */

/** The column Initialize adds to a custom user model (or to the per-user table for Django's auth.User). */
export const LAST_ACTIVITY_COLUMN = 'last_activity_at';

/** The Django app Initialize generates: Celery task, vendored Python runtime, migrations, middleware. */
export const RETENTION_APP = 'skene_retention';

/** Per-user state when the user model cannot be edited (Django's auth.User): one row per user. */
export const USER_ACTIVITY_TABLE = 'skene_user_activity';

/** The loop manifest the Celery task reads, generated from skene.config.ts (relative to the project root). */
export const GENERATED_MANIFEST_FILE = `${RETENTION_APP}/loops.json`;

/** The npm package of the CLI: `npx skene-django <command>` anywhere, `skene <command>` once installed. */
export const CLI_PACKAGE = 'skene-django';
