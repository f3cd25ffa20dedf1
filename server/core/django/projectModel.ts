/**
 * The ProjectModel: everything Skene knows about a Django project, read statically from its source.
 * This is the public shape printed by `skene analyze --json` (see ../../../docs/architecture.md and
 * DESIGN.md). Paths are relative to the project root with `/`; lines are 1-based.
 * Every consumer (config rules, generators, code lenses) reads only this plain data.
 */

/** Where a fact came from, so editors can point at it. Lines and columns are 1-based; columns in UTF-16 units. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export interface SettingsInfo {
  /** Dotted module of DJANGO_SETTINGS_MODULE, e.g. "config.settings.dev". */
  module: string | null;
  /** Settings files that were read, in the order they were merged (base first). */
  files: string[];
  /** Where the settings module was declared (manage.py, wsgi.py, pytest.ini, ...). */
  declaredAt?: SourceLocation;
  /** Settings files a generator should edit (INSTALLED_APPS / MIDDLEWARE live there). */
  installedAppsAt?: SourceLocation;
  middlewareAt?: SourceLocation;
  timeZone?: string | null;
  /** Template directories from TEMPLATES[*].DIRS, relative to the root, when resolvable. */
  templateDirs?: string[];
  /** Settings whose value (or part of it) is read from the environment, with the default used statically. */
  fromEnv?: EnvSetting[];
}

/** A setting read from an environment variable, e.g. SECRET_KEY = env("DJANGO_SECRET_KEY", default="x"). */
export interface EnvSetting {
  /** Top-level setting name, e.g. "DATABASES" or "SECRET_KEY". */
  setting: string;
  /** Environment variable name, e.g. "DATABASE_URL". */
  env: string;
  /** The default the code gives (JSON-like), or null. */
  default: string | number | boolean | null | unknown[] | Record<string, unknown>;
  hasDefault: boolean;
  file: string;
  line: number;
}

export interface DjangoField {
  name: string;
  /** Django field class name, e.g. "CharField", "DateTimeField", "ForeignKey". */
  type: string;
  /** Database column, e.g. "team_id" for a ForeignKey named team, or its db_column; null for a many-to-many field. */
  column: string | null;
  /** Set on many-to-many fields (groups, user_permissions, the project's own): they live in a through table. */
  manyToMany?: ManyToManyInfo;
  /** null when declared on the model itself; otherwise the base class it came from, e.g. "AbstractUser". */
  inheritedFrom: string | null;
  null?: boolean;
  location?: SourceLocation;
}

export interface ManyToManyInfo {
  /** "app_label.Model" of the other side, e.g. "auth.Group"; null when it cannot be read. */
  target: string | null;
  /** The table joining both sides, e.g. "users_user_groups"; null when a `through` model is not in the project. */
  throughTable: string | null;
  /** "app_label.Model" of an explicit `through=` model, or null for the table Django creates. */
  through: string | null;
  /** Columns of the through table pointing at this model and at the target, e.g. "user_id" / "group_id". */
  sourceColumn: string | null;
  targetColumn: string | null;
}

export interface DjangoModel {
  app: string;
  class: string;
  file: string;
  line: number;
  bases: string[];
  table: string;
  abstract?: boolean;
  fields: DjangoField[];
  /** True for models Django itself defines (auth.User); file is then a django/... path, not in the project. */
  builtin?: boolean;
}

export interface DjangoApp {
  label: string;
  module: string;
  /** Folder of the app relative to the root; null for third-party / Django contrib apps. */
  path: string | null;
}

export interface CeleryInfo {
  appModule: string;
  file?: string;
  line?: number;
  /** Namespace passed to config_from_object, e.g. "CELERY". */
  namespace?: string | null;
  beat: 'settings' | 'app.conf' | 'django_celery_beat' | 'none';
  /** Where the beat schedule is defined (settings assignment or app.conf line), when it is in the source. */
  beatAt?: SourceLocation | null;
  /** CELERY_BEAT_SCHEDULER / beat_scheduler when set, e.g. "django_celery_beat.schedulers:DatabaseScheduler". */
  scheduler?: string | null;
}

export interface EmailInfo {
  backend: string | null;
  /** "resend", "sendgrid", "postmark", "smtp", "console", ... or null when unknown. */
  provider: string | null;
  defaultFromEmail?: string | null;
  /** Environment variable names the settings read for provider keys, e.g. ["RESEND_API_KEY"]. */
  apiKeyEnv?: string[];
}

export interface StripeInfo {
  /** The project imports the `stripe` SDK somewhere it was scanned. */
  sdk: boolean;
  /** dj-stripe is installed; the pinned version when a requirements file says it, else true. */
  djstripe: false | true | string;
  /** Column on the user table holding the Stripe customer id, if any. */
  customerIdField: string | null;
  /** Where `import stripe` was first seen. */
  sdkAt?: SourceLocation | null;
  /** STRIPE_* / DJSTRIPE_* settings names that are defined. */
  settings?: string[];
  /** The dj-stripe requirement as written when it is not an exact pin, e.g. ">=2.10,<2.12". */
  djstripeSpec?: string | null;
  /** DJSTRIPE_FOREIGN_KEY_TO_FIELD ("id" or "djstripe_id") when the settings give it as a literal. */
  djstripeForeignKeyToField?: string | null;
  /** DJSTRIPE_SUBSCRIBER_MODEL when set (Customer.subscriber points at it; default AUTH_USER_MODEL). */
  djstripeSubscriberModel?: string | null;
  /** A project model that stores subscriptions (status + a link to the user), for Stripe audiences. */
  subscriptionModel?: SubscriptionModelInfo | null;
}

