/**
 * RESEND_API_KEY is set and Resend accepts it, checked with a read-only call (GET /domains on
 * RESEND_BASE_URL), and each loop's sender domain is in that list and verified. A key restricted to
 * sending cannot list domains: it is accepted, and the domain check says it could not look.
 */
import { RESEND_DEFAULT_BASE_URL } from '../../../sdk/runtime';
import { fail, pass, skip, type CheckResult } from './doctorCheck';

const KEY = 'Resend API key';
const DOMAIN = 'Sender domain';
const TIMEOUT_MS = 10_000;

export interface ResendDomain {
  name: string;
  status: string;
}

export type DomainList = ResendDomain[] | 'restricted' | null;

async function getDomains(baseUrl: string, apiKey: string): Promise<{ status: number; json: unknown } | { error: string }> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/domains`, { headers: { authorization: `Bearer ${apiKey}`, 'user-agent': 'skene-doctor/1' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json };
  } catch (error) {
    const err = error as { cause?: { code?: string }; message?: string };
    return { error: err.cause?.code ?? err.message ?? String(error) };
  }
}

export async function resendKeyCheck(env: NodeJS.ProcessEnv, usesResend: boolean): Promise<{ result: CheckResult; domains: DomainList }> {
  if (!usesResend) return { result: skip(KEY, 'no loop sends with resend (SKENE_EMAIL_PROVIDER or the config chose another provider)'), domains: null };
  const apiKey = env.RESEND_API_KEY;
  if (!apiKey) return { result: fail(KEY, 'RESEND_API_KEY is not set', 'create a key at https://resend.com/api-keys and set RESEND_API_KEY where Celery workers and `skene run` run'), domains: null };
  const baseUrl = env.RESEND_BASE_URL || RESEND_DEFAULT_BASE_URL;
  const answer = await getDomains(baseUrl, apiKey);
  if ('error' in answer) return { result: fail(KEY, `could not reach ${baseUrl}: ${answer.error}`, 'check the network (and RESEND_BASE_URL if you set it)'), domains: null };
  const body = answer.json as { name?: string; message?: string; data?: unknown } | null;
  if (answer.status === 401 && body?.name === 'restricted_api_key') return { result: pass(KEY, 'accepted (a sending-only key: it cannot list domains)'), domains: 'restricted' };
  if (answer.status === 401 || answer.status === 403) {
    return { result: fail(KEY, `rejected by ${baseUrl} (${answer.status}${body?.name ? ` ${body.name}` : ''}${body?.message ? `: ${body.message}` : ''})`, 'create a new key at https://resend.com/api-keys and set RESEND_API_KEY to it'), domains: null };
  }
  if (answer.status < 200 || answer.status >= 300) return { result: fail(KEY, `${baseUrl}/domains answered ${answer.status}`, 'try again later; see https://resend-status.com'), domains: null };
  const domains = (Array.isArray(body?.data) ? body.data : []) as ResendDomain[];
  return { result: pass(KEY, `accepted by ${baseUrl} (${domains.length} domain${domains.length === 1 ? '' : 's'})`), domains };
}

/** The domain of "Name <user@domain>" or "user@domain". */
export function senderDomain(from: string): string | null {
  const match = /([^\s<>@]+)@([^\s<>@]+?)>?\s*$/.exec(from.trim());
  return match?.[2]?.toLowerCase() ?? null;
}

export function senderDomainCheck(domains: DomainList, senders: string[]): CheckResult {
  if (domains === null) return skip(DOMAIN, 'not checked without an accepted Resend key');
  if (domains === 'restricted') return skip(DOMAIN, 'a sending-only key cannot list domains', 'check at https://resend.com/domains that the sender domain is verified');
  if (!senders.length) return fail(DOMAIN, 'no sender address', 'set DEFAULT_FROM_EMAIL or `from` on the email action');
  for (const sender of senders) {
    const domain = senderDomain(sender);
    if (!domain) return fail(DOMAIN, `"${sender}" is not an email address`, 'set `from` (or DEFAULT_FROM_EMAIL) to e.g. "Acme <hello@acme.com>"');
    const known = domains.find((d) => d.name.toLowerCase() === domain);
    if (!known) return fail(DOMAIN, `${domain} (from "${sender}") is not in your Resend domains (${domains.map((d) => d.name).join(', ') || 'none'})`, `add ${domain} at https://resend.com/domains and publish its DNS records, or send from a verified domain`);
    if (known.status !== 'verified') return fail(DOMAIN, `${domain} is ${known.status}, not verified`, `publish the DNS records shown at https://resend.com/domains for ${domain}, then wait for verification`);
  }
  return pass(DOMAIN, `${[...new Set(senders.map(senderDomain))].join(', ')} verified`);
}
