/**
 * One SELECT per Stripe source with the same three columns — `user_id`, `status`, `canceling` (cancel at
 * period end) — so the audience rules (compileStripeAudiences.ts) are written once for every layout.
 */
import type { CustomerKey, SubscriptionColumns } from './djstripeLayout';
import type { StripeSource } from './stripeSource';

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads a column whether it is a real column (before 2.10) or only a key of stripe_data (2.10+). */
function eitherLayout(key: string): string {
  return `COALESCE(to_jsonb(sub_row) ->> '${key}', to_jsonb(sub_row) -> 'stripe_data' ->> '${key}')`;
}

function djstripeStatus(columns: SubscriptionColumns): { status: string; canceling: string } {
  if (columns === 'json') {
    return { status: `sub_row."stripe_data" ->> 'status'`, canceling: `COALESCE((sub_row."stripe_data" ->> 'cancel_at_period_end')::boolean, false)` };
  }
  if (columns === 'columns') return { status: 'sub_row."status"', canceling: 'COALESCE(sub_row."cancel_at_period_end", false)' };
  return { status: eitherLayout('status'), canceling: `COALESCE((${eitherLayout('cancel_at_period_end')})::boolean, false)` };
}

/**
 * The customer join. With the key unknown, each customer is offered under both of its keys (the Stripe id
 * "cus_…" and the numeric djstripe_id cannot collide), as an equality join PostgreSQL can hash.
 */
function djstripeCustomerJoin(key: CustomerKey): string {
  if (key !== 'either') return `JOIN "djstripe_customer" AS cus_row ON cus_row.${ident(key)} = sub_row."customer_id"`;
  return [
    'JOIN (',
    '  SELECT cus_row."subscriber_id", cus_key.value AS customer_key',
    '  FROM "djstripe_customer" AS cus_row',
    `  CROSS JOIN LATERAL (VALUES (to_jsonb(cus_row) ->> 'id'), (to_jsonb(cus_row) ->> 'djstripe_id')) AS cus_key(value)`,
    ') AS cus_row ON cus_row.customer_key = sub_row."customer_id"::text',
  ].join('\n');
}

export function subscriptionRowsSql(source: StripeSource): string {
  if (source.kind === 'djstripe') {
    const { status, canceling } = djstripeStatus(source.layout.columns);
    return [
      `SELECT cus_row."subscriber_id" AS user_id, ${status} AS status, ${canceling} AS canceling`,
      'FROM "djstripe_subscription" AS sub_row',
      djstripeCustomerJoin(source.layout.customerKey),
      'WHERE cus_row."subscriber_id" IS NOT NULL',
    ].join('\n');
  }
  const { model, user } = source;
  // The project's own table may store choices in any case ("ACTIVE"); Stripe's statuses are lowercase.
  const status = `lower(sub_row.${ident(model.statusColumn)})`;
  const canceling = model.cancelAtPeriodEndColumn ? `COALESCE(sub_row.${ident(model.cancelAtPeriodEndColumn)}, false)` : 'false';
  if (model.userColumn) {
    return [`SELECT sub_row.${ident(model.userColumn)} AS user_id, ${status} AS status, ${canceling} AS canceling`, `FROM ${ident(model.table)} AS sub_row`, `WHERE sub_row.${ident(model.userColumn)} IS NOT NULL`].join('\n');
  }
  if (!model.customerIdColumn || !source.userCustomerIdField) throw new Error(`${model.app}.${model.class} has neither a user FK nor a customer-id column`);
  return [
    `SELECT usr_row.${ident(user.id)} AS user_id, ${status} AS status, ${canceling} AS canceling`,
    `FROM ${ident(model.table)} AS sub_row`,
    `JOIN ${ident(user.table)} AS usr_row ON usr_row.${ident(source.userCustomerIdField)} = sub_row.${ident(model.customerIdColumn)}`,
  ].join('\n');
}
