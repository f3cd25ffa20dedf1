/**
 * Stripe audiences (RUNTIME.md guarantee 13): `audience: 'paying' | 'churn_risk' | 'free'` narrows the
 * loop's own SELECT to the users in that Stripe state. The SQL that decides who is in each audience is
 * compiled from the Django project by `skene init` (server/core/stripe) and stored in loops.json's project
 * facts; here it is AND-ed into the audience query, so the Celery task and the TypeScript runner run the
 * same single SELECT and cannot disagree.
 */
import type { Audience } from './types';

export const STRIPE_AUDIENCES = ['paying', 'churn_risk', 'free'] as const;
export type StripeAudienceName = (typeof STRIPE_AUDIENCES)[number];

/** One SELECT per audience returning the ids (never NULL) of the users in it. */
export type StripeAudienceSql = Record<StripeAudienceName, string>;

/** Alias of the user's query inside the filtered one; chosen so it cannot clash with a user's alias. */
const BASE_ALIAS = 'skene_audience_base';

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function isStripeAudience(audience: string): audience is StripeAudienceName {
  return (STRIPE_AUDIENCES as readonly string[]).includes(audience);
}

/**
 * The loop's audience query narrowed to a Stripe audience (unchanged for 'all'). Throws when the project
 * facts carry no compiled SQL: sending a "paying customers" email to everyone is worse than not sending.
 */
export function applyAudience(query: string, audience: Audience, userIdColumn: string, compiled: StripeAudienceSql | null | undefined): string {
  if (!isStripeAudience(audience)) return query;
  const filter = compiled?.[audience];
  if (!filter) {
    throw new Error(`audience '${audience}' needs the Stripe subscription SQL that \`skene init\` compiles from the project; run \`npx skene-django check\` and \`npx skene-django init\`.`);
  }
  const bare = query.replace(/[\s;]+$/, '');
  return `SELECT * FROM (\n${bare}\n) AS ${BASE_ALIAS}\nWHERE ${BASE_ALIAS}.${quoteIdent(userIdColumn)} IN (\n${filter}\n)`;
}
