import type { DatabaseInfo, UnresolvedFact } from './projectModel';
import type { Binding } from './settings/readSettings';
import { asString } from './settings/settingsValues';
import { dictGet } from './settings/staticEval';

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

/** DATABASES['default'] engine: a literal ENGINE, or the scheme of a database URL (dj-database-url, env.db()). */
export function detectDatabase(databases: Binding | undefined): { database: DatabaseInfo; unresolved: UnresolvedFact[] } {
  const unresolved: UnresolvedFact[] = [];
  if (!databases) {
    return { database: { engine: null, postgres: false, urlEnv: null }, unresolved: [{ file: '', line: 0, message: 'DATABASES is not set in the settings; Skene needs a PostgreSQL database' }] };
  }
  const where = { file: databases.file, line: databases.loc.line };
  const value = databases.value.k === 'dict' ? dictGet(databases.value, 'default') : null;
  let engine: string | null = null;
  let urlEnv: string | null = null;
  if (value?.k === 'dict') engine = asString(dictGet(value, 'ENGINE'));
  else if (value?.k === 'dburl') {
    urlEnv = value.url.k === 'env' ? value.url.name : null;
    engine = engineFromUrl(asString(value.url));
  }
  const postgres = engine !== null && /postgresql|postgis|psycopg/.test(engine);
  if (engine === null) {
    const why = urlEnv ? `comes from the ${urlEnv} environment variable with no default` : 'is not a literal Skene can read';
    unresolved.push({ ...where, message: `DATABASES['default'] ${why}; assuming nothing about the engine (the loop needs PostgreSQL)` });
  } else if (!postgres) {
    unresolved.push({ ...where, message: `DATABASES['default'] uses ${engine}; Skene's loop needs PostgreSQL` });
  }
  return { database: { engine, postgres, urlEnv }, unresolved };
}

function engineFromUrl(url: string | null): string | null {
  const scheme = url ? /^([a-z0-9+]+):/i.exec(url)?.[1]?.toLowerCase().split('+')[0] : undefined;
  return scheme ? (SCHEMES[scheme] ?? null) : null;
}

