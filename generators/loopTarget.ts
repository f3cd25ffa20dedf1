/**
 * The decisions every generator shares: which table and columns the loop reads, where last activity
 * lives (a column added to a custom user model, or Skene's per-user table for Django's auth.User), and
 * what keeps it current (a trigger on the events table, else a throttled middleware).
 */
import { LAST_ACTIVITY_COLUMN, RETENTION_APP, USER_ACTIVITY_TABLE } from '../sdk/generated';
import type { DjangoField, DjangoModel, EventsModelInfo, ProjectModel } from '../server/core/django/projectModel';
import type { ActivityDecision } from './activitySource';
import type { PlanNote } from './types';

export interface UserColumns {
  table: string;
  id: string;
  email: string;
  firstName: string | null;
  isActive: string | null;
  dateJoined: string | null;
  lastLogin: string | null;
  /** A text column holding the user's IANA time zone (quiet hours are in the user's zone), if any. */
  timezone: string | null;
}

export type ActivityStore =
  /** A column on the user table; `add` = Initialize adds the field to the model (else it exists). */
  | { kind: 'user-column'; column: string; add: { app: string; model: DjangoModel; field: string } | null }
  /** Skene's table keyed by user id (auth.User, or a user model outside the project). */
  | { kind: 'activity-table'; table: string; column: string };

export interface LoopTarget {
  user: UserColumns;
  /** "accounts.User" */
  userLabel: string;
  store: ActivityStore;
  /** The events model whose inserts move last activity (trigger), or null (middleware). */
  events: EventsModelInfo | null;
  /** Whether `events` is the analyzer's choice by evidence or the user's pick (`--activity`, the editor asks). */
  activityChosenBy: ActivityDecision['chosenBy'];
  retentionApp: string;
}

const ID_TYPES = new Set(['AutoField', 'BigAutoField', 'SmallAutoField', 'UUIDField']);
const TIMEZONE_NAMES = new Set(['timezone', 'time_zone', 'tz', 'tzname']);
// django-timezone-field's TimeZoneField stores the zone name as text too.
const TIMEZONE_TYPES = new Set(['CharField', 'TextField', 'TimeZoneField']);

function column(fields: DjangoField[], ...names: string[]): string | null {
  for (const name of names) {
    const field = fields.find((f) => f.name === name);
    if (field) return field.column;
  }
  return null;
}

function userColumns(model: DjangoModel, notes: PlanNote[]): UserColumns {
  const fields = model.fields;
  const email = column(fields, 'email') ?? fields.find((f) => f.type === 'EmailField')?.column ?? null;
  if (!email) notes.push({ severity: 'warning', message: `${model.app}.${model.class} has no email field; the loop query selects \`email\`, edit skene.config.ts to the column that holds addresses.` });
  return {
    table: model.table,
    id: column(fields, 'id') ?? fields.find((f) => ID_TYPES.has(f.type))?.column ?? 'id',
    email: email ?? 'email',
    firstName: column(fields, 'first_name', 'given_name', 'name', 'full_name', 'display_name'),
    isActive: fields.find((f) => f.name === 'is_active' && f.type === 'BooleanField')?.column ?? null,
    dateJoined: column(fields, 'date_joined', 'created_at', 'created'),
    lastLogin: column(fields, 'last_login'),
    timezone: fields.find((f) => TIMEZONE_NAMES.has(f.name) && TIMEZONE_TYPES.has(f.type))?.column ?? null,
  };
}

/** The model is in the project and editable (not Django's own, not a third-party app's). */
function editableUserModel(project: ProjectModel): boolean {
  const model = project.userModel;
  if (!model || model.builtin || project.authUserModel === 'auth.User') return false;
  return project.apps.some((app) => app.label === model.app && app.path !== null);
}

/**
 * A `django-admin startproject --template` skeleton (django-react-boilerplate, cookiecutter-style repos) names its
 * settings `{{ project_name }}.settings`: nothing resolves until the template is rendered, and then the user model
 * looks missing. Say what to do instead of naming a model the project may not even use.
 */
function missingUserModelMessage(project: ProjectModel): string {
  const module = project.settings.module ?? '';
  if (/\{\{.*\}\}|\{%/.test(module)) {
    return `This looks like a project template, not a project: its settings module is ${module}. Create a project from it first (\`django-admin startproject NAME --template=...\`), then run Initialize in that project.`;
  }
  if (!project.settings.module) return `The user model ${project.authUserModel} was not found: no settings module was found (DJANGO_SETTINGS_MODULE in manage.py), so AUTH_USER_MODEL is unknown.`;
  // librephotos: manage.py sets f"librephotos.settings.{environment}"; the guessed package has no settings.
  const computed = project.unresolved.find((u) => u.file === project.managePy && /DJANGO_SETTINGS_MODULE is set to a computed value/.test(u.message));
  if (computed && !project.settings.files.length) {
    return `The user model ${project.authUserModel} was not found: ${computed.file}:${computed.line} computes DJANGO_SETTINGS_MODULE, so the settings (and AUTH_USER_MODEL) are unknown. Name the module: \`DJANGO_SETTINGS_MODULE=<your settings module> npx skene-django init\` (in the editor, the skene.pythonSettingsModule setting).`;
  }
  return `The user model ${project.authUserModel} was not found in the project; Initialize needs its table and fields.`;
}

export function resolveLoopTarget(project: ProjectModel, previousUserFieldMigration: boolean, activity: ActivityDecision, notes: PlanNote[]): LoopTarget | null {
  const model = project.userModel;
  if (!model) {
    notes.push({ severity: 'error', message: missingUserModelMessage(project) });
    return null;
  }
  const user = userColumns(model, notes);
  const base = { user, userLabel: project.authUserModel, events: activity.events, activityChosenBy: activity.chosenBy, retentionApp: RETENTION_APP };
  if (!editableUserModel(project)) {
    return { ...base, store: { kind: 'activity-table', table: USER_ACTIVITY_TABLE, column: LAST_ACTIVITY_COLUMN } };
  }
  const existing = project.activity.lastActivityField;
  const ownField = model.fields.find((f) => f.column === LAST_ACTIVITY_COLUMN && f.inheritedFrom === null);
  if (existing && !(ownField && previousUserFieldMigration)) {
    notes.push({ severity: 'info', message: `Last activity: the existing column ${model.table}.${existing} is used.` });
    return { ...base, store: { kind: 'user-column', column: existing, add: null } };
  }
  const fieldName = ownField ? ownField.name : freeFieldName(model);
  return { ...base, store: { kind: 'user-column', column: ownField?.column ?? fieldName, add: { app: model.app, model, field: fieldName } } };
}

function freeFieldName(model: DjangoModel): string {
  const taken = new Set(model.fields.flatMap((f) => [f.name, f.column]));
  return taken.has(LAST_ACTIVITY_COLUMN) ? `skene_${LAST_ACTIVITY_COLUMN}` : LAST_ACTIVITY_COLUMN;
}

/** Human summary for notes and docs: "events.Event (trigger)" or "middleware". */
export function activityFeed(target: LoopTarget): string {
  return target.events ? `inserts into ${target.events.table} (PostgreSQL trigger)` : 'authenticated requests (throttled middleware)';
}
