/** The seeded people as the database now sees them (last activity as the trigger left it, suppressions). */
import type { PGlite } from '@electric-sql/pglite';
import { quoteIdent } from '../../generators/sqlSyntax';
import type { UserTableFacts } from '../../sdk/runtimeManifest';
import { DEMO_PEOPLE, demoEmail } from './seedDemo';

interface PersonRow {
  email: string;
  hours: number;
  suppressed: boolean;
}

function ago(hours: number): string {
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

export async function describePeople(db: PGlite, facts: UserTableFacts): Promise<string[]> {
  const table = quoteIdent(facts.userTable);
  const activity = quoteIdent(facts.activityColumn);
  const email = quoteIdent(facts.emailColumn);
  const rows = await db.query<PersonRow>(
    `SELECT u.${email} AS email, round(extract(epoch FROM now() - u.${activity}) / 3600)::int AS hours,
            EXISTS (SELECT 1 FROM skene_suppression s WHERE s.email = lower(u.${email})) AS suppressed
     FROM ${table} AS u ORDER BY u.${quoteIdent(facts.userIdColumn)}`,
  );
  const width = Math.max(...rows.rows.map((row) => row.email.length));
  return rows.rows.map((row) => {
    const person = DEMO_PEOPLE.find((p) => demoEmail(p) === row.email);
    return `   ${row.email.padEnd(width)}  last active ${ago(row.hours).padEnd(13)}  ${person?.role ?? ''}${row.suppressed ? ' (in skene_suppression)' : ''}`;
  });
}
