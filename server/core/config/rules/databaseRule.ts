/** Loops query with PostgreSQL syntax and rely on its locking; any other database is an error on the loop. */
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import type { RuleContext } from './ruleContext';

export function checkDatabase(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const engine = ctx.project?.database.engine;
  if (!engine || /postgres|postgis|psycopg/i.test(engine)) return [];
  return [{
    code: 'database-not-postgresql',
    severity: 'error',
    message: `Skene loops need PostgreSQL, but DATABASES['default'] uses ${engine}. Switch ENGINE to 'django.db.backends.postgresql'.`,
    start: root.anchor.start,
    end: root.anchor.end,
    data: { engine },
  }];
}
