/**
 * Plain SMTP through nodemailer, one email per request (SMTP has no batch). The stored Resend-shaped JSON
 * body is sent as is: from, to, subject, html, text, reply_to and the List-Unsubscribe headers.
 *
 * SMTP replies are mapped onto the HTTP statuses the shared classifier knows, so every provider gets one
 * policy: 2xx → 200; 530/535 (authentication) → 401 (stop the run); other 5xx → 422 (never retried);
 * 4xx → 503 (retried); no reply at all (refused, reset, timeout) → a network error (retried).
 */
import { createHash } from 'node:crypto';
import type { EmailProvider, ProviderRequest, ProviderResult } from './provider';

export interface SmtpOptions {
  /** smtp://user:password@host:587 or smtps://...:465; wins over the separate fields. */
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  /** Implicit TLS (port 465). Without it STARTTLS is used when the server offers it. */
  secure?: boolean;
  timeoutMs?: number;
}

interface EmailJson {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  reply_to?: string;
  headers?: Record<string, string>;
}

/** SMTP reply codes that mean the credentials are wrong or missing: the whole run should stop. */
const AUTH_CODES = new Set([530, 535]);

/**
 * `<skene.<40 hex of sha256(key)>@<sender's domain>>`: the same key gives the same Message-ID in both
 * runtimes, so a resend after a crash is recognisable (and de-duplicated by receivers that do).
 */
export function smtpMessageId(idempotencyKey: string, from: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'skene.invalid';
  return `<skene.${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}

/** A provider answer from an SMTP reply code (see the module comment). */
export function smtpAnswer(code: number, message: string): ProviderResult {
  const json = { name: `smtp_${code}`, message };
  if (AUTH_CODES.has(code)) return { kind: 'response', status: 401, headers: {}, json };
  if (code >= 500) return { kind: 'response', status: 422, headers: {}, json };
  return { kind: 'response', status: 503, headers: {}, json };
}

/** SMTP_URL, or SMTP_HOST / SMTP_PORT / SMTP_USER / SMTP_PASSWORD / SMTP_SECURE (true|1). */
export function smtpOptionsFromEnv(env: NodeJS.ProcessEnv): SmtpOptions {
  if (env.SMTP_URL) return { url: env.SMTP_URL };
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT ? Number(env.SMTP_PORT) : undefined,
    user: env.SMTP_USER || undefined,
    password: env.SMTP_PASSWORD || undefined,
    secure: env.SMTP_SECURE === 'true' || env.SMTP_SECURE === '1',
  };
}

/** The URL's parts as separate options (smtps: implicit TLS), so one code path builds the transport. */
function fromUrl(url: string): SmtpOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    secure: parsed.protocol === 'smtps:',
  };
}

// nodemailer is loaded on first use: importing the runtime (for resend or log) must not need it installed.
async function createTransport(options: SmtpOptions) {
  const { default: nodemailer } = await import('nodemailer');
  const settings = options.url ? { ...fromUrl(options.url), timeoutMs: options.timeoutMs } : options;
  const secure = settings.secure ?? false;
  const timeoutMs = settings.timeoutMs ?? 30_000;
  return nodemailer.createTransport({
    host: settings.host ?? 'localhost',
    port: settings.port ?? (secure ? 465 : 587),
    secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

function failure(error: unknown): ProviderResult {
  const err = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof err.responseCode === 'number') return smtpAnswer(err.responseCode, err.response ?? err.message ?? '');
  return { kind: 'network', error: err.code === 'ETIMEDOUT' ? 'timeout' : (err.code ?? 'smtp_error') };
}

export function smtpProvider(options: SmtpOptions): EmailProvider {
  let transport: ReturnType<typeof createTransport> | undefined;
  return {
    name: 'smtp',
    maxBatch: 1,
    async send(request: ProviderRequest): Promise<ProviderResult> {
      const email = JSON.parse(request.body) as EmailJson;
      const messageId = smtpMessageId(request.idempotencyKey, email.from);
      try {
        transport ??= createTransport(options);
        await (await transport).sendMail({ from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text, replyTo: email.reply_to, headers: email.headers ?? {}, messageId });
        return { kind: 'response', status: 200, headers: {}, json: { id: messageId } };
      } catch (error) {
        return failure(error);
      }
    },
  };
}
