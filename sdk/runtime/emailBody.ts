/**
 * The provider body of one email, as the exact JSON text stored in the ledger and sent (Resend's shape).
 * Key order and compact separators are fixed so Python's json.dumps(..., separators=(',', ':'),
 * ensure_ascii=False) produces the same bytes (vectors: test/vectors/render.json).
 */
import { renderEmail, type RenderInput } from './render';
import { unsubscribeHeaders, unsubscribeLink } from './unsubscribe';

export interface EmailBodyInput {
  loopId: string;
  userId: string;
  email: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  personalization: Record<string, string>;
  user: Record<string, unknown>;
  unsubscribeBaseUrl: string;
  secret: string;
}

export function emailBody(input: EmailBodyInput): string {
  const link = unsubscribeLink(input.unsubscribeBaseUrl, input.secret, input.loopId, input.userId);
  const renderInput: RenderInput = { subject: input.subject, html: input.html, text: input.text, personalization: input.personalization, user: input.user, unsubscribeUrl: link };
  const rendered = renderEmail(renderInput);
  const body: Record<string, unknown> = { from: input.from, to: [input.email], subject: rendered.subject, html: rendered.html, text: rendered.text };
  if (input.replyTo) body.reply_to = input.replyTo;
  body.headers = unsubscribeHeaders(link);
  return JSON.stringify(body);
}
