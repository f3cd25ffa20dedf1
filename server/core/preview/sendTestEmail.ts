/**
 * A test send: the email the runtime would send for this step and user, marked as a test, to an allowed address,
 * through the configured provider — and nothing else. No ledger row, no run, no cap consumed: the runtime's claim
 * path is not involved at all. One provider request under a fresh key (a retry would be a new test).
 */
import { randomUUID } from 'node:crypto';
import { classifyAnswer } from '../../../sdk/runtime/classifyError';
import { errorName, messageIds, type EmailProvider } from '../../../sdk/runtime/providers/provider';
import { previewEmail, type EmailPreview, type PreviewRequest } from './emailPreview';
import { markAsTest } from './testMarking';

export interface TestSendResult {
  ok: boolean;
  /** The provider's message id when it accepted the email. */
  messageId: string | null;
  /** "sent", or why the provider refused (the runtime's classification). */
  reason: string;
  email: EmailPreview;
}

export async function sendTestEmail(provider: EmailProvider, request: PreviewRequest & { testTo: string }): Promise<TestSendResult> {
  const email = previewEmail(request);
  const body = markAsTest(email.body);
  const result = await provider.send({ idempotencyKey: `skene-test-${randomUUID()}`, body, count: 1 });
  const verdict = result.kind === 'network' ? classifyAnswer({ networkError: result.error }) : classifyAnswer({ status: result.status, errorName: errorName(result.json) });
  const messageId = result.kind === 'response' && verdict.outcome === 'ok' ? (messageIds(result.json, 1)[0] ?? null) : null;
  return { ok: verdict.outcome === 'ok', messageId, reason: verdict.reason, email: { ...email, body, subject: (JSON.parse(body) as { subject: string }).subject } };
}
