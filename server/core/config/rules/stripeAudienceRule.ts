/**
 * `audience: 'paying' | 'churn_risk' | 'free'` filters on Stripe subscriptions (RUNTIME.md guarantee 13).
 * The same compiler `skene init` uses (server/core/stripe) decides here whether the project has anything
 * to filter on: an error names what is missing, an info names what the SQL had to assume.
 */
import { GENERATED_MANIFEST_FILE } from '../../../../sdk/generated';
import { isStripeAudience, type StripeAudienceSql } from '../../../../sdk/stripeAudience';
import { compileStripeAudiences } from '../../stripe/compileStripeAudiences';
import type { MissingStripeData } from '../../stripe/stripeSource';
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { stringAt } from '../valueTree';
import type { RuleContext } from './ruleContext';

const FIXES: Record<MissingStripeData, string> = {
  stripe: "Install dj-stripe or add a subscription model, or use audience 'all'.",
  'subscription-table': "Add a subscription model kept current by Stripe webhooks, or install dj-stripe, or use audience 'all'.",
  'subscriber-model': "Use audience 'all' and join djstripe_customer to your subscriber model in the condition's query.",
  'user-model': "Fix AUTH_USER_MODEL so Skene can find the user table, or use audience 'all'.",
};

export function checkStripeAudience(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const node = stringAt(root.tree, ['audience']);
  if (!node || !ctx.project || !isStripeAudience(node.value)) return [];
  const audience = node.value;
  const at = { start: node.span.start, end: node.span.end };
  const compiled = compileStripeAudiences(ctx.project);
  if (!compiled.ok) {
    return [{
      code: 'stripe-audience-unavailable',
      severity: 'error',
      message: `audience '${audience}' filters on Stripe subscriptions, but ${compiled.reason}. ${FIXES[compiled.missing]}`,
      ...at,
      data: { audience, missing: compiled.missing },
    }];
  }
  const stale = staleStripeSql(ctx.options.generatedManifest, compiled.sql);
  return [...stale.map((message): RawIssue => ({ code: 'manifest-stale', severity: 'warning', message, ...at, data: { file: GENERATED_MANIFEST_FILE } })), ...compiled.assumptions.map((assumption): RawIssue => ({
    code: 'stripe-audience-assumption',
    severity: 'info',
    message: `audience '${audience}': ${assumption}.`,
    ...at,
    data: { audience, source: compiled.source.kind },
  }))];
}

/** loops.json compiled for another Stripe layout than the project has now (e.g. dj-stripe upgraded to 2.10). */
function staleStripeSql(generatedManifest: string | null | undefined, current: StripeAudienceSql): string[] {
  let stored: unknown;
  try {
    stored = generatedManifest ? (JSON.parse(generatedManifest) as { project?: { stripeAudiences?: unknown } }).project?.stripeAudiences : undefined;
  } catch {
    return [];
  }
  if (stored === undefined || JSON.stringify(stored) === JSON.stringify(current)) return [];
  return [`${GENERATED_MANIFEST_FILE} filters on Stripe tables as the project had them when \`skene init\` last ran; they changed since (e.g. a dj-stripe upgrade). Run \`npx skene-django init\` to recompile the audience.`];
}
