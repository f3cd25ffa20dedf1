/**
 * The demo's people: some dormant, some active, one deactivated account and one who unsubscribed earlier.
 * Users are inserted as Django would have created them 90 days ago (last activity = sign-up time, the
 * field's default), then their events are inserted and the generated trigger moves last activity forward,
 * exactly as it will in the user's database. Every column the analyzer found gets a value, so NOT NULL
 * columns the demo does not care about (password, is_staff, ...) hold their type's empty value.
 */
import type { PGlite } from '@electric-sql/pglite';
import { quoteIdent } from '../../generators/sqlSyntax';
import type { DjangoField, DjangoModel, EventsModelInfo } from '../../server/core/django/projectModel';
import { storedFields } from './modelTableDdl';
import type { ColumnField } from '../../server/core/django/columnFields';

export interface DemoPerson {
  username: string;
  firstName: string;
  /** Hours since the last event; the trigger makes it the user's last activity. */
  lastEventHoursAgo: number;
  active: boolean;
  unsubscribed: boolean;
  /** What the demo expects the loop to do, shown next to the person. */
  role: string;
}

const DAY = 24;
const SIGNED_UP_HOURS_AGO = 90 * DAY;

export const DEMO_PEOPLE: DemoPerson[] = [
  { username: 'ann', firstName: 'Ann', lastEventHoursAgo: 30 * DAY, active: true, unsubscribed: false, role: 'dormant' },
  { username: 'bo', firstName: 'Bo', lastEventHoursAgo: 12 * DAY, active: true, unsubscribed: false, role: 'dormant' },
  { username: 'cy', firstName: '', lastEventHoursAgo: 9 * DAY, active: true, unsubscribed: false, role: 'dormant, no first name' },
  { username: 'dan', firstName: 'Dan', lastEventHoursAgo: 1 * DAY, active: true, unsubscribed: false, role: 'active' },
  { username: 'eve', firstName: 'Eve', lastEventHoursAgo: 2, active: true, unsubscribed: false, role: 'active' },
  { username: 'fay', firstName: 'Fay', lastEventHoursAgo: 40 * DAY, active: false, unsubscribed: false, role: 'dormant, account deactivated' },
  { username: 'gus', firstName: 'Gus', lastEventHoursAgo: 20 * DAY, active: true, unsubscribed: true, role: 'dormant, unsubscribed earlier' },
];

export function demoEmail(person: DemoPerson): string {
  return `${person.username}@example.com`;
}

/** A SQL expression: a parameter for the values we set, the type's empty value for the rest. */
function emptyValue(field: DjangoField): string {
  if (field.null) return 'NULL';
  if (/Boolean/.test(field.type)) return 'false';
  if (/DateTime/.test(field.type)) return `now() - interval '${SIGNED_UP_HOURS_AGO} hours'`;
  if (/Integer|Float|Decimal/.test(field.type)) return '0';
  if (field.type === 'JSONField') return `'{}'`;
  return `''`;
}

async function insertRow(db: PGlite, table: string, fields: ColumnField[], chosen: Record<string, { sql: string; value?: unknown }>): Promise<string> {
  const values: unknown[] = [];
  const expressions = fields.map((field) => {
    const pick = chosen[field.column];
    if (!pick) return emptyValue(field);
    if (pick.value === undefined) return pick.sql;
    values.push(pick.value);
    return pick.sql.replace('?', `$${values.length}`);
  });
  const columns = fields.map((field) => quoteIdent(field.column)).join(', ');
  const result = await db.query<{ id: string }>(`INSERT INTO ${quoteIdent(table)} (${columns}) VALUES (${expressions.join(', ')}) RETURNING "id"`, values);
  return String(result.rows[0]?.id);
}

const hoursAgo = (hours: number) => ({ sql: `now() - ?::int * interval '1 hour'`, value: hours });

export async function seedDemo(db: PGlite, userModel: DjangoModel, eventsModel: DjangoModel, events: EventsModelInfo, activityColumn: string): Promise<number> {
  const userFields = storedFields(userModel).filter((f) => !/AutoField$/.test(f.type));
  const eventFields = storedFields(eventsModel).filter((f) => !/AutoField$/.test(f.type));
  let eventCount = 0;
  for (const person of DEMO_PEOPLE) {
    const userId = await insertRow(db, userModel.table, userFields, {
      username: { sql: '?', value: person.username },
      first_name: { sql: '?', value: person.firstName },
      email: { sql: '?', value: demoEmail(person) },
      is_active: { sql: '?', value: person.active },
      date_joined: hoursAgo(SIGNED_UP_HOURS_AGO),
      [activityColumn]: hoursAgo(SIGNED_UP_HOURS_AGO),
    });
    for (const [name, at] of [['signed_up', SIGNED_UP_HOURS_AGO], ['visit', person.lastEventHoursAgo]] as const) {
      await insertRow(db, eventsModel.table, eventFields, { [events.userField]: { sql: '?', value: userId }, [events.timeField]: hoursAgo(at), name: { sql: '?', value: name } });
      eventCount += 1;
    }
    if (person.unsubscribed) await db.query(`INSERT INTO skene_suppression (email, reason) VALUES ($1, 'unsubscribed')`, [demoEmail(person).toLowerCase()]);
  }
  return eventCount;
}
