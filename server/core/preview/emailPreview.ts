/**
 * One email exactly as a runtime would send it: the runtime's own emailBody() (same renderer, escaping, subject,
 * List-Unsubscribe headers, JSON bytes) for a loop step and a user row, read back into its parts, with the
 * warnings of what mail clients will do to it.
 */
import { emailBody } from '../../../sdk/runtime/emailBody';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import { mailWarnings, type MailWarning } from './mailWarnings';

export interface PreviewRequest {
  loop: LoopManifest;
  step: number;
  user: Record<string, unknown>;
  /** Signs the unsubscribe link (SKENE_SECRET); a placeholder when unset, which the preview says. */
  secret: string;
  /** A test send: this address instead of the user's, and an unsubscribe link that names no real user. */
  testTo?: string;
}

/** Test emails sign their unsubscribe link for this id, so a click can never unsubscribe the real user. */
export const testLinkUserId = (userId: string) => `skene-test:${userId}`;

export interface EmailPreview {
  loopId: string;
  step: number;
  template: string;
  userId: string;
  from: string;
  to: string[];
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  /** The provider request body, byte for byte what the ledger stores and the provider receives. */
  body: string;
  warnings: MailWarning[];
}

interface SentBody {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  reply_to?: string;
  headers: Record<string, string>;
}

/** The id and address as the runtime reads them from the row (user id column, email column). */
function identity(loop: LoopManifest, user: Record<string, unknown>): { userId: string; email: string } {
  const id = user[loop.userIdColumn];
  const email = user[loop.emailColumn];
  // The runtime reads the id as `<column>::text`: numbers and strings print the same here.
  const userId = typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? String(id) : '';
  return { userId, email: typeof email === 'string' ? email : '' };
}

export function previewEmail(request: PreviewRequest): EmailPreview {
  const { loop, user } = request;
  const step = loop.steps[request.step];
  if (!step) throw new Error(`loop ${loop.id} has no step ${request.step + 1}`);
  const { userId, email } = identity(loop, user);
  const test = request.testTo !== undefined;
  const body = emailBody({
    loopId: loop.id, userId: test ? testLinkUserId(userId) : userId, email: test ? request.testTo! : email, from: step.from, replyTo: step.replyTo, subject: step.subject, html: step.html, text: step.text,
    personalization: step.personalization, user, unsubscribeBaseUrl: loop.unsubscribeUrl, secret: request.secret,
  });
  const sent = JSON.parse(body) as SentBody;
  return {
    loopId: loop.id, step: request.step, template: step.template, userId, from: sent.from, to: sent.to, replyTo: sent.reply_to ?? null,
    subject: sent.subject, html: sent.html, text: sent.text, headers: sent.headers, body, warnings: mailWarnings(sent.html, sent.text),
  };
}
