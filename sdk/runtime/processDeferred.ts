/**
 * Deferred emails whose time came (capped, quiet hours): re-checked like a later step inside the claim,
 * then sent, exited (the user came back, unsubscribed, was deactivated) or deferred again.
 */
import { claimIntents } from './claimRows';
import { deliverGroups } from './deliverGroups';
import { recheckEpisodes, type Episode } from './processSteps';
import { renewLease } from './runLease';
import type { RunContext } from './runTypes';
import { DUE_DEFERRED } from './statements';

export async function processDeferred(context: RunContext): Promise<void> {
  const { manifest } = context;
  let afterId = 0;
  for (;;) {
    const due = await context.client.query<{ id: string; step: number; user_id: string; cycle: string }>(DUE_DEFERRED, [manifest.id, new Date(context.nowMs), afterId, manifest.pageSize]);
    if (!due.rows.length) return;
    context.summary.candidates += due.rows.length;
    const bySteps = new Map<number, Episode[]>();
    for (const row of due.rows) bySteps.set(row.step, [...(bySteps.get(row.step) ?? []), { userId: row.user_id, cycle: row.cycle, ledgerId: Number(row.id) }]);
    for (const [step, episodes] of [...bySteps].sort((a, b) => a[0] - b[0])) {
      await deliverGroups(context, await claimIntents(context, step, () => recheckEpisodes(context, episodes)));
    }
    await renewLease(context);
    afterId = Number(due.rows[due.rows.length - 1]?.id ?? afterId);
    if (due.rows.length < manifest.pageSize) return;
  }
}
