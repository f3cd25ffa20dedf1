// The fake behaves like Resend where the runtime depends on it; the provider talks to it over real HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeResend } from '../../helpers/fakeResend';
import { resendProvider } from '../../../sdk/runtime/providers/resendProvider';
import type { ProviderResult } from '../../../sdk/runtime/providers/provider';

const KEY = 're_test_key';
const email = (to: string) => JSON.stringify({ from: 'a@example.com', to: [to], subject: 's', html: 'h', text: 't' });

function brief(result: ProviderResult): unknown {
  if (result.kind === 'network') return { network: result.error };
  return { status: result.status, name: (result.json as { name?: string } | null)?.name ?? null };
}

describe('fake Resend', () => {
  test('idempotency: replay, payload mismatch, concurrent duplicate', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fake = await startFakeResend({ beforeRespond: ({ idempotencyKey }) => (idempotencyKey === 'slow' ? held : undefined) });
    try {
      const provider = resendProvider({ apiKey: KEY, baseUrl: fake.url });
      const first = await provider.send({ idempotencyKey: 'k1', body: email('a@x.io'), count: 1 });
      const replay = await provider.send({ idempotencyKey: 'k1', body: email('a@x.io'), count: 1 });
      const mismatch = await provider.send({ idempotencyKey: 'k1', body: email('b@x.io'), count: 1 });
      const slow = provider.send({ idempotencyKey: 'slow', body: email('c@x.io'), count: 1 });
      while (fake.requests.length < 4) await new Promise((resolve) => setImmediate(resolve));
      const concurrent = await provider.send({ idempotencyKey: 'slow', body: email('c@x.io'), count: 1 });
      release();
      const slowDone = await slow;
      assert.deepEqual([first, replay, mismatch, concurrent, slowDone].map(brief), [
        { status: 200, name: null }, { status: 200, name: null }, { status: 409, name: 'invalid_idempotent_request' },
        { status: 409, name: 'concurrent_idempotent_requests' }, { status: 200, name: null },
      ]);
      assert.deepEqual(first.kind === 'response' && replay.kind === 'response' ? replay.json : null, first.kind === 'response' ? first.json : 'x');
      assert.deepEqual(fake.uniqueEmails().map((e) => e.to[0]), ['a@x.io', 'c@x.io']);
      assert.deepEqual(fake.requests.map((r) => r.replayed), [false, true, false, false, false]);
    } finally {
      await fake.stop();
    }
  });

  test('batch endpoint, auth errors, scripted failures, domains', async () => {
    const fake = await startFakeResend();
    try {
      const provider = resendProvider({ apiKey: KEY, baseUrl: fake.url });
      const batch = await provider.send({ idempotencyKey: 'b1', body: `[${email('a@x.io')},${email('b@x.io')}]`, count: 2 });
      const wrongKey = await resendProvider({ apiKey: 'nope', baseUrl: fake.url }).send({ idempotencyKey: 'x', body: email('a@x.io'), count: 1 });
      fake.script({ status: 500, name: 'application_error' }, { status: 429, name: 'daily_quota_exceeded' }, { status: 401, name: 'missing_api_key' });
      const scripted = [];
      for (const key of ['s1', 's2', 's3']) scripted.push(await provider.send({ idempotencyKey: key, body: email('d@x.io'), count: 1 }));
      const domains = await fetch(`${fake.url}/domains`, { headers: { authorization: `Bearer ${KEY}` } });
      assert.deepEqual(
        { batch: batch.kind === 'response' ? batch.json : null, wrongKey: brief(wrongKey), scripted: scripted.map(brief), domains: await domains.json(), delivered: fake.uniqueEmails().length },
        {
          batch: { data: [{ id: 'fake-1' }, { id: 'fake-2' }] }, wrongKey: { status: 403, name: 'invalid_api_key' },
          scripted: [{ status: 500, name: 'application_error' }, { status: 429, name: 'daily_quota_exceeded' }, { status: 401, name: 'missing_api_key' }],
          domains: { data: [{ id: 'dom-1', name: 'example.com', status: 'verified' }] }, delivered: 2,
        },
      );
    } finally {
      await fake.stop();
    }
  });

  test('enforces N req/s with 429 + retry-after and reports ratelimit-* headers', async () => {
    const fake = await startFakeResend({ rateLimitPerSecond: 2 });
    try {
      const provider = resendProvider({ apiKey: KEY, baseUrl: fake.url });
      const results = [];
      for (const key of ['r1', 'r2', 'r3']) results.push(await provider.send({ idempotencyKey: key, body: email(`${key}@x.io`), count: 1 }));
      const last = results[2];
      assert.deepEqual(
        { statuses: results.map(brief), retryAfter: last?.kind === 'response' ? last.headers['retry-after'] : null, limit: last?.kind === 'response' ? last.headers['ratelimit-limit'] : null },
        { statuses: [{ status: 200, name: null }, { status: 200, name: null }, { status: 429, name: 'rate_limit_exceeded' }], retryAfter: '1', limit: '2' },
      );
    } finally {
      await fake.stop();
    }
  });

  test('a hanging request becomes a retryable network timeout', async () => {
    const fake = await startFakeResend();
    try {
      fake.script({ hang: true });
      const result = await resendProvider({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 200 }).send({ idempotencyKey: 'h', body: email('a@x.io'), count: 1 });
      assert.deepEqual(brief(result), { network: 'timeout' });
    } finally {
      await fake.stop();
    }
  });
});
