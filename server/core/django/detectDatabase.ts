import type { DatabaseInfo, DatabaseOption, UnresolvedFact } from './projectModel';
import type { Alternative, Binding } from './settings/readSettings';
import { asString } from './settings/settingsValues';
import { dictGet } from './settings/staticEval';
import type { PyValue } from './python/pyIr';

const SCHEMES: Record<string, string> = {
  postgres: 'django.db.backends.postgresql',
  postgresql: 'django.db.backends.postgresql',
  pgsql: 'django.db.backends.postgresql',
  psql: 'django.db.backends.postgresql',
  postgis: 'django.contrib.gis.db.backends.postgis',
  sqlite: 'django.db.backends.sqlite3',
  spatialite: 'django.contrib.gis.db.backends.spatialite',
  mysql: 'django.db.backends.mysql',
  mysql2: 'django.db.backends.mysql',
  mysqlgis: 'django.contrib.gis.db.backends.mysql',
  oracle: 'django.db.backends.oracle',
};

const POSTGRES_ENGINE = 'django.db.backends.postgresql';

export function isPostgresEngine(engine: string | null | undefined): boolean {
  return !!engine && /postgresql|postgis|psycopg/.test(engine);
}

/** What one reading of DATABASES['default'] gives: its engine, and an environment variable that can change it. */
interface EngineRead {
  engine: string | null;
  urlEnv: string | null;
  /** An environment variable that chooses the engine (a URL or ENGINE read from the environment). */
  switchEnv: { name: string; kind: 'url' | 'engine' } | null;
}

/**
 * DATABASES['default'] engine: a literal ENGINE, the scheme of a database URL (dj-database-url, env.db(),
 * with its default), and every other engine an environment switch selects (`if os.getenv("DB") == "postgres"`).
 * postgresSupport says whether some configuration is PostgreSQL: generators and the checker refuse only when none is.
 */
export function detectDatabase(
  databases: Binding | undefined,
  alternatives: Alternative[] = [],
  driver: DatabaseInfo['driver'] = null,
): { database: DatabaseInfo; unresolved: UnresolvedFact[] } {
  const unresolved: UnresolvedFact[] = [];
  if (!databases) {
    const options = alternatives.flatMap((alt) => optionsOf(readEngine(alt.value), alt.condition, alt));
    const support = supportOf(options);
    return {
      database: { engine: null, postgres: false, urlEnv: null, options, ...support, driver },
      unresolved: [{ file: '', line: 0, message: 'DATABASES is not set in the settings; Skene needs a PostgreSQL database' }],
    };
  }
  const where = { file: databases.file, line: databases.loc.line };
  const primary = readEngine(databases.value);
  const options = dedupe([
    ...optionsOf(primary, databases.condition ?? null, databases),
    ...alternatives.flatMap((alt) => optionsOf(readEngine(alt.value), alt.condition, alt)),
  ]);
  const { engine, urlEnv } = primary;
  const postgres = isPostgresEngine(engine);
  let support = supportOf(options);
  const external = alternatives.find((a) => a.external);
  if (external && support.postgresSupport === 'never') {
    // AWX: SQLite in the project's defaults, PostgreSQL from /etc/tower/conf.d/ on every install.
    unresolved.push({ file: external.file, line: external.loc.line, message: `DATABASES['default'] uses ${engine ?? options.map((o) => o.engine).join(', ')} in the project, but ${external.external} (outside the project) runs after it and may replace it; assuming nothing about the engine (the loop needs PostgreSQL)` });
    support = { postgresSupport: 'unknown', postgresCondition: null };
    return { database: { engine, postgres, urlEnv, options, ...support, driver }, unresolved };
  }
  if (support.postgresSupport === 'unknown') {
    // Name the call Skene could not follow, where it is (in a branch on the environment, that branch's line).
    const alt = alternatives.find((a) => unreadCall(a.value));
    const call = unreadCall(databases.value) ?? (alt ? `${unreadCall(alt.value)} when ${alt.condition}` : null);
    const at = !unreadCall(databases.value) && alt ? { file: alt.file, line: alt.loc.line } : where;
    const from = databases.calledFrom ? ` (returned by ${databases.calledFrom.name}(), ${databases.calledFrom.file}:${databases.calledFrom.line})` : '';
    const why = urlEnv
      ? `comes from the ${urlEnv} environment variable with no default`
      : call ? `comes from ${call}, which Skene could not follow to a literal` : `is not a literal Skene can read${from}`;
    unresolved.push({ ...at, message: `DATABASES['default'] ${why}; assuming nothing about the engine (the loop needs PostgreSQL)` });
  } else if (support.postgresSupport === 'never') {
    unresolved.push({ ...where, message: `DATABASES['default'] uses ${engine ?? options.map((o) => o.engine).join(', ')}; Skene's loop needs PostgreSQL` });
  }
  return { database: { engine, postgres, urlEnv, options, ...support, driver }, unresolved };
}

