/**
 * CREATE TABLE for a Django model, derived from the analyzer's fields (name, Django type, column, null).
 * This is NOT Django's migrate: no Python runs in the demo, so the tables Django's own migrations would
 * create (the user table with the column Initialize adds, the events table) are rebuilt from what the
 * analyzer read in models.py. Column types follow Django's PostgreSQL backend; lengths, uniqueness and
 * Django's other tables (auth, sessions, ...) are left out because the loop reads none of them.
 */
import type { DjangoField, DjangoModel } from '../../server/core/django/projectModel';
import { quoteIdent } from '../../generators/sqlSyntax';
import { isColumn, type ColumnField } from '../../server/core/django/columnFields';

/** Django field class → PostgreSQL type, as django.db.backends.postgresql maps them. */
const COLUMN_TYPES: Record<string, string> = {
  AutoField: 'serial',
  BigAutoField: 'bigserial',
  SmallAutoField: 'smallserial',
  CharField: 'varchar(255)',
  EmailField: 'varchar(254)',
  SlugField: 'varchar(50)',
  URLField: 'varchar(200)',
  TextField: 'text',
  BooleanField: 'boolean',
  NullBooleanField: 'boolean',
  DateTimeField: 'timestamptz',
  DateField: 'date',
  TimeField: 'time',
  DurationField: 'interval',
  IntegerField: 'integer',
  SmallIntegerField: 'smallint',
  BigIntegerField: 'bigint',
  PositiveIntegerField: 'integer',
  PositiveSmallIntegerField: 'smallint',
  PositiveBigIntegerField: 'bigint',
  FloatField: 'double precision',
  DecimalField: 'numeric',
  UUIDField: 'uuid',
  JSONField: 'jsonb',
  GenericIPAddressField: 'inet',
  BinaryField: 'bytea',
  // Keys to other rows: the projects the demo runs on use bigint primary keys (DEFAULT_AUTO_FIELD).
  ForeignKey: 'bigint',
  OneToOneField: 'bigint',
};

const AUTO_FIELDS = new Set(['AutoField', 'BigAutoField', 'SmallAutoField']);

export function columnType(field: DjangoField): string {
  return COLUMN_TYPES[field.type] ?? 'text';
}

/** Columns the model stores (ManyToMany fields live in their own tables). */
export function storedFields(model: DjangoModel): ColumnField[] {
  return model.fields.filter(isColumn);
}

function columnDefinition(field: ColumnField, references: Record<string, string>): string {
  const parts = [quoteIdent(field.column), columnType(field)];
  if (AUTO_FIELDS.has(field.type)) parts.push('PRIMARY KEY');
  else if (!field.null) parts.push('NOT NULL');
  const target = references[field.column];
  if (target) parts.push(`REFERENCES ${quoteIdent(target)} ("id") DEFERRABLE INITIALLY DEFERRED`);
  return parts.join(' ');
}

/** `references`: column → table its key points to (e.g. { user_id: 'accounts_user' }). */
export function modelTableDdl(model: DjangoModel, references: Record<string, string> = {}): string {
  const columns = storedFields(model).map((field) => `    ${columnDefinition(field, references)}`);
  return `CREATE TABLE ${quoteIdent(model.table)} (\n${columns.join(',\n')}\n);`;
}
