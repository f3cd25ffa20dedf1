/**
 * The SQL the retention migrations run besides the ledger: the trigger on the events table (only ever moves
 * forward, throttled), the auth.User state view, the batched backfill of last activity and an index on a
 * reused column.
 * Every identifier from the project is quoted; each block comes with its exact reverse.
 */
import type { LoopTarget } from '../loopTarget';
import { quoteIdent as q } from '../sqlSyntax';

export interface SqlBlock {
  /** Python constant names in the migration. */
  name: string;
  reverseName: string;
  comment: string;
  /** What it creates, for the line migrate prints when it is skipped on another database. */
  what: string;
  sql: string;
  /** null: nothing to undo (RunSQL.noop). */
  reverseSql: string | null;
}

export const TRIGGER_FUNCTION = 'skene_touch_last_activity';
export const TRIGGER_NAME = 'skene_last_activity';

/** COALESCE(GREATEST(latest event, last login), date joined): the best guess of past activity we have. */
function pastActivity(target: LoopTarget, alias: string): string | null {
  const parts: string[] = [];
  const ev = target.events;
  if (ev) parts.push(`(SELECT max(e.${q(ev.timeField)}) FROM ${q(ev.table)} AS e WHERE e.${q(ev.userField)} = ${alias}.${q(target.user.id)})`);
  if (target.user.lastLogin) parts.push(`${alias}.${q(target.user.lastLogin)}`);
  const latest = parts.length > 1 ? `GREATEST(${parts.join(', ')})` : parts[0];
  const joined = target.user.dateJoined ? `${alias}.${q(target.user.dateJoined)}` : null;
  if (latest && joined) return `COALESCE(${latest}, ${joined})`;
  return latest ?? joined;
}

export interface Backfill {
  /** One batch: fills users whose primary key is between two parameters (psycopg placeholders, `%` doubled). */
  fillSql: string;
  /** The primary key column and the user table, quoted, `%` doubled. */
  idColumn: string;
  userTable: string;
  describe: string;
}

/** `%` doubled: Django passes parameters with these statements, so a literal % must be escaped. */
function withParams(sql: string): string {
  return sql.replace(/%/g, '%%');
}

/**
 * The backfill of last activity, as one batch statement over a primary-key range: the backfill migration runs
 * it range after range, each in its own short transaction, so no user row stays locked for long.
 */
export function backfill(target: LoopTarget): Backfill | null {
  const store = target.store;
  const guess = pastActivity(target, 'u');
  if (!guess) return null;
  const id = `u.${q(target.user.id)}`;
  const range = `${withParams(id)} BETWEEN %s AND %s`;
  const describe = [target.events ? `the latest ${target.events.table} row` : null, target.user.lastLogin ? 'last login' : null, target.user.dateJoined ? 'sign-up' : null].filter(Boolean).join(', ');
  if (store.kind === 'user-column') {
    if (!store.add) return null;
    const col = q(store.column);
    return { idColumn: withParams(q(target.user.id)), userTable: withParams(q(target.user.table)), describe, fillSql: withParams(`UPDATE ${q(target.user.table)} AS u SET ${col} = ${guess}\nWHERE `) + `${range} AND u.${withParams(col)} IS NULL` };
  }
  return {
    idColumn: withParams(q(target.user.id)),
    userTable: withParams(q(target.user.table)),
    describe,
    fillSql: withParams(`INSERT INTO ${q(store.table)} (user_id, ${q(store.column)})\nSELECT u.${q(target.user.id)}, ${guess} FROM ${q(target.user.table)} AS u\nWHERE `) + `${range} AND ${withParams(guess)} IS NOT NULL\nON CONFLICT (user_id) DO NOTHING`,
  };
}

/**
 * The user's row is written at most once per throttle window: an event less than `throttleMinutes` newer
 * than the stored value changes nothing, so a burst of events costs one write, not one per event (and the
 * user row, which the site updates too, is not locked by every insert).
 * The write is guarded by a read: an UPDATE (or an upsert) that ends up changing nothing still opens every
 * index of its table and takes their locks, which on a user table with a handful of indexes cost more than
 * the event insert itself. Most events fall inside the window, and then the read is all they cost. The write
 * repeats the condition, so two sessions racing past the read still move the value only forward.
 */
