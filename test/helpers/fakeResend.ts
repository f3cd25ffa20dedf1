/**
 * A local HTTP server that behaves like Resend where Skene depends on it: POST /emails and /emails/batch,
 * Idempotency-Key remembered for 24 h (same key + same body → the same answer, different body → 409
 * invalid_idempotent_request, a duplicate while the first is in flight → 409 concurrent_idempotent_requests),
 * ratelimit-* headers, an optional N req/s token bucket (429 + retry-after), scripted failures (5xx, quota
 * 429, 401, hangs) and GET /domains for a read-only key check.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeResendOptions {
  apiKey?: string;
  /** Requests per second (token bucket of the same capacity); null = unthrottled. */
  rateLimitPerSecond?: number | null;
  idempotencyTtlMs?: number;
  domains?: Array<{ name: string; status: string }>;
  /** Awaited after an email request is processed and before it is answered (e.g. to kill the client). */
  beforeRespond?: (info: { index: number; path: string; idempotencyKey: string | null }) => void | Promise<void>;
}

/** A scripted answer: an error, a hang (never answers), or `pass` (processed normally). */
export type ScriptedAnswer = { status: number; name?: string; message?: string; retryAfter?: number } | { hang: true } | { pass: true };

export interface RecordedRequest {
  index: number;
  at: number;
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: string;
  status: number;
  errorName: string | null;
  /** Answered from the idempotency store: nothing was delivered again. */
  replayed: boolean;
}

export interface DeliveredEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface FakeResend {
  url: string;
  requests: RecordedRequest[];
  /** Emails delivered once each (idempotent replays are not deliveries). */
  uniqueEmails(): DeliveredEmail[];
  /** The next requests get these answers, in order, before any other processing. */
  script(...answers: ScriptedAnswer[]): void;
  stop(): Promise<void>;
}

interface StoredAnswer {
  bodyHash: string;
  inFlight: boolean;
  status: number;
  json: unknown;
  at: number;
}

interface Answer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
  errorName?: string | null;
  replayed?: boolean;
}

const DAY_MS = 24 * 3_600_000;
const UNTHROTTLED_LIMIT = 10_000;

function error(status: number, name: string, message: string, headers: Record<string, string> = {}): Answer {
  return { status, json: { statusCode: status, name, message }, headers, errorName: name };
}

