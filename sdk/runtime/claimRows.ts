/**
 * Turns decisions into committed ledger rows, in one transaction per page, committed before anything is
 * sent: the caller's re-check of the users (later steps), the global frequency cap and quiet hours (which
 * turn an email into a `deferred` row), rendering each email once, the insert (ON CONFLICT DO NOTHING) and
 * the grouping of the inserted emails into provider requests with stable batch keys.
 */
import type { ClientBase } from 'pg';
import { decideFirstStep, type EpisodeHistory } from './eligibility';
import { decideDelivery } from './deliveryWindow';
import { emailBody } from './emailBody';
import { batchKey, idempotencyKey, sha256Hex } from './keys';
import type { AudienceRow } from './readAudience';
import { countSkip, runNow, type RunContext } from './runTypes';
import { EPISODE_HISTORY, INSERT_CLAIMS, LOCK_USERS, RECENT_SENDS, SET_BATCH_KEYS, SUPPRESSED, UPDATE_DEFERRED } from './statements';

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

export type IntentStatus = 'pending' | 'held_out' | 'exited' | 'deferred';

/** What a claim should write for one user: an email (pending) or a record without one. */
export interface ClaimIntent {
  user: AudienceRow;
  status: IntentStatus;
  /** exited: returned | suppressed | inactive; deferred: capped | quiet_hours. */
  reason: string | null;
  notBeforeMs: number | null;
  /** Set when the intent updates an existing deferred row instead of inserting. */
  ledgerId?: number;
}

export async function suppressedEmails(client: ClientBase, emails: string[]): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const result = await client.query<{ email: string }>(SUPPRESSED, [emails.map((email) => email.toLowerCase())]);
  return new Set(result.rows.map((row) => row.email));
}

/** The value of the manifest's is_active column in a row (null when unknown). */
export function activeFlag(context: RunContext, row: Record<string, unknown>): boolean | null {
  const column = context.manifest.isActiveColumn;
  const value = column ? row[column] : undefined;
  return typeof value === 'boolean' ? value : null;
}

async function episodeHistory(context: RunContext, userIds: string[]): Promise<Map<string, EpisodeHistory[]>> {
  const result = await context.client.query<{ user_id: string; cycle: string; status: string; created_ms: number }>(EPISODE_HISTORY, [context.manifest.id, userIds]);
  const byUser = new Map<string, EpisodeHistory[]>();
  for (const row of result.rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ cycle: row.cycle, createdAtMs: Number(row.created_ms), status: row.status });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Step 0 decisions for a page of audience rows: an intent per new episode (email or holdout). */
export async function firstStepIntents(context: RunContext, page: AudienceRow[]): Promise<ClaimIntent[]> {
  const { manifest } = context;
  const history = await episodeHistory(context, page.map((row) => row.userId));
  const suppressed = await suppressedEmails(context.client, page.flatMap((row) => (row.email ? [row.email] : [])));
  const rules = { frequencyCap: manifest.frequencyCap, nowMs: context.nowMs, holdout: { loopId: manifest.id, share: manifest.holdout ?? 0 } };
  const intents: ClaimIntent[] = [];
  for (const row of page) {
    const candidate = { userId: row.userId, email: row.email, cycle: row.cycle, active: activeFlag(context, row.row) };
    const verdict = decideFirstStep(candidate, history.get(row.userId) ?? [], suppressed.has((row.email ?? '').toLowerCase()), rules);
    if (verdict === 'claim') intents.push({ user: row, status: 'pending', reason: null, notBeforeMs: null });
    else if (verdict === 'held_out') intents.push({ user: row, status: 'held_out', reason: null, notBeforeMs: null });
    else countSkip(context.summary, verdict);
  }
  return intents;
}

