/**
 * Whether an email may go now: the global frequency cap first, then quiet hours in the user's zone.
 * Either one defers the email (a `deferred` ledger row with not_before), never drops it. Pure; Python's
 * decide_delivery mirrors it (vectors: test/vectors/delivery.json).
 */
import { capDeferral } from './frequencyCap';
import type { LoopManifest } from './manifest';
import { effectiveZone, quietUntil } from './quietHours';

export type DeliveryVerdict = { kind: 'send' } | { kind: 'defer'; reason: 'capped' | 'quiet_hours'; notBeforeMs: number };

type DeliveryRules = Pick<LoopManifest, 'globalCap' | 'quietHours' | 'timezoneColumn'>;

export function decideDelivery(rules: DeliveryRules, row: Record<string, unknown>, recentSendsMs: readonly number[], nowMs: number): DeliveryVerdict {
  if (rules.globalCap) {
    const notBefore = capDeferral(recentSendsMs, rules.globalCap, nowMs);
    if (notBefore !== null) return { kind: 'defer', reason: 'capped', notBeforeMs: notBefore };
  }
  const quiet = rules.quietHours;
  if (quiet) {
    const zone = effectiveZone(rules.timezoneColumn ? row[rules.timezoneColumn] : null, quiet);
    const until = quietUntil(nowMs, zone, quiet);
    if (until !== null) return { kind: 'defer', reason: 'quiet_hours', notBeforeMs: until };
  }
  return { kind: 'send' };
}
