import { isPostgresEngine } from './detectDatabase';
import type { ProjectModel } from './projectModel';

/**
 * The one refusal rule the generators and the checker share: refuse only when no configuration of the project
 * can be PostgreSQL (every engine read is another one). An unreadable engine, or PostgreSQL under a condition
 * ("PostgreSQL when DB=postgres"), is not refused. Returns the message naming why, or null.
 */
export function postgresRefusal(model: ProjectModel): string | null {
  const db = model.database;
  const support = db.postgresSupport ?? (db.engine === null ? 'unknown' : isPostgresEngine(db.engine) ? 'always' : 'never');
  if (support !== 'never') return null;
  const options = db.options?.length ? db.options : db.engine ? [{ engine: db.engine, condition: null }] : [];
  const engines = [...new Set(options.map((o) => o.engine))].join(', ');
  const first = db.options?.find((o) => o.file);
  const where = first?.file ? ` (${first.file}${first.line ? `:${first.line}` : ''})` : '';
  const many = options.length > 1 ? `; no configuration of this project selects PostgreSQL` : '';
  return `Skene needs PostgreSQL; this project's DATABASES uses ${engines}${where}${many}.`;
}