export interface SubscriptionModelInfo {
  app: string;
  class: string;
  table: string;
  /** Column of the FK to the user, e.g. "user_id"; null when the link is a customer id. */
  userColumn: string | null;
  /** Column holding the Stripe customer id, matched against the user's customerIdField (when no user FK). */
  customerIdColumn: string | null;
  /** Column of the Stripe status ("active", "trialing", "past_due", ...). */
  statusColumn: string;
  cancelAtPeriodEndColumn: string | null;
}

export interface EventsModelInfo {
  app: string;
  class: string;
  table: string;
  /** Column of the FK to the user, e.g. "user_id". */
  userField: string;
  /** Column of the event timestamp, e.g. "created_at". */
  timeField: string;
  /** Why it feeds last activity, or (a candidate not chosen) why it may not be the user's own activity. */
  why?: string;
}

export interface ActivityInfo {
  eventsModel: EventsModelInfo | null;
  /** An existing last-activity-like column on the user table, if any. */
  lastActivityField?: string | null;
  /** Every model that could feed activity (FK to the user + a timestamp), best first. */
  candidates?: EventsModelInfo[];
}

export interface MigrationsInfo {
  /** Name of the leaf migration (without .py), or null for an app with no migrations yet. */
  leaf: string | null;
  files: string[];
  /** Present when the graph has several leaves (needs `makemigrations --merge`); leaf is then null. */
  conflicts?: string[];
}

export interface DatabaseInfo {
  /** DATABASES['default']['ENGINE'], e.g. "django.db.backends.postgresql"; from a URL's scheme when URL-based. */
  engine: string | null;
  /** True when the engine is PostgreSQL (or PostGIS). */
  postgres?: boolean;
  /** The environment variable the database URL comes from, e.g. "DATABASE_URL". */
  urlEnv?: string | null;
  /**
   * Every engine some configuration selects: the one read with no environment set (condition null, or the
   * condition under which that branch runs), then each engine an environment switch or URL can choose,
   * e.g. { engine: "django.db.backends.postgresql", condition: "DB=postgres" }.
   */
  options?: DatabaseOption[];
  /** Whether PostgreSQL is what the project runs on: in every configuration, in some, in none, or unreadable. */
  postgresSupport?: 'always' | 'conditional' | 'never' | 'unknown';
  /** When postgresSupport is "conditional": the condition that selects PostgreSQL, e.g. "DB=postgres". */
  postgresCondition?: string | null;
  /** The PostgreSQL driver the project depends on (requirements*.txt, pyproject, setup.cfg, Pipfile, setup.py). */
  driver?: 'psycopg2' | 'psycopg' | null;
}

export interface DatabaseOption {
  /** A Django engine path, e.g. "django.db.backends.postgresql". */
  engine: string;
  /** null when no condition applies; else when this engine is chosen, e.g. "DB=postgres" or "DATABASE_URL is set". */
  condition: string | null;
  file?: string;
  line?: number;
}

/** What runs the project's background work, and what schedules periodic jobs for it. */
export interface JobsInfo {
  system: 'celery' | 'rq' | 'django-q' | 'huey' | 'dramatiq' | 'none';
  /**
   * The periodic scheduler in use: "celery-beat" (schedule in settings / app.conf), "django_celery_beat",
   * "rq-scheduler", "django-q" (its Schedule model), "huey" (periodic_task), "periodiq", "apscheduler"; null when none.
   */
  scheduler: string | null;
  /** Where the evidence is: dependency lines, INSTALLED_APPS, the Celery app module. */
  declaredIn: Array<{ file: string; line: number }>;
}

export interface UnresolvedFact {
  file: string;
  line: number;
  message: string;
}

export interface ProjectModel {
  /** Absolute path of the project root (the folder holding manage.py). */
  root: string;
  managePy: string | null;
  /**
   * Folders besides the root where Python finds the project's modules, root-relative in search order: `src`
   * (src/ layout), `..` (a package developed beside tests/manage.py, installed with pip install -e), folders
   * added to sys.path by manage.py or the settings. Apps' `path` and models' `file` can lie in them.
   */
  sourceRoots?: string[];
  settings: SettingsInfo;
  /** "app_label.ModelName"; "auth.User" when AUTH_USER_MODEL is unset. */
  authUserModel: string;
  userModel: DjangoModel | null;
  /** Every concrete model found in the project's apps (the user model included), for table checks. */
  models?: DjangoModel[];
  apps: DjangoApp[];
  database: DatabaseInfo;
  celery: CeleryInfo | null;
  /** The background job system and its scheduler, from dependency declarations, INSTALLED_APPS and app modules. */
  jobs?: JobsInfo;
  email: EmailInfo;
  stripe: StripeInfo;
  activity: ActivityInfo;
  migrations: Record<string, MigrationsInfo>;
  unresolved: UnresolvedFact[];
  /** Files that were skipped (syntax errors, binary, too large) with a reason. */
  skipped?: UnresolvedFact[];
  /**
   * Files that no longer parse (an edit in progress) whose facts come from their last good reading, with the
   * line of the first syntax error. Empty when every file was read as it is.
   */
  staleReadings?: Array<{ file: string; line: number }>;
}
