/**
 * Turns a page of candidates into committed ledger rows: decide who is eligible, render each email once,
 * insert (ON CONFLICT DO NOTHING) and group the inserted rows into provider requests with stable batch
 * keys — all in one transaction, committed before anything is sent.
 */
import { decideFirstStep, type EpisodeHistory, type SkipReason } from './eligibility';
import { emailBody } from './emailBody';
import { batchKey, idempotencyKey, sha256Hex } from './keys';
import type { AudienceRow } from './readAudience';
import { countSkip, type RunContext } from './runTypes';
import { EPISODE_HISTORY, INSERT_CLAIMS, SET_BATCH_KEYS, SUPPRESSED } from './statements';

export interface LedgerRow {
  id: number;
  userId: string;
  idempotencyKey: string;
  body: string;
}

/** One provider request: its key and its rows in ledger id order. */
export interface SendGroup {
  key: string;
  rows: LedgerRow[];
}

export async function suppressedEmails(context: RunContext, emails: string[]): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const result = await context.client.query<{ email: string }>(SUPPRESSED, [emails.map((email) => email.toLowerCase())]);
  return new Set(result.rows.map((row) => row.email));
}

async function episodeHistory(context: RunContext, userIds: string[]): Promise<Map<string, EpisodeHistory[]>> {
  const result = await context.client.query<{ user_id: string; cycle: string; created_ms: number }>(EPISODE_HISTORY, [context.manifest.id, userIds]);
  const byUser = new Map<string, EpisodeHistory[]>();
  for (const row of result.rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ cycle: row.cycle, createdAtMs: Number(row.created_ms) });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Step 0 decisions for a page of audience rows; returns the rows to claim. */
export async function eligibleFirstStep(context: RunContext, page: AudienceRow[]): Promise<AudienceRow[]> {
  const history = await episodeHistory(context, page.map((row) => row.userId));
  const suppressed = await suppressedEmails(context, page.flatMap((row) => (row.email ? [row.email] : [])));
  const rules = { frequencyCap: context.manifest.frequencyCap, nowMs: context.nowMs };
  return page.filter((row) => {
    const verdict: SkipReason | 'claim' = decideFirstStep(row, history.get(row.userId) ?? [], suppressed.has((row.email ?? '').toLowerCase()), rules);
    if (verdict !== 'claim') countSkip(context.summary, verdict);
    return verdict === 'claim';
  });
}

function renderBody(context: RunContext, step: number, row: AudienceRow): string {
  const spec = context.manifest.steps[step];
  if (!spec) throw new Error(`no step ${step} in loop ${context.manifest.id}`);
  return emailBody({
    loopId: context.manifest.id, userId: row.userId, email: row.email ?? '', from: spec.from, replyTo: spec.replyTo,
    subject: spec.subject, html: spec.html, text: spec.text, personalization: spec.personalization, user: row.row,
    unsubscribeBaseUrl: context.manifest.unsubscribeUrl, secret: context.secret,
  });
}

function groupRows(loopId: string, rows: LedgerRow[], size: number): SendGroup[] {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  const groups: SendGroup[] = [];
  for (let start = 0; start < sorted.length; start += size) {
    const members = sorted.slice(start, start + size);
    groups.push({ key: batchKey(loopId, members.map((row) => row.idempotencyKey)), rows: members });
  }
  return groups;
}

/** Inserts the claims and their batch keys in one transaction; rows another runner holds are skipped. */
export async function claimRows(context: RunContext, step: number, rows: AudienceRow[]): Promise<SendGroup[]> {
  const { manifest, client } = context;
  if (!rows.length) return [];
  if (context.dryRun) {
    context.summary.claimed += rows.length;
    return [];
  }
  const bodies = rows.map((row) => renderBody(context, step, row));
  const columns = [rows.map((r) => r.userId), rows.map((r) => r.cycle), rows.map((r) => r.email ?? ''), rows.map((r) => idempotencyKey(manifest.id, step, r.userId, r.cycle)), bodies, bodies.map(sha256Hex)];
  await client.query('BEGIN');
  try {
    const inserted = await client.query<{ id: string; user_id: string; idempotency_key: string; body: string }>(INSERT_CLAIMS, [manifest.id, step, context.runId, ...columns]);
    const ledgerRows = inserted.rows.map((r) => ({ id: Number(r.id), userId: r.user_id, idempotencyKey: r.idempotency_key, body: r.body }));
    const groups = groupRows(manifest.id, ledgerRows, Math.min(manifest.batchSize, context.provider.maxBatch));
    const ids = groups.flatMap((group) => group.rows.map((row) => row.id));
    const keys = groups.flatMap((group) => group.rows.map(() => group.key));
    await client.query(SET_BATCH_KEYS, [ids, keys]);
    await client.query('COMMIT');
    context.summary.claimed += ledgerRows.length;
    const lost = rows.length - ledgerRows.length;
    if (lost > 0) countSkip(context.summary, 'already_claimed', lost);
    return groups;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
