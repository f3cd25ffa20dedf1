/**
 * A made-up user for the email preview, built from the user model's field types (the analyzer's ProjectModel),
 * shaped like the row the runtimes render with: `to_jsonb(user_row)`, so dates are ISO strings and numbers are
 * numbers. Well-known names get familiar values (first_name → "Ada"); everything else a value of its type.
 */
import type { DjangoField } from '../django/projectModel';

const BY_NAME: Record<string, unknown> = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
  name: 'Ada Lovelace',
  full_name: 'Ada Lovelace',
  display_name: 'Ada',
  nickname: 'Ada',
  email: 'ada@example.com',
  company: 'Analytical Engines Ltd',
  company_name: 'Analytical Engines Ltd',
  timezone: 'Europe/London',
  time_zone: 'Europe/London',
  language: 'en',
  locale: 'en-GB',
  country: 'GB',
  city: 'London',
  plan: 'pro',
};

const SAMPLE_TIME = '2024-06-01T09:30:00+00:00';

function byType(field: DjangoField): unknown {
  const type = field.type.replace(/^.*\./, '');
  if (/^(Big|Small|Positive|PositiveBig|PositiveSmall)?(Auto|Integer)Field$/.test(type) || type === 'AutoField') return field.name === 'id' ? 42 : 3;
  if (type === 'ForeignKey' || type === 'OneToOneField') return 7;
  if (type === 'FloatField') return 1.5;
  if (type === 'DecimalField') return 19.99;
  if (type === 'BooleanField' || type === 'NullBooleanField') return true;
  if (type === 'EmailField') return 'ada@example.com';
  if (type === 'URLField') return 'https://example.com/ada';
  if (type === 'UUIDField') return '123e4567-e89b-12d3-a456-426614174000';
  if (type === 'DateTimeField') return SAMPLE_TIME;
  if (type === 'DateField') return '2024-06-01';
  if (type === 'TimeField') return '09:30:00';
  if (type === 'DurationField') return '7 days';
  if (type === 'JSONField') return {};
  if (type === 'ManyToManyField') return undefined;
  return `sample ${field.name.replace(/_/g, ' ')}`;
}

export function sampleUserRow(fields: DjangoField[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of fields) {
    const value = field.name in BY_NAME ? BY_NAME[field.name] : byType(field);
    if (value !== undefined && field.column !== null) row[field.column] = value;
  }
  return row;
}
