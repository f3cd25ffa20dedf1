/**
 * The project's own subscription table, for Stripe audiences when dj-stripe is not installed: a model that
 * stores a Stripe status and links to the user, either by a foreign key to the user model or by a
 * customer-id column that matches the user's customer-id field.
 *
 * A user FK and a `status` field alone are not enough: an Order or a Ticket has both, and treating its
 * "paid"/"open" statuses as subscription states would silently select the wrong people. So the model must
 * also look like a subscription: "subscription" in its class or table name, or a Stripe-only field
 * (`cancel_at_period_end`, `stripe_subscription_id`).
 */
import type { ModelField } from '../django/models/classModels';
import type { SubscriptionModelInfo } from '../django/projectModel';
import type { ModelRecord } from '../django/readModels';
import { isColumn } from '../django/columnFields';

const STATUS_NAMES = ['status', 'subscription_status', 'stripe_status'];
const CANCEL_NAMES = ['cancel_at_period_end', 'cancels_at_period_end'];
const CUSTOMER_NAMES = ['stripe_customer_id', 'customer_id', 'stripe_customer', 'stripe_id'];
const STRIPE_ONLY_FIELDS = new Set([...CANCEL_NAMES, 'stripe_subscription_id', 'subscription_id']);

export interface SubscriptionSearch {
  records: ModelRecord[];
  /** "accounts.User": the user model itself is never the subscription table. */
  userLabel: string;
  /** True when a relation field points at the user model. */
  pointsAtUser: (field: ModelField, record: ModelRecord) => boolean;
  /** The user's customer-id column, for subscription tables keyed by customer id. */
  userCustomerIdField: string | null;
}

function plainField(fields: ModelField[], names: readonly string[]): (ModelField & { column: string }) | undefined {
  for (const name of names) {
    const field = fields.filter(isColumn).find((f) => f.name === name && !f.decl?.relation);
    if (field) return field;
  }
  return undefined;
}

function looksLikeSubscription(record: ModelRecord): boolean {
  const { class: cls, table } = record.model;
  return /subscription/i.test(cls) || /subscription/i.test(table) || record.fields.some((f) => STRIPE_ONLY_FIELDS.has(f.name));
}

function candidate(record: ModelRecord, search: SubscriptionSearch): SubscriptionModelInfo | null {
  const { app, class: cls, table } = record.model;
  if (`${app}.${cls}` === search.userLabel || app === 'djstripe' || !looksLikeSubscription(record)) return null;
  const status = plainField(record.fields, STATUS_NAMES);
  if (!status) return null;
  const userFk = record.fields.find((f) => f.decl?.relation && search.pointsAtUser(f, record));
  const customer = userFk || !search.userCustomerIdField ? undefined : plainField(record.fields, CUSTOMER_NAMES);
  if (!userFk && !customer) return null;
  return {
    app,
    class: cls,
    table,
    userColumn: userFk?.column ?? null,
    customerIdColumn: customer?.column ?? null,
    statusColumn: status.column,
    cancelAtPeriodEndColumn: plainField(record.fields, CANCEL_NAMES)?.column ?? null,
  };
}

/** The best subscription table: named like one first, then the one that knows about cancellation. */
export function findSubscriptionModel(search: SubscriptionSearch): SubscriptionModelInfo | null {
  const found = search.records.map((r) => candidate(r, search)).filter((c): c is SubscriptionModelInfo => c !== null);
  const rank = (c: SubscriptionModelInfo) => (/subscription/i.test(c.class) ? 2 : 0) + (c.cancelAtPeriodEndColumn ? 1 : 0) + (c.userColumn ? 1 : 0);
  found.sort((a, b) => rank(b) - rank(a) || (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  return found[0] ?? null;
}
