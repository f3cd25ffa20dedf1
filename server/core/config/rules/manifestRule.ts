/**
 * `manifest-stale`: the Celery task runs skene_retention/loops.json, which `skene init` generates from
 * skene.config.ts (Python cannot import TypeScript). When the config changed since, the task still runs
 * the old loop; this rule compares the loops the config defines now with the generated file.
 */
import { GENERATED_MANIFEST_FILE } from '../../../../sdk/generated';
import { ConditionRefused, toPlannedLoop, type GeneratedManifest, type PlannedLoop } from '../../../../sdk/runtimeManifest';
import { isStripeAudience } from '../../../../sdk/stripeAudience';
import type { ParsedLoop } from '../checkConfig';
import type { RawIssue } from '../issue';
import type { RuleContext } from './ruleContext';

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

function readManifest(text: string): GeneratedManifest | null {
  try {
    const value = JSON.parse(text) as GeneratedManifest;
    return value && typeof value === 'object' && Array.isArray(value.loops) && value.project ? value : null;
  } catch {
    return null;
  }
}

/** The first difference, in words: "loop 'x' changed (steps)", "loop 'y' is new", "loop 'z' was removed". */
function firstDifference(current: PlannedLoop[], generated: PlannedLoop[]): { id: string; what: string } | null {
  for (const loop of current) {
    const old = generated.find((g) => g.id === loop.id);
    if (!old) return { id: loop.id, what: `loop '${loop.id}' is not in it yet` };
    const keys = Object.keys(loop).filter((k) => canonical(loop[k as keyof PlannedLoop]) !== canonical(old[k as keyof PlannedLoop]));
    if (keys.length) return { id: loop.id, what: `loop '${loop.id}' changed (${keys.join(', ')})` };
  }
  const removed = generated.find((g) => !current.some((c) => c.id === g.id));
  return removed ? { id: removed.id, what: `it still has loop '${removed.id}', which the config no longer defines` } : null;
}

export function checkManifestFreshness(loops: ParsedLoop[], ctx: RuleContext): RawIssue[] {
  const text = ctx.options.generatedManifest;
  if (text === undefined || text === null || !loops.length || loops.some((l) => !l.manifest)) return [];
  const generated = readManifest(text);
  const first = loops[0];
  if (!first) return [];
  const issue = (at: ParsedLoop, message: string, data: Record<string, unknown>): RawIssue => ({ code: 'manifest-stale', severity: 'warning', message, start: at.anchor.start, end: at.anchor.end, data: { file: GENERATED_MANIFEST_FILE, ...data } });
  if (!generated) return [issue(first, `${GENERATED_MANIFEST_FILE} is not a manifest Skene can read; run \`npx skene-django init\` to regenerate it.`, {})];
  // A loop narrowed to a Stripe audience needs the SQL `skene init` compiles into the facts.
  const missingStripe = generated.project.stripeAudiences ? undefined : loops.find((l) => l.manifest && isStripeAudience(l.manifest.audience));
  if (missingStripe) {
    return [issue(missingStripe, `${GENERATED_MANIFEST_FILE} is out of date: loop '${missingStripe.manifest?.id}' filters on Stripe (audience '${missingStripe.manifest?.audience}'), which it has no SQL for. The Celery task runs the old loop until you run \`npx skene-django init\`.`, { loopId: missingStripe.manifest?.id })];
  }
  let current: PlannedLoop[];
  try {
    current = loops.map((l) => toPlannedLoop(l.manifest!, generated.project));
  } catch (error) {
    // A condition the SQL gate refuses is reported by the SQL rule; it is never written, so it is not "stale".
    if (error instanceof ConditionRefused) return [];
    throw error;
  }
  const difference = firstDifference(current, generated.loops);
  if (!difference) return [];
  const at = loops.find((l) => l.manifest?.id === difference.id) ?? first;
  return [issue(at, `${GENERATED_MANIFEST_FILE} is out of date: ${difference.what}. The Celery task runs the old loop until you run \`npx skene-django init\`.`, { loopId: difference.id })];
}
