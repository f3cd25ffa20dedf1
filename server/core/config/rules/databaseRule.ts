/**
 * Loops query with PostgreSQL syntax and rely on its locking: an error on the loop when no configuration of the
 * project can be PostgreSQL (the rule the generators share, see postgresSupport.ts). An engine chosen by the
 * environment ("PostgreSQL when DB=postgres") or one that cannot be read is not an error.
 */
import { postgresRefusal } from '../../django/postgresSupport';
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import type { RuleContext } from './ruleContext';

export function checkDatabase(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const refusal = ctx.project ? postgresRefusal(ctx.project) : null;
  if (!refusal || !ctx.project) return [];
  const engine = ctx.project.database.engine ?? ctx.project.database.options?.[0]?.engine ?? null;
  return [{
    code: 'database-not-postgresql',
    severity: 'error',
    message: `${refusal} Switch ENGINE to 'django.db.backends.postgresql'.`,
    start: root.anchor.start,
    end: root.anchor.end,
    data: { engine },
  }];
}
