/**
 * Crash recovery: rows a dead (or stopped) run left `pending` are taken over whole batch by whole batch
 * and sent again with their stored key and bytes, so a provider that already accepted them de-duplicates.
 */
import type { LedgerRow, SendGroup } from './claimRows';
import { deliverGroups } from './deliverGroups';
import { renewLease } from './runLease';
import type { RunContext } from './runTypes';
import { RESUMABLE_BATCHES, TAKE_OVER_BATCHES } from './statements';

const BATCHES_PER_ROUND = 20;

function groupByKey(rows: Array<LedgerRow & { batchKey: string }>): SendGroup[] {
  const groups = new Map<string, LedgerRow[]>();
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const list = groups.get(row.batchKey) ?? [];
    list.push({ id: row.id, userId: row.userId, idempotencyKey: row.idempotencyKey, body: row.body });
    groups.set(row.batchKey, list);
  }
  return [...groups].map(([key, members]) => ({ key, rows: members }));
}

export async function resumePending(context: RunContext): Promise<void> {
  if (context.dryRun || context.runId === null) return;
  const { client, manifest } = context;
  for (;;) {
    const listed = await client.query<{ batch_key: string }>(RESUMABLE_BATCHES, [manifest.id, context.runId, BATCHES_PER_ROUND]);
    if (!listed.rows.length) return;
    const taken = await client.query<{ id: string; user_id: string; idempotency_key: string; body: string; batch_key: string }>(TAKE_OVER_BATCHES, [manifest.id, context.runId, listed.rows.map((row) => row.batch_key)]);
    const rows = taken.rows.map((r) => ({ id: Number(r.id), userId: r.user_id, idempotencyKey: r.idempotency_key, body: r.body, batchKey: r.batch_key }));
    context.summary.resumed += rows.length;
    if (rows.length) context.log(`[skene] ${manifest.id}: resuming ${rows.length} pending email(s) left by an earlier run`);
    await deliverGroups(context, groupByKey(rows));
    await renewLease(context);
  }
}