function triggerBody(target: LoopTarget, throttleMinutes: number): string {
  const ev = target.events;
  if (!ev) return '';
  const time = `NEW.${q(ev.timeField)}`;
  const user = `NEW.${q(ev.userField)}`;
  const window = `interval '${Math.max(0, Math.floor(throttleMinutes))} minutes'`;
  const store = target.store;
  if (store.kind === 'user-column') {
    const col = q(store.column);
    const stale = `${q(target.user.id)} = ${user} AND (${col} IS NULL OR ${col} < ${time} - ${window})`;
    return [
      `    IF EXISTS (SELECT 1 FROM ${q(target.user.table)}`,
      `        WHERE ${stale}) THEN`,
      `        UPDATE ${q(target.user.table)} SET ${col} = ${time}`,
      `        WHERE ${stale};`,
      '    END IF;',
    ].join('\n');
  }
  const table = q(store.table);
  const col = q(store.column);
  return [
    `    IF NOT EXISTS (SELECT 1 FROM ${table}`,
    `        WHERE user_id = ${user} AND ${col} >= ${time} - ${window}) THEN`,
    `        INSERT INTO ${table} (user_id, ${col})`,
    `        VALUES (${user}, ${time})`,
    `        ON CONFLICT (user_id) DO UPDATE SET ${col} = EXCLUDED.${col}`,
    `        WHERE ${table}.${col} < EXCLUDED.${col} - ${window};`,
    '    END IF;',
  ].join('\n');
}

function trigger(target: LoopTarget, throttleMinutes: number): SqlBlock | null {
  const ev = target.events;
  if (!ev) return null;
  const sql = [
    `CREATE OR REPLACE FUNCTION ${TRIGGER_FUNCTION}() RETURNS trigger`,
    'LANGUAGE plpgsql AS $$',
    'BEGIN',
    '    -- Only ever forward, and at most once per throttle window: an older event (a',
    '    -- late import, a backfill) or one just after the last write changes nothing.',
    '    -- Read first: most events fall inside the window, and an UPDATE that changes',
    '    -- nothing would still open every index of the table.',
    triggerBody(target, throttleMinutes),
    '    RETURN NULL;',
    'END;',
    '$$;',
    `CREATE TRIGGER ${TRIGGER_NAME} AFTER INSERT ON ${q(ev.table)}`,
    `FOR EACH ROW`,
    `WHEN (NEW.${q(ev.userField)} IS NOT NULL AND NEW.${q(ev.timeField)} IS NOT NULL)`,
    `EXECUTE FUNCTION ${TRIGGER_FUNCTION}();`,
  ].join('\n');
  return {
    name: 'TRIGGER_SQL',
    reverseName: 'DROP_TRIGGER_SQL',
    comment: `Every row inserted into ${ev.table} moves the user's last activity forward.`,
    what: `the last-activity trigger on ${ev.table}`,
    sql,
    reverseSql: `DROP TRIGGER IF EXISTS ${TRIGGER_NAME} ON ${q(ev.table)};\nDROP FUNCTION IF EXISTS ${TRIGGER_FUNCTION}();`,
  };
}

/** A last-activity column the project already had may not be indexed; the dormant query needs it to be. */
export function reusedColumnIndex(target: LoopTarget): { name: string; table: string; column: string } | null {
  const store = target.store;
  if (store.kind !== 'user-column' || store.add) return null;
  return { name: `skene_${target.user.table}_${store.column}`.slice(0, 63), table: target.user.table, column: store.column };
}

export function activitySqlBlocks(target: LoopTarget, throttleMinutes: number): SqlBlock[] {
  return [trigger(target, throttleMinutes)].filter((b): b is SqlBlock => b !== null);
}

/** The middleware's upsert for the activity table (psycopg2 placeholders: user id, now, now - throttle). */
export function touchSql(target: LoopTarget): string {
  const store = target.store;
  if (store.kind !== 'activity-table') return '';
  const col = q(store.column);
  return [
    `INSERT INTO ${q(store.table)} (user_id, ${col}) VALUES (%s, %s)`,
    `ON CONFLICT (user_id) DO UPDATE SET ${col} = EXCLUDED.${col}`,
    `WHERE ${q(store.table)}.${col} < %s`,
  ].join('\n');
}