/** `parse_db_settings(...)` / `PostgresConfig(...).to_django_dict()`: the call DATABASES (or its default entry) is left as. */
function unreadCall(value: PyValue): string | null {
  const def = value.k === 'dict' ? dictGet(value, 'default') : value;
  if (def?.k !== 'call') return null;
  const name = (fn: PyValue): string | null =>
    fn.k === 'ref' ? fn.path.join('.') : fn.k === 'unknown' && /^\w+$/.test(fn.text) ? fn.text : fn.k === 'attr' ? `${fn.obj.k === 'call' ? `${name(fn.obj.fn) ?? '...'}(...)` : (name(fn.obj) ?? '...')}.${fn.name}` : null;
  const called = name(def.fn);
  return called ? `${called}(...)` : null;
}

function readEngine(value: PyValue): EngineRead {
  const def = value.k === 'dict' ? dictGet(value, 'default') : null;
  if (def?.k === 'dict') {
    const raw = dictGet(def, 'ENGINE');
    const switchEnv = raw?.k === 'env' ? { name: raw.name, kind: 'engine' as const } : null;
    return { engine: asString(raw), urlEnv: null, switchEnv };
  }
  if (def?.k === 'dburl') {
    const urlEnv = def.url.k === 'env' ? def.url.name : null;
    return { engine: engineFromUrl(asString(def.url)), urlEnv, switchEnv: urlEnv ? { name: urlEnv, kind: 'url' } : null };
  }
  return { engine: null, urlEnv: null, switchEnv: null };
}

/** The engine read, plus PostgreSQL when an environment variable can select it and the default is not PostgreSQL. */
function optionsOf(read: EngineRead, condition: string | null, at: Binding): DatabaseOption[] {
  const where = { file: at.file, line: at.loc.line };
  const out: DatabaseOption[] = [];
  const switchable = read.switchEnv && !isPostgresEngine(read.engine);
  if (read.engine) out.push({ engine: read.engine, condition: read.switchEnv && switchable ? join(condition, `${read.switchEnv.name} is not set`) : condition, ...where });
  if (read.switchEnv && switchable) {
    const when = read.switchEnv.kind === 'url' ? `${read.switchEnv.name} is a postgres:// URL` : `${read.switchEnv.name}=${POSTGRES_ENGINE}`;
    out.push({ engine: POSTGRES_ENGINE, condition: condition === `${read.switchEnv.name} is set` ? when : join(condition, when), ...where });
  }
  return out;
}

function join(a: string | null, b: string): string {
  return a ? `${a} and ${b}` : b;
}

/** Each engine+condition once; an option whose condition only adds parts to another's for the same engine is left out. */
function dedupe(options: DatabaseOption[]): DatabaseOption[] {
  const seen = new Set<string>();
  const unique = options.filter((o) => {
    const key = `${o.engine}\u0000${o.condition ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const parts = (c: string) => c.split(' and ');
  return unique.filter(
    (o) => !o.condition || !unique.some((p) => p !== o && p.engine === o.engine && p.condition && p.condition !== o.condition && parts(p.condition).every((x) => parts(o.condition as string).includes(x))),
  );
}

/**
 * "always": PostgreSQL with no condition, or only "X is not set" ones (what runs when the environment sets nothing); "conditional": only under
 * a condition (the first one is named); "never": every engine read is another one; "unknown": none could be read.
 */
function supportOf(options: DatabaseOption[]): Pick<DatabaseInfo, 'postgresSupport' | 'postgresCondition'> {
  if (!options.length) return { postgresSupport: 'unknown', postgresCondition: null };
  const pg = options.filter((o) => isPostgresEngine(o.engine));
  if (!pg.length) return { postgresSupport: 'never', postgresCondition: null };
  // What runs with no environment set: no condition, or only "X is not set" ones (plane's else branch).
  const withNoEnvironment = (c: string | null) => c === null || c.split(' and ').every((part) => / is not set$/.test(part));
  if (pg.some((o) => withNoEnvironment(o.condition))) return { postgresSupport: 'always', postgresCondition: null };
  return { postgresSupport: 'conditional', postgresCondition: pg[0]?.condition ?? null };
}

function engineFromUrl(url: string | null): string | null {
  const scheme = url ? /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase().split('+')[0] : undefined;
  return scheme ? (SCHEMES[scheme] ?? null) : null;
}
