/**
 * Retry delays (vectors: test/vectors/backoff.json). Exponential: full jitter over
 * [0, min(cap, base·2^attempt)); fixed: min(base, cap). Never shorter than the provider's retry-after.
 * `random` is injectable so tests can assert exact sequences; it must return [0, 1).
 */
import type { BackoffKind } from './manifest';

export interface BackoffPolicy {
  backoff: BackoffKind;
  baseMs: number;
  capMs: number;
}

export function backoffDelayMs(policy: BackoffPolicy, attempt: number, retryAfterMs: number | null, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  const delay = policy.backoff === 'exponential' ? Math.floor(random() * ceiling) : Math.min(policy.baseMs, policy.capMs);
  return Math.max(delay, retryAfterMs ?? 0);
}
