/**
 * The SQL the retention migration runs besides the ledger: the backfill of last activity, the trigger on
 * the events table (only ever moves forward), the auth.User state view and an index on a reused column.
 * Every identifier from the project is quoted; each block comes with its exact reverse.
 */
import type { LoopTarget } from '../loopTarget';
import { quoteIdent as q } from '../sqlSyntax';

export interface SqlBlock {
  /** Python constant names in the migration. */
  name: string;
  reverseName: string;
  comment: string;
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

/** COALESCE(a, b) + c → COALESCE(a, b, c). */
function withFallback(expression: string, fallback: string): string {
  return expression.startsWith('COALESCE(') ? `${expression.slice(0, -1)}, ${fallback})` : `COALESCE(${expression}, ${fallback})`;
}

function backfill(target: LoopTarget): SqlBlock | null {
  const store = target.store;
  const guess = pastActivity(target, 'u');
  if (!guess) return null;
  const comment = 'Seeds last activity from what the database already knows (events, last login, sign-up); the trigger or middleware keeps it current from now on.';
  if (store.kind === 'user-column') {
    if (!store.add) return null;
    return { name: 'BACKFILL_SQL', reverseName: 'UNDO_BACKFILL_SQL', comment, reverseSql: null, sql: `UPDATE ${q(target.user.table)} AS u SET ${q(store.column)} = ${withFallback(guess, `u.${q(store.column)}`)};` };
  }
  return {
    name: 'BACKFILL_SQL',
    reverseName: 'UNDO_BACKFILL_SQL',
    comment,
    reverseSql: null,
    sql: `INSERT INTO ${q(store.table)} (user_id, ${q(store.column)})\nSELECT u.${q(target.user.id)}, ${guess} FROM ${q(target.user.table)} AS u\nWHERE ${guess} IS NOT NULL\nON CONFLICT (user_id) DO NOTHING;`,
  };
}

function triggerBody(target: LoopTarget): string {
  const ev = target.events;
  if (!ev) return '';
  const time = `NEW.${q(ev.timeField)}`;
  const store = target.store;
  if (store.kind === 'user-column') {
    const col = q(store.column);
    return `    UPDATE ${q(target.user.table)} SET ${col} = ${time}\n    WHERE ${q(target.user.id)} = NEW.${q(ev.userField)} AND (${col} IS NULL OR ${col} < ${time});`;
  }
  const col = q(store.column);
  return `    INSERT INTO ${q(store.table)} (user_id, ${col}) VALUES (NEW.${q(ev.userField)}, ${time})\n    ON CONFLICT (user_id) DO UPDATE SET ${col} = EXCLUDED.${col}\n    WHERE ${q(store.table)}.${col} < EXCLUDED.${col};`;
}

function trigger(target: LoopTarget): SqlBlock | null {
  const ev = target.events;
  if (!ev) return null;
  const sql = [
    `CREATE OR REPLACE FUNCTION ${TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    'BEGIN',
    '    -- Only ever forward: an older event (a late import, a backfill) changes nothing.',
    triggerBody(target),
    '    RETURN NULL;',
    'END;',
    '$$;',
    `CREATE TRIGGER ${TRIGGER_NAME} AFTER INSERT ON ${q(ev.table)}`,
    `FOR EACH ROW WHEN (NEW.${q(ev.userField)} IS NOT NULL AND NEW.${q(ev.timeField)} IS NOT NULL)`,
    `EXECUTE FUNCTION ${TRIGGER_FUNCTION}();`,
  ].join('\n');
  return {
    name: 'TRIGGER_SQL',
    reverseName: 'DROP_TRIGGER_SQL',
    comment: `Every row inserted into ${ev.table} moves the user's last activity forward.`,
    sql,
    reverseSql: `DROP TRIGGER IF EXISTS ${TRIGGER_NAME} ON ${q(ev.table)};\nDROP FUNCTION IF EXISTS ${TRIGGER_FUNCTION}();`,
  };
}

function stateView(target: LoopTarget): SqlBlock | null {
  const store = target.store;
  if (store.kind !== 'activity-table') return null;
  const since = target.user.dateJoined ? `COALESCE(a.${q(store.column)}, u.${q(target.user.dateJoined)})` : `a.${q(store.column)}`;
  return {
    name: 'STATE_VIEW_SQL',
    reverseName: 'DROP_STATE_VIEW_SQL',
    comment: 'The user table with its last activity: what the runtime reads when a sequence step checks a user again.',
    sql: `CREATE VIEW ${q(store.view)} AS\nSELECT u.*, ${since} AS ${q(store.column)}\nFROM ${q(target.user.table)} AS u\nLEFT JOIN ${q(store.table)} AS a ON a.user_id = u.${q(target.user.id)};`,
    reverseSql: `DROP VIEW IF EXISTS ${q(store.view)};`,
  };
}

/** A last-activity column the project already had may not be indexed; the dormant query needs it to be. */
function reusedColumnIndex(target: LoopTarget): SqlBlock | null {
  const store = target.store;
  if (store.kind !== 'user-column' || store.add) return null;
  const index = `skene_${target.user.table}_${store.column}`.slice(0, 63);
  return {
    name: 'INDEX_SQL',
    reverseName: 'DROP_INDEX_SQL',
    comment: `The dormant query filters on ${target.user.table}.${store.column}.`,
    sql: `CREATE INDEX IF NOT EXISTS ${q(index)} ON ${q(target.user.table)} (${q(store.column)});`,
    reverseSql: `DROP INDEX IF EXISTS ${q(index)};`,
  };
}

export function activitySqlBlocks(target: LoopTarget): SqlBlock[] {
  return [reusedColumnIndex(target), backfill(target), stateView(target), trigger(target)].filter((b): b is SqlBlock => b !== null);
}

/** The middleware's upsert for the activity table (psycopg2 placeholders: user id, now, now - throttle). */
export function touchSql(target: LoopTarget): string {
  const store = target.store;
  if (store.kind !== 'activity-table') return '';
  const col = q(store.column);
  return `INSERT INTO ${q(store.table)} (user_id, ${col}) VALUES (%s, %s) ON CONFLICT (user_id) DO UPDATE SET ${col} = EXCLUDED.${col} WHERE ${q(store.table)}.${col} < %s`;
}