/** The global cap and quiet hours, decided with the users locked: some emails become deferred rows. */
async function applyDeliveryRules(context: RunContext, intents: ClaimIntent[]): Promise<void> {
  const { manifest, client } = context;
  const emails = intents.filter((intent) => intent.status === 'pending');
  if (!emails.length || (!manifest.globalCap && !manifest.quietHours)) return;
  const now = runNow(context);
  const recent = new Map<string, number[]>();
  if (manifest.globalCap) {
    const ids = [...new Set(emails.map((intent) => intent.user.userId))];
    if (!context.dryRun) await client.query(LOCK_USERS, [ids]);
    for (const row of (await client.query<{ user_id: string; at_ms: number }>(RECENT_SENDS, [ids, now])).rows) {
      recent.set(row.user_id, [...(recent.get(row.user_id) ?? []), Number(row.at_ms)]);
    }
  }
  for (const intent of emails) {
    const verdict = decideDelivery(manifest, intent.user.row, recent.get(intent.user.userId) ?? [], now.getTime());
    if (verdict.kind === 'defer') Object.assign(intent, { status: 'deferred', reason: verdict.reason, notBeforeMs: verdict.notBeforeMs });
    // An email claimed in this page counts against the next intent for the same user.
    else recent.set(intent.user.userId, [...(recent.get(intent.user.userId) ?? []), now.getTime()]);
  }
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

function countIntent(context: RunContext, intent: Pick<ClaimIntent, 'status' | 'reason'>): void {
  if (intent.status === 'pending') context.summary.claimed += 1;
  else if (intent.status === 'held_out') countSkip(context.summary, 'held_out');
  else countSkip(context.summary, `${intent.status}:${intent.reason ?? ''}`);
}

type Written = { id: string; user_id: string; idempotency_key: string; body: string; status: IntentStatus; reason: string | null };

async function writeIntents(context: RunContext, step: number, intents: ClaimIntent[]): Promise<Written[]> {
  const { manifest, client } = context;
  const now = runNow(context);
  const bodies = intents.map((intent) => (intent.status === 'pending' ? renderBody(context, step, intent.user) : ''));
  const notBefore = intents.map((intent) => (intent.notBeforeMs === null ? null : new Date(intent.notBeforeMs)));
  const fresh = intents.flatMap((intent, i) => (intent.ledgerId === undefined ? [i] : []));
  const updates = intents.flatMap((intent, i) => (intent.ledgerId === undefined ? [] : [i]));
  const pick = <T>(indexes: number[], value: (i: number) => T): T[] => indexes.map(value);
  const at = (i: number) => intents[i] as ClaimIntent;
  const written: Written[] = [];
  if (fresh.length) {
    const columns = [
      pick(fresh, (i) => at(i).user.userId), pick(fresh, (i) => at(i).user.cycle), pick(fresh, (i) => at(i).user.email ?? ''),
      pick(fresh, (i) => idempotencyKey(manifest.id, step, at(i).user.userId, at(i).user.cycle)), pick(fresh, (i) => bodies[i] ?? ''),
      pick(fresh, (i) => sha256Hex(bodies[i] ?? '')), pick(fresh, (i) => at(i).status), pick(fresh, (i) => at(i).reason), pick(fresh, (i) => notBefore[i] ?? null),
    ];
    written.push(...(await client.query<Written>(INSERT_CLAIMS, [manifest.id, step, context.runId, now, ...columns])).rows);
  }
  if (updates.length) {
    const columns = [pick(updates, (i) => at(i).ledgerId), pick(updates, (i) => at(i).status), pick(updates, (i) => at(i).reason), pick(updates, (i) => notBefore[i] ?? null), pick(updates, (i) => bodies[i] ?? ''), pick(updates, (i) => sha256Hex(bodies[i] ?? ''))];
    written.push(...(await client.query<Written>(UPDATE_DEFERRED, [context.runId, now, ...columns])).rows);
  }
  return written;
}

/**
 * Claims a page of intents. `prepare` runs inside the claim's transaction (later steps re-read the
 * users there), so the state an email is decided on is the state it is committed with.
 */
export async function claimIntents(context: RunContext, step: number, prepare: () => Promise<ClaimIntent[]>): Promise<SendGroup[]> {
  const { manifest, client } = context;
  if (context.dryRun) {
    const intents = await prepare();
    await applyDeliveryRules(context, intents);
    intents.forEach((intent) => countIntent(context, intent));
    return [];
  }
  await client.query('BEGIN');
  try {
    const intents = await prepare();
    await applyDeliveryRules(context, intents);
    const written = intents.length ? await writeIntents(context, step, intents) : [];
    const emails = written.filter((row) => row.status === 'pending').map((r) => ({ id: Number(r.id), userId: r.user_id, idempotencyKey: r.idempotency_key, body: r.body }));
    const groups = groupRows(manifest.id, emails, Math.min(manifest.batchSize, context.provider.maxBatch));
    await client.query(SET_BATCH_KEYS, [groups.flatMap((g) => g.rows.map((row) => row.id)), groups.flatMap((g) => g.rows.map(() => g.key))]);
    await client.query('COMMIT');
    for (const row of written) countIntent(context, row);
    const lost = intents.length - written.length;
    if (lost > 0) countSkip(context.summary, 'already_claimed', lost);
    return groups;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

