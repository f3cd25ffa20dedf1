/**
 * The Stripe audiences as SQL for whatever the project has (RUNTIME.md guarantee 13):
 * - paying: some subscription is active or trialing;
 * - churn_risk: some subscription is past_due or will cancel at period end (active or trialing with
 *   cancel_at_period_end), and none is active/trialing without cancelling — a user who moved to a new plan
 *   while the old one runs out is not at risk;
 * - free: no subscription that is active, trialing or past_due (neither paying nor still being charged).
 * Each result is a SELECT of user ids (never NULL) that sdk/stripeAudience.ts AND-s into the loop's query.
 */
import type { StripeAudienceSql } from '../../../sdk/stripeAudience';
import type { ProjectModel } from '../django/projectModel';
import { ident, subscriptionRowsSql } from './subscriptionRows';
import { resolveStripeSource, type MissingStripeData, type StripeSource } from './stripeSource';

const PAYING = `stripe_sub.status IN ('active', 'trialing')`;
const PAST_DUE = `stripe_sub.status = 'past_due'`;

export type StripeAudienceCompilation =
  | { ok: true; source: StripeSource; sql: StripeAudienceSql; assumptions: string[] }
  | { ok: false; missing: MissingStripeData; reason: string };

function indent(sql: string): string {
  return sql.replace(/^/gm, '  ');
}

export function audienceSql(source: StripeSource): StripeAudienceSql {
  const rows = `(\n${indent(subscriptionRowsSql(source))}\n) AS stripe_sub`;
  const user = `person.${ident(source.user.id)}`;
  return {
    paying: `SELECT stripe_sub.user_id FROM ${rows}\nWHERE ${PAYING}`,
    churn_risk: [
      `SELECT stripe_sub.user_id FROM ${rows}`,
      'GROUP BY stripe_sub.user_id',
      `HAVING bool_or(${PAST_DUE} OR (${PAYING} AND stripe_sub.canceling))`,
      `  AND NOT COALESCE(bool_or(${PAYING} AND NOT stripe_sub.canceling), false)`,
    ].join('\n'),
    free: [
      `SELECT ${user} FROM ${ident(source.user.table)} AS person`,
      `WHERE NOT EXISTS (SELECT 1 FROM ${rows}`,
      `  WHERE stripe_sub.user_id = ${user} AND (${PAYING} OR ${PAST_DUE}))`,
    ].join('\n'),
  };
}

/** What the SQL had to assume, in words (empty when every fact came from the project). */
function assumptions(source: StripeSource): string[] {
  if (source.kind === 'djstripe') {
    return source.layout.unknown.map((fact) => `${fact} is not known, so the audience reads both dj-stripe layouts (slower on large tables)`);
  }
  const model = `${source.model.app}.${source.model.class}`;
  return source.model.cancelAtPeriodEndColumn ? [] : [`${model} has no cancel_at_period_end field, so churn_risk is past_due only`];
}

export function compileStripeAudiences(project: ProjectModel): StripeAudienceCompilation {
  const resolved = resolveStripeSource(project);
  if (!resolved.ok) return resolved;
  return { ok: true, source: resolved.source, sql: audienceSql(resolved.source), assumptions: assumptions(resolved.source) };
}
