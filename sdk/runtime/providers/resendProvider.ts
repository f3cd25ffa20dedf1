/**
 * Resend over HTTP(S): POST /emails (one) or /emails/batch (up to 100), `Authorization: Bearer <key>`,
 * `Idempotency-Key`. The base URL is configurable (RESEND_BASE_URL) so tests point it at a local fake.
 */
import type { EmailProvider, ProviderRequest, ProviderResult } from './provider';

export const RESEND_DEFAULT_BASE_URL = 'https://api.resend.com';

export interface ResendOptions {
  apiKey: string;
  baseUrl?: string;
  /** Per-request timeout; a timeout is a retryable network error (the key makes the retry safe). */
  timeoutMs?: number;
}

function networkCode(error: unknown): string {
  const err = error as { name?: string; cause?: { code?: string }; code?: string };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  return err.cause?.code ?? err.code ?? err.name ?? 'network_error';
}

export function resendProvider(options: ResendOptions): EmailProvider {
  const baseUrl = (options.baseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    name: 'resend',
    maxBatch: 100,
    async send(request: ProviderRequest): Promise<ProviderResult> {
      const path = request.count > 1 ? '/emails/batch' : '/emails';
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey, 'user-agent': 'skene-runtime/1' },
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = { message: text };
        }
        return { kind: 'response', status: response.status, headers: Object.fromEntries(response.headers), json };
      } catch (error) {
        return { kind: 'network', error: networkCode(error) };
      }
    },
  };
}
