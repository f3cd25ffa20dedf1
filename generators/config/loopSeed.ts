/**
 * The seed loop Initialize writes, as data: the dormant-users retention loop on the project's real
 * table and columns (daily 09:00 in TIME_ZONE, 7 days without activity, Resend, 3 exponential retries).
 */
import type { LoopTarget } from '../loopTarget';
import { sqlIdent } from '../sqlSyntax';

export interface LoopSeed {
  id: string;
  cron: string;
  timezone: string;
  query: string;
  personalization: Record<string, string>;
  template: string;
  subject: string;
  dormantDays: number;
}

export const SEED_TEMPLATE = 're_engagement';
export const SEED_CRON = '0 9 * * *';

/**
 * The audience SELECT: dormant, active accounts; first name falls back to "there" so "Hi there," reads well;
 * the user's time zone column rides along so quiet hours are in their zone.
 */
export function dormantQuery(target: LoopTarget, days: number): string {
  const u = target.user;
  const interval = `now() - interval '${days} days'`;
  if (target.store.kind === 'user-column') {
    const activity = sqlIdent(target.store.column);
    const select = [sqlIdent(u.id), sqlIdent(u.email), ...(u.firstName ? [`COALESCE(NULLIF(${sqlIdent(u.firstName)}, ''), 'there') AS first_name`] : []), ...(u.timezone ? [sqlIdent(u.timezone)] : []), activity];
    const where = [...(u.isActive ? [sqlIdent(u.isActive)] : []), `${activity} < ${interval}`];
    return `SELECT ${select.join(', ')}\nFROM ${sqlIdent(u.table)}\nWHERE ${where.join('\n  AND ')}`;
  }
  // auth.User: last activity lives in Skene's table; a user with no row yet counts from the day they joined.
  const store = target.store;
  const since = u.dateJoined ? `COALESCE(a.${sqlIdent(store.column)}, u.${sqlIdent(u.dateJoined)})` : `a.${sqlIdent(store.column)}`;
  const select = [`u.${sqlIdent(u.id)}`, `u.${sqlIdent(u.email)}`, ...(u.firstName ? [`COALESCE(NULLIF(u.${sqlIdent(u.firstName)}, ''), 'there') AS first_name`] : []), ...(u.timezone ? [`u.${sqlIdent(u.timezone)}`] : []), `${since} AS ${sqlIdent(store.column)}`];
  const where = [...(u.isActive ? [`u.${sqlIdent(u.isActive)}`] : []), `${since} < ${interval}`];
  return `SELECT ${select.join(', ')}\nFROM ${sqlIdent(u.table)} AS u\nLEFT JOIN ${sqlIdent(store.table)} AS a ON a.user_id = u.${sqlIdent(u.id)}\nWHERE ${where.join('\n  AND ')}`;
}

export function loopSeed(target: LoopTarget, loopId: string, timezone: string, dormantDays: number): LoopSeed {
  return {
    id: loopId,
    cron: SEED_CRON,
    timezone,
    query: dormantQuery(target, dormantDays),
    personalization: target.user.firstName ? { first_name: '{{user.first_name}}' } : {},
    template: SEED_TEMPLATE,
    subject: 'It has been a while',
    dormantDays,
  };
}