class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  headers(): Record<string, string> {
    this.refill();
    return { 'ratelimit-limit': String(this.rate), 'ratelimit-remaining': String(Math.floor(this.tokens)), 'ratelimit-reset': String(Math.ceil((this.rate - this.tokens) / this.rate)) };
  }
  secondsUntilToken(): number {
    this.refill();
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function asEmail(raw: unknown, id: string, key: string | null): DeliveredEmail | null {
  const e = raw as Partial<DeliveredEmail> & { to?: unknown };
  if (!e || typeof e.from !== 'string' || typeof e.subject !== 'string') return null;
  const to = Array.isArray(e.to) ? e.to.map(String) : typeof e.to === 'string' ? [e.to] : [];
  if (!to.length) return null;
  return { id, idempotencyKey: key, from: e.from, to, subject: e.subject, html: e.html ?? '', text: e.text ?? '', headers: e.headers ?? {} };
}

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const apiKey = options.apiKey ?? 're_test_key';
  const ttl = options.idempotencyTtlMs ?? DAY_MS;
  const bucket = options.rateLimitPerSecond ? new TokenBucket(options.rateLimitPerSecond) : null;
  const requests: RecordedRequest[] = [];
  const delivered: DeliveredEmail[] = [];
  const store = new Map<string, StoredAnswer>();
  const scripted: ScriptedAnswer[] = [];
  const hung = new Set<http.ServerResponse>();
  let nextId = 0;

  function rateHeaders(): Record<string, string> {
    return bucket?.headers() ?? { 'ratelimit-limit': String(UNTHROTTLED_LIMIT), 'ratelimit-remaining': String(UNTHROTTLED_LIMIT), 'ratelimit-reset': '1' };
  }

  function deliver(path: string, body: string, key: string | null): Answer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return error(422, 'validation_error', 'body is not JSON');
    }
    const list = path === '/emails/batch' ? parsed : [parsed];
    if (!Array.isArray(list) || list.length === 0 || list.length > 100) return error(422, 'validation_error', 'a batch carries 1 to 100 emails');
    const emails = list.map((raw) => asEmail(raw, `fake-${++nextId}`, key));
    if (emails.some((email) => email === null)) return error(422, 'validation_error', 'every email needs from, to and subject');
    for (const email of emails) delivered.push(email as DeliveredEmail);
    const data = emails.map((email) => ({ id: (email as DeliveredEmail).id }));
    return { status: 200, json: path === '/emails/batch' ? { data } : data[0] };
  }

  async function answerEmail(path: string, body: string, key: string | null, index: number): Promise<Answer> {
    const next = scripted.shift();
    if (next && 'hang' in next) return { status: -1, json: null };
    if (next && 'status' in next) return error(next.status, next.name ?? 'application_error', next.message ?? 'scripted', next.retryAfter === undefined ? {} : { 'retry-after': String(next.retryAfter) });
    if (bucket && !bucket.take()) return error(429, 'rate_limit_exceeded', 'Too many requests', { 'retry-after': String(bucket.secondsUntilToken()) });
    const hash = createHash('sha256').update(body).digest('hex');
    const now = Date.now();
    const stored = key ? store.get(key) : undefined;
    if (key && stored && now - stored.at < ttl) {
      if (stored.inFlight) return error(409, 'concurrent_idempotent_requests', 'Same idempotency key used while original request is still in progress');
      if (stored.bodyHash !== hash) return error(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload');
      return { status: stored.status, json: stored.json, replayed: true };
    }
    const entry: StoredAnswer = { bodyHash: hash, inFlight: true, status: 0, json: null, at: now };
    if (key) store.set(key, entry);
    const answer = deliver(path, body, key);
    await options.beforeRespond?.({ index, path, idempotencyKey: key });
    // Like Resend, only successful requests are remembered; a failed one may be retried with the key.
    if (key && answer.status === 200) Object.assign(entry, { inFlight: false, status: answer.status, json: answer.json });
    else if (key) store.delete(key);
    return answer;
  }

  function authorized(req: http.IncomingMessage): Answer | null {
    const header = req.headers.authorization;
    if (!header) return error(401, 'missing_api_key', 'Missing API key in the authorization header');
    if (header !== `Bearer ${apiKey}`) return error(403, 'invalid_api_key', 'API key is invalid');
    return null;
  }

  async function route(req: http.IncomingMessage, body: string, index: number): Promise<Answer> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const denied = authorized(req);
    if (req.method === 'GET' && path === '/domains') {
      return denied ?? { status: 200, json: { data: (options.domains ?? [{ name: 'example.com', status: 'verified' }]).map((d, i) => ({ id: `dom-${i + 1}`, ...d })) } };
    }
    if (req.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) return error(404, 'not_found', 'not found');
    if (denied) return denied;
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    return answerEmail(path, body, key, index);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const index = requests.length;
      const record: RecordedRequest = { index, at: Date.now(), method: req.method ?? '', path: req.url ?? '', idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null, body, status: 0, errorName: null, replayed: false };
      requests.push(record);
      const answer = await route(req, body, index);
      if (answer.status === -1) {
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      }
      Object.assign(record, { status: answer.status, errorName: answer.errorName ?? null, replayed: answer.replayed ?? false });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...rateHeaders(), ...answer.headers });
      res.end(JSON.stringify(answer.json));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    uniqueEmails: () => [...delivered],
    script: (...answers) => void scripted.push(...answers),
    stop: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
