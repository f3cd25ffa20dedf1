/**
 * The two ways candidates arrive: step 0 from the audience query (keyset pages), later steps from the
 * ledger (step n-1 sent, delay since the step-0 send elapsed) checked against the user's current row.
 * Each page is claimed and sent before the next is read: memory stays flat and few rows are ever pending.
 */
import { claimRows, eligibleFirstStep, suppressedEmails } from './claimRows';
import { deliverGroups } from './deliverGroups';
import { decideLaterStep } from './eligibility';
import { readAudiencePage, readUsersById, type AudienceRow } from './readAudience';
import { renewLease } from './runLease';
import { countSkip, type RunContext } from './runTypes';
import { LATER_STEP_CANDIDATES } from './statements';

export async function processFirstStep(context: RunContext): Promise<void> {
  let afterId: string | null = null;
  for (;;) {
    const page = await readAudiencePage(context, afterId);
    if (!page.length) return;
    context.summary.candidates += page.length;
    const eligible = await eligibleFirstStep(context, page);
    await deliverGroups(context, await claimRows(context, 0, eligible));
    await renewLease(context);
    if (page.length < context.manifest.pageSize) return;
    afterId = page[page.length - 1]?.userId ?? null;
  }
}

async function laterStepPage(context: RunContext, step: number, episodes: Array<{ user_id: string; cycle: string }>): Promise<AudienceRow[]> {
  const current = new Map((await readUsersById(context, episodes.map((e) => e.user_id))).map((row) => [row.userId, row]));
  const suppressed = await suppressedEmails(context, [...current.values()].flatMap((row) => (row.email ? [row.email] : [])));
  const eligible: AudienceRow[] = [];
  for (const episode of episodes) {
    const user = current.get(episode.user_id);
    const verdict = decideLaterStep(episode.cycle, user?.cycle ?? null, user?.email ?? null, suppressed.has((user?.email ?? '').toLowerCase()));
    if (verdict !== 'claim' || !user) countSkip(context.summary, verdict === 'claim' ? 'returned' : verdict);
    else eligible.push({ ...user, cycle: episode.cycle });
  }
  return eligible;
}

export async function processLaterStep(context: RunContext, step: number): Promise<void> {
  const { manifest } = context;
  const delay = manifest.steps[step]?.delaySeconds ?? 0;
  let after: [string, string] = ['', ''];
  for (;;) {
    const result = await context.client.query<{ user_id: string; cycle: string }>(LATER_STEP_CANDIDATES, [manifest.id, step - 1, new Date(context.nowMs), delay, after[0], after[1], manifest.pageSize]);
    const episodes = result.rows;
    if (!episodes.length) return;
    context.summary.candidates += episodes.length;
    await deliverGroups(context, await claimRows(context, step, await laterStepPage(context, step, episodes)));
    await renewLease(context);
    const last = episodes[episodes.length - 1];
    if (episodes.length < manifest.pageSize || !last) return;
    after = [last.user_id, last.cycle];
  }
}
