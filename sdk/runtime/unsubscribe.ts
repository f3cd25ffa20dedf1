/**
 * Signed one-click unsubscribe links (RFC 8058). The token is HMAC-SHA256(secret, "skene-unsubscribe␟loop␟user")
 * in unpadded base64url; the secret is SKENE_SECRET (Node) or Django's SECRET_KEY (Celery) — the same
 * value must be configured on both sides for links to verify everywhere. Vectors: test/vectors/unsubscribe.json.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function unsubscribeToken(secret: string, loopId: string, userId: string): string {
  return createHmac('sha256', secret).update(['skene-unsubscribe', loopId, userId].join('\u001f'), 'utf8').digest('base64url');
}

export function unsubscribeLink(baseUrl: string, secret: string, loopId: string, userId: string): string {
  const joiner = baseUrl.includes('?') ? '&' : '?';
  const token = unsubscribeToken(secret, loopId, userId);
  return `${baseUrl}${joiner}l=${encodeURIComponent(loopId)}&u=${encodeURIComponent(userId)}&t=${token}`;
}

export function verifyUnsubscribeToken(secret: string, loopId: string, userId: string, token: string): boolean {
  const expected = Buffer.from(unsubscribeToken(secret, loopId, userId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The RFC 8058 header pair every email carries. */
export function unsubscribeHeaders(link: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
