/**
 * The Stripe part of loops.json's project facts: when a loop of the config narrows its audience to paying,
 * churn_risk or free users, the SQL compiled from the project's Stripe tables (server/core/stripe) goes into
 * the facts, and toPlannedLoop AND-s it into that loop's query — the Celery task and `skene run` then run
 * the same SELECT. Loops on 'all' add nothing, so projects without Stripe get the same file as before.
 */
import type { ManifestLoop } from '../sdk/manifest';
import type { UserTableFacts } from '../sdk/runtimeManifest';
import { isStripeAudience } from '../sdk/stripeAudience';
import type { ProjectModel } from '../server/core/django/projectModel';
import { compileStripeAudiences } from '../server/core/stripe/compileStripeAudiences';
import type { PlanNote } from './types';

/** The facts with the Stripe SQL added when a loop needs it; null (with an error note) when it cannot be compiled. */
export function withStripeAudiences(facts: UserTableFacts, project: ProjectModel, loops: ManifestLoop[], notes: PlanNote[]): UserTableFacts | null {
  const users = loops.filter((loop) => isStripeAudience(loop.audience));
  if (!users.length) return facts;
  const compiled = compileStripeAudiences(project);
  if (!compiled.ok) {
    const ids = users.map((loop) => `'${loop.id}'`).join(', ');
    notes.push({ severity: 'error', message: `Loop ${ids} filters on Stripe (audience '${users[0]?.audience}'), but ${compiled.reason}. skene_retention/loops.json was left as it is.` });
    return null;
  }
  return { ...facts, stripeAudiences: compiled.sql };
}
