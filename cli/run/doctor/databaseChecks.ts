/** DATABASE_URL reaches a PostgreSQL the ledger supports, and Skene's migrations have run there. */
import pg from 'pg';
import { quoteIdent } from '../../../generators/sqlSyntax';
import type { UserTableFacts } from '../../../sdk/runtimeManifest';
import { fail, pass, skip, type CheckResult } from './doctorCheck';

const DATABASE = 'Database';
const TABLES = "Skene's tables";
/** ledger.sql needs PostgreSQL 12+ (partial unique indexes with ON CONFLICT ... WHERE, jsonb, etc.). */
const MIN_SERVER_VERSION = 120000;
const CONNECT_TIMEOUT_MS = 5000;
export const LEDGER_TABLES = ['skene_send_ledger', 'skene_tick', 'skene_run', 'skene_suppression'];
const MIGRATE = 'python manage.py migrate (applies the migrations Initialize generated: the ledger tables, the activity column and trigger)';

/** host:port/database of a URL, never its password. */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

export async function databaseCheck(env: NodeJS.ProcessEnv): Promise<{ result: CheckResult; client: pg.Client | null }> {
  const url = env.DATABASE_URL;
  if (!url) return { result: fail(DATABASE, 'DATABASE_URL is not set', 'export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME (the database of Django\'s DATABASES["default"])'), client: null };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    const { rows } = await client.query<{ num: string; text: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
    const version = rows[0];
    if (Number(version?.num) < MIN_SERVER_VERSION) {
      await client.end();
      return { result: fail(DATABASE, `PostgreSQL ${version?.text ?? '?'} at ${where(url)} is too old`, 'Skene needs PostgreSQL 12 or later'), client: null };
    }
    // server_version may carry a packager suffix ("15.18 (Debian 15.18-0+deb12u1)"): the number is enough.
    return { result: pass(DATABASE, `PostgreSQL ${version?.text.split(' ')[0] ?? '?'} at ${where(url)}`), client };
  } catch (error) {
    await client.end().catch(() => undefined);
    return { result: fail(DATABASE, `cannot connect to ${where(url)}: ${(error as Error).message}`, 'check that PostgreSQL is running and that DATABASE_URL has the right host, port, database, user and password'), client: null };
  }
}

/** The table that holds last activity: the user table, or Skene's activity table for auth.User. */
function activityTable(facts: UserTableFacts): string {
  return facts.activityJoin?.table ?? facts.userTable;
}

async function missingColumn(client: pg.Client, facts: UserTableFacts): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2', [activityTable(facts), facts.activityColumn]);
  return rows.length === 0;
}

export async function tablesCheck(client: pg.Client | null, facts: UserTableFacts | null): Promise<CheckResult> {
  if (!client) return skip(TABLES, 'not checked without a database connection');
  const { rows } = await client.query<{ name: string; present: boolean }>('SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name', [LEDGER_TABLES]);
  const missing = rows.filter((row) => !row.present).map((row) => row.name);
  if (missing.length) return fail(TABLES, `missing ${missing.join(', ')}`, MIGRATE);
  if (facts && (await missingColumn(client, facts))) return fail(TABLES, `${quoteIdent(activityTable(facts))} has no ${facts.activityColumn} column`, MIGRATE);
  return pass(TABLES, `${LEDGER_TABLES.join(', ')}${facts ? ` and ${activityTable(facts)}.${facts.activityColumn}` : ''} are there`);
}
