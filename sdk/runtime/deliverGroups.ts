/**
 * Sends claimed rows, one provider request per group, through the rate limiter, retrying what the
 * classifier calls transient with the same key and the same bytes. Marks each row sent/failed, or leaves
 * it pending (deferred) for a later run when the account cannot send now.
 */
import { backoffDelayMs } from './backoff';
import type { SendGroup } from './claimRows';
import { classifyAnswer, type Classification } from './classifyError';
import { batchBody } from './keys';
import { errorName, messageIds, type ProviderResult } from './providers/provider';
import { assertLease, renewLease } from './runLease';
import { RunHalt, runNow, type RunContext } from './runTypes';
import { MARK_FAILED, MARK_SENT, MAX_RETRY_WAIT_MS, MAX_SEND_ATTEMPTS, NOTE_DEFERRED, NOTE_RETRYABLE } from './statements';

function classify(result: ProviderResult): Classification {
  if (result.kind === 'network') return classifyAnswer({ networkError: result.error });
  return classifyAnswer({ status: result.status, errorName: errorName(result.json), retryAfter: result.headers['retry-after'] ?? null }, Date.now());
}

/**
 * One provider request; a provider that throws (a header the mail library refuses, a bug) gives a permanent
 * answer for this group only, so one row's error never stops the others.
 */
async function sendIsolated(context: RunContext, group: SendGroup, body: string): Promise<ProviderResult> {
  try {
    return await context.provider.send({ idempotencyKey: group.key, body, count: group.rows.length });
  } catch (error) {
    context.log(`[skene] ${context.manifest.id}: provider raised ${(error as Error).name}: ${(error as Error).message}`);
    return { kind: 'response', status: 422, headers: {}, json: { name: 'provider_error', message: (error as Error).message } };
  }
}

async function attempt(context: RunContext, group: SendGroup, body: string): Promise<{ result: ProviderResult; verdict: Classification }> {
  await context.limiter.acquire();
  // After the limiter's wait: a run whose lease lapsed meanwhile leaves these rows to the run that took over.
  assertLease(context);
  context.summary.requests += 1;
  const result = await sendIsolated(context, group, body);
  if (result.kind === 'response') context.limiter.observe(result.headers);
  return { result, verdict: classify(result) };
}

async function markSent(context: RunContext, group: SendGroup, json: unknown, attempts: number): Promise<void> {
  const ids = messageIds(json, group.rows.length);
  await context.client.query(MARK_SENT, [group.rows.map((row) => row.id), attempts, ids, runNow(context)]);
  context.summary.sent += group.rows.length;
}

async function markFailed(context: RunContext, group: SendGroup, attempts: number, reason: string): Promise<void> {
  await context.client.query(MARK_FAILED, [group.rows.map((row) => row.id), attempts, reason]);
  context.summary.failed += group.rows.length;
  context.log(`[skene] ${context.manifest.id}: ${group.rows.length} email(s) failed: ${reason}`);
}

/**
 * An outage is not a verdict on these emails: they stay pending (up to the cap) and the run stops, so the
 * next run, even within the same tick, sends them with the same key and bytes.
 */
async function leaveForNextRun(context: RunContext, group: SendGroup, attempts: number, reason: string): Promise<void> {
  const result = await context.client.query<{ status: string }>(NOTE_RETRYABLE, [group.rows.map((row) => row.id), attempts, reason, MAX_SEND_ATTEMPTS]);
  const failed = result.rows.filter((row) => row.status === 'failed').length;
  context.summary.failed += failed;
  const pending = result.rows.length - failed;
  if (failed) context.log(`[skene] ${context.manifest.id}: ${failed} email(s) failed after ${MAX_SEND_ATTEMPTS} attempts or 24 h: ${reason}`);
  if (pending) throw new RunHalt('stopped', `provider unavailable: ${reason}; ${pending} email(s) left pending for the next run`);
}

/** One group to a final state (sent, failed) or left pending with a reason (stop, outage, long backoff). */
export async function deliverGroup(context: RunContext, group: SendGroup): Promise<void> {
  const { recovery } = context.manifest;
  const body = group.rows.length > 1 ? batchBody(group.rows.map((row) => row.body)) : (group.rows[0]?.body ?? '');
  for (let tries = 0; ; tries++) {
    const { result, verdict } = await attempt(context, group, body);
    if (verdict.outcome === 'ok') return markSent(context, group, result.kind === 'response' ? result.json : null, tries + 1);
    if (verdict.outcome === 'never') return markFailed(context, group, tries + 1, verdict.reason);
    if (verdict.outcome === 'stop') {
      await context.client.query(NOTE_DEFERRED, [group.rows.map((row) => row.id), tries + 1, verdict.reason]);
      throw new RunHalt('stopped', verdict.reason);
    }
    if (tries >= recovery.retries) return leaveForNextRun(context, group, tries + 1, `${verdict.reason} (after ${recovery.retries} retries in this run)`);
    const delay = backoffDelayMs(recovery, tries, verdict.retryAfterMs, context.random);
    if (verdict.retryAfterMs !== null) context.limiter.pauseFor(verdict.retryAfterMs);
    if (delay > MAX_RETRY_WAIT_MS) return leaveForNextRun(context, group, tries + 1, `${verdict.reason} (retry in ${delay} ms left to the next run)`);
    await context.clock.sleep(delay);
    await renewLease(context);
  }
}

export async function deliverGroups(context: RunContext, groups: SendGroup[]): Promise<void> {
  for (const group of groups) {
    await deliverGroup(context, group);
    context.log(`[skene] ${context.manifest.id}: request ${group.key.slice(-12)} · ${group.rows.length} email(s) · sent ${context.summary.sent} failed ${context.summary.failed}`);
  }
}
