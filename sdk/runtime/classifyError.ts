/**
 * What to do with a provider answer. One table for both runtimes (vectors: test/vectors/classify.json).
 *   ok    — delivered
 *   retry — transient: back off (never shorter than retry-after) and send the same bytes again
 *   never — this email will not go out as is: mark the row failed
 *   stop  — the account cannot send now (auth, quota): stop the run, leave rows pending for a later run
 */

export type Outcome = 'ok' | 'retry' | 'never' | 'stop';

export interface ProviderAnswer {
  /** HTTP status; absent for network errors. */
  status?: number;
  /** Resend's error `name`, e.g. "daily_quota_exceeded". */
  errorName?: string;
  /** e.g. "ECONNRESET", "timeout". */
  networkError?: string;
  retryAfter?: string | null;
}

export interface Classification {
  outcome: Outcome;
  reason: string;
  retryAfterMs: number | null;
}

const QUOTA_NAMES = new Set(['daily_quota_exceeded', 'monthly_quota_exceeded']);

/** retry-after in whole seconds (Resend) or an HTTP date, relative to nowMs; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

function result(outcome: Outcome, reason: string, retryAfterMs: number | null = null): Classification {
  return { outcome, reason, retryAfterMs };
}

export function classifyAnswer(answer: ProviderAnswer, nowMs = 0): Classification {
  if (answer.networkError !== undefined) return result('retry', `network: ${answer.networkError}`);
  const status = answer.status ?? 0;
  const name = answer.errorName ?? '';
  if (status >= 200 && status < 300) return result('ok', 'sent');
  if (status === 429) {
    if (QUOTA_NAMES.has(name)) return result('stop', `quota: ${name}`);
    return result('retry', 'rate_limited', parseRetryAfter(answer.retryAfter, nowMs));
  }
  if (status === 401 || status === 403) return result('stop', `auth: ${status} ${name}`.trim());
  if (status === 409) {
    if (name === 'concurrent_idempotent_requests') return result('retry', 'concurrent_idempotent_request');
    return result('never', `idempotency_conflict: ${name || 'conflict'}`);
  }
  if (status === 408) return result('retry', 'request_timeout');
  if (status >= 500) return result('retry', `server_error: ${status}`);
  return result('never', `rejected: ${status} ${name}`.trim());
}
