/**
 * What the engine needs from an email provider: send one request (a single email or a batch) with an
 * Idempotency-Key and exact body bytes, and report what came back. Classification and retries live in the
 * engine, so every provider gets the same policy.
 */

export interface ProviderRequest {
  idempotencyKey: string;
  /** Exact bytes: one email's JSON, or a JSON array of them when `count` > 1. */
  body: string;
  count: number;
}

export type ProviderResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; json: unknown }
  | { kind: 'network'; error: string };

export interface EmailProvider {
  name: string;
  /** Most emails one request may carry (1 = no batch endpoint). */
  maxBatch: number;
  send(request: ProviderRequest): Promise<ProviderResult>;
}

/** Message ids from a response: `{id}` (single) or `{data: [{id}, ...]}` (batch). */
export function messageIds(json: unknown, count: number): Array<string | null> {
  const record = (json ?? {}) as { id?: unknown; data?: unknown };
  if (count === 1 && typeof record.id === 'string') return [record.id];
  const data = Array.isArray(record.data) ? record.data : [];
  return Array.from({ length: count }, (_unused, index) => {
    const id = (data[index] as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? id : null;
  });
}

/** Resend's error `name` from a response body, when there is one. */
export function errorName(json: unknown): string | undefined {
  const name = (json as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}
