/**
 * Loops query with PostgreSQL syntax and rely on its locking: an error on the loop when no configuration of the
 * project can be PostgreSQL (the rule the generators share, see postgresSupport.ts). An engine chosen by the
 * environment ("PostgreSQL when DB=postgres") or one that cannot be read is not an error.
 */
import { postgresRefusal } from '../../django/postgresSupport';
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import type { RuleContext } from './ruleContext';

/**
 * A Python file of the project no longer parses (an edit in progress): the config is checked against the last
 * good reading of that file, which a warning on the loop says, naming the file and line.
 */
export function checkStaleReadings(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const stale = ctx.project?.staleReadings ?? [];
  if (!stale.length) return [];
  const files = stale.map((s) => `${s.file}:${s.line}`).join(', ');
  return [{
    code: 'project-stale-reading',
    severity: 'warning',
    message: `${files} has a syntax error; this config is checked against the last good reading of ${stale.length > 1 ? 'those files' : 'that file'}. Fix it to check against the code as it is.`,
    start: root.anchor.start,
    end: root.anchor.end,
    data: { files: stale },
  }];
}

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
