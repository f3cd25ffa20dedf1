/**
 * SQL text built around the user's audience query. Both runtimes build the same text (vectors:
 * test/vectors/sql.json); only the parameter markers differ ($n here, %s in Python).
 * Keyset paging: the query is wrapped as a subquery and read in id order after the last id seen, so no
 * OFFSET scan and no whole audience in memory. PostgreSQL pushes `q.id > $1` into simple queries.
 */
import type { LoopManifest } from './manifest';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteTable(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

/** The user's query without trailing semicolons/whitespace, so it can sit inside parentheses. */
export function bareQuery(query: string): string {
  return query.replace(/[\s;]+$/, '');
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The dormancy cycle as text: whole epoch seconds of the last activity ("never" if none). Milestones:
 * "milestone:" + the row's `milestone` column when the query selects one (each value its own milestone,
 * e.g. anniversary-2025), else + the loop's milestone key (default: the loop id).
 */
export function cycleExpression(manifest: Pick<LoopManifest, 'type' | 'activityColumn' | 'id' | 'milestone'>, alias: string): string {
  if (manifest.type === 'milestone') return `'milestone:' || COALESCE(to_jsonb(${alias}) ->> 'milestone', ${quoteLiteral(manifest.milestone ?? manifest.id)})`;
  return `COALESCE(floor(extract(epoch FROM ${alias}.${quoteIdent(manifest.activityColumn)}))::bigint::text, 'never')`;
}

function selectList(manifest: LoopManifest, alias: string): string {
  const id = `${alias}.${quoteIdent(manifest.userIdColumn)}`;
  const email = `${alias}.${quoteIdent(manifest.emailColumn)}`;
  return `SELECT ${id}::text AS skene_user_id, ${email}::text AS skene_email, ${cycleExpression(manifest, alias)} AS skene_cycle, to_jsonb(${alias}) AS skene_row`;
}

/** First page: `LIMIT <p1>`; later pages: `WHERE q.id > <p1> ... LIMIT <p2>`. */
export function audiencePageSql(manifest: LoopManifest, firstPage: boolean, marker: (n: number) => string = (n) => `$${n}`): string {
  const id = `q.${quoteIdent(manifest.userIdColumn)}`;
  const where = firstPage ? '' : `WHERE ${id} > ${marker(1)}\n`;
  const limit = marker(firstPage ? 1 : 2);
  return `${selectList(manifest, 'q')}\nFROM (\n${bareQuery(manifest.audience.query)}\n) AS q\n${where}ORDER BY ${id}\nLIMIT ${limit}`;
}

/**
 * The user rows with their last activity: the user table itself, or (activityJoin) the user table left-joined to
 * the activity table as a subquery, so the database holds no view that would pin the user table's column types.
 */
export function userSource(manifest: Pick<LoopManifest, 'userTable' | 'userIdColumn' | 'activityColumn' | 'activityJoin'>): string {
  const join = manifest.activityJoin;
  if (!join) return quoteTable(manifest.userTable);
  const column = quoteIdent(manifest.activityColumn);
  const since = join.sinceColumn ? `COALESCE(a.${column}, u.${quoteIdent(join.sinceColumn)})` : `a.${column}`;
  return `(SELECT u.*, ${since} AS ${column} FROM ${quoteTable(manifest.userTable)} AS u LEFT JOIN ${quoteTable(join.table)} AS a ON a.user_id = u.${quoteIdent(manifest.userIdColumn)})`;
}

/** Current rows of some users (later sequence steps): ids as a PostgreSQL array literal typed like the id column. */
export function usersByIdSql(manifest: LoopManifest, marker: (n: number) => string = (n) => `$${n}`): string {
  const id = `u.${quoteIdent(manifest.userIdColumn)}`;
  return `${selectList(manifest, 'u')}\nFROM ${userSource(manifest)} AS u\nWHERE ${id} = ANY(${marker(1)})`;
}

/** A PostgreSQL array literal of text values, e.g. {"1","2"}; the server casts it to the id column's type. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * Records conversions: the first activity a run sees after a send (or a holdout row's time), on rows
 * still inside `lookbackSeconds` (the conversion window plus the sequence's last delay). Parameters: loop id,
 * the run's now, lookback seconds.
 */
export function conversionSweepSql(manifest: LoopManifest, marker: (n: number) => string = (n) => `$${n}`): string {
  const activity = `u.${quoteIdent(manifest.activityColumn)}`;
  const at = 'COALESCE(l.sent_at, l.created_at)';
  return [
    `UPDATE skene_send_ledger AS l SET converted_at = ${activity}`,
    `FROM ${userSource(manifest)} AS u`,
    `WHERE l.loop_id = ${marker(1)} AND l.status IN ('sent', 'held_out') AND l.converted_at IS NULL`,
    `  AND u.${quoteIdent(manifest.userIdColumn)}::text = l.user_id AND ${activity} > ${at}`,
    `  AND ${at} > ${marker(2)}::timestamptz - ${marker(3)} * interval '1 second'`,
  ].join('\n');
}
