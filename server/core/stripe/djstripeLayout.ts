/**
 * Which dj-stripe table layout a project has, from the version its requirements name.
 *
 * - dj-stripe 2.10 (migration 0002_2_10) removed `status`, `cancel_at_period_end` and most other columns
 *   of `djstripe_subscription`; they live only in the JSON column `stripe_data` (jsonb on PostgreSQL).
 *   Earlier 2.x versions have the columns (2.9 also has `stripe_data`, which rows synced before it may lack).
 * - `djstripe_subscription.customer_id` holds the Customer's `djstripe_id` (the primary key) before 2.4;
 *   from 2.4 on it holds the column named by DJSTRIPE_FOREIGN_KEY_TO_FIELD: `id` (the Stripe id, new
 *   installs) or `djstripe_id` (installs upgraded from before 2.4).
 * Sources are listed in docs/decisions.md ("Stripe audiences").
 */
import type { StripeInfo } from '../django/projectModel';

export type SubscriptionColumns = 'json' | 'columns' | 'either';
export type CustomerKey = 'id' | 'djstripe_id' | 'either';

export interface DjstripeLayout {
  /** Where status / cancel_at_period_end live; 'either' reads both (version unknown). */
  columns: SubscriptionColumns;
  /** The Customer column djstripe_subscription.customer_id matches; 'either' tries both. */
  customerKey: CustomerKey;
  /** What could not be read from the project, for the `stripe-audience-assumption` diagnostic. */
  unknown: string[];
}

type Version = number[];

const JSON_ONLY: Version = [2, 10];
const FK_SETTING: Version = [2, 4];

function parseVersion(text: string): Version | null {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(text.trim());
  return match?.[1] ? match[1].split('.').map(Number) : null;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/** Lowest and highest version a requirement allows (null: unbounded), from ==, >=, >, ~=, ^, ~, <, <=. */
export function versionRange(spec: string): { low: Version | null; high: Version | null; highInclusive: boolean } {
  let low: Version | null = null;
  let high: Version | null = null;
  let highInclusive = false;
  for (const part of spec.split(',')) {
    const match = /^\s*(==|>=|<=|~=|!=|>|<|\^|~)?\s*(.+)$/.exec(part);
    const version = match?.[2] ? parseVersion(match[2]) : null;
    if (!match || !version || match[1] === '!=') continue;
    const op = match[1] ?? '==';
    if (op === '<' || op === '<=') {
      high = version;
      highInclusive = op === '<=';
    } else low = version;
    if (op === '==') [high, highInclusive] = [version, true];
  }
  return { low, high, highInclusive };
}

/** 'yes' when every allowed version is ≥ at, 'no' when every one is below it, else null. */
function atLeast(spec: string, at: Version): 'yes' | 'no' | null {
  const { low, high, highInclusive } = versionRange(spec);
  if (low && compare(low, at) >= 0) return 'yes';
  if (high && (compare(high, at) < 0 || (!highInclusive && compare(high, at) === 0))) return 'no';
  return null;
}

export function djstripeLayout(stripe: StripeInfo): DjstripeLayout {
  const spec = typeof stripe.djstripe === 'string' ? `==${stripe.djstripe}` : (stripe.djstripeSpec ?? '');
  const unknown: string[] = [];
  const json = spec ? atLeast(spec, JSON_ONLY) : null;
  if (json === null) unknown.push('the dj-stripe version (pin it with == in requirements)');
  const columns: SubscriptionColumns = json === 'yes' ? 'json' : json === 'no' ? 'columns' : 'either';
  const fkSetting = spec ? atLeast(spec, FK_SETTING) : null;
  const setting = stripe.djstripeForeignKeyToField;
  let customerKey: CustomerKey = 'either';
  if (fkSetting === 'no') customerKey = 'djstripe_id';
  else if (setting === 'id' || setting === 'djstripe_id') customerKey = setting;
  else unknown.push('DJSTRIPE_FOREIGN_KEY_TO_FIELD (set it to a literal "id" or "djstripe_id")');
  return { columns, customerKey, unknown };
}
