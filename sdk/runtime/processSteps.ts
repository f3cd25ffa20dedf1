/**
 * The two ways candidates arrive: step 0 from the audience query (keyset pages), later steps from the
 * ledger (step n-1 sent, delay since the step-0 send elapsed), re-checked against the user's current row
 * inside the claim. Each page is claimed and sent before the next is read: memory stays flat.
 */
import { activeFlag, claimIntents, firstStepIntents, suppressedEmails, type ClaimIntent } from './claimRows';
import { deliverGroups } from './deliverGroups';
import { decideLaterStep } from './eligibility';
import { readAudiencePage, readUsersInClaim, type AudienceRow } from './readAudience';
import { renewLease } from './runLease';
import { countSkip, type RunContext } from './runTypes';
import { LATER_STEP_CANDIDATES } from './statements';

export async function processFirstStep(context: RunContext): Promise<void> {
  let afterId: string | null = null;
  for (;;) {
    const page = await readAudiencePage(context, afterId);
    if (!page.length) return;
    context.summary.candidates += page.length;
    const intents = await firstStepIntents(context, page);
    await deliverGroups(context, await claimIntents(context, 0, () => Promise.resolve(intents)));
    await renewLease(context);
    if (page.length < context.manifest.pageSize) return;
    afterId = page[page.length - 1]?.userId ?? null;
  }
}

export interface Episode {
  userId: string;
  cycle: string;
  /** An existing deferred row this decision updates. */
  ledgerId?: number;
}

/** Re-reads the users (inside the claim) and decides each episode: email, exit, or skip. */
export async function recheckEpisodes(context: RunContext, episodes: Episode[]): Promise<ClaimIntent[]> {
  const current = new Map((await readUsersInClaim(context, episodes.map((e) => e.userId))).map((row) => [row.userId, row]));
  const suppressed = await suppressedEmails(context.client, [...current.values()].flatMap((row) => (row.email ? [row.email] : [])));
  const intents: ClaimIntent[] = [];
  for (const episode of episodes) {
    const user = current.get(episode.userId);
    const verdict = decideLaterStep({
      episodeCycle: episode.cycle, currentCycle: user?.cycle ?? null, email: user?.email ?? null,
      suppressed: suppressed.has((user?.email ?? '').toLowerCase()), active: user ? activeFlag(context, user.row) : null,
      milestone: context.manifest.type === 'milestone',
    });
    const row: AudienceRow = { userId: episode.userId, email: user?.email ?? null, row: user?.row ?? {}, cycle: episode.cycle };
    const ledgerId = episode.ledgerId === undefined ? {} : { ledgerId: episode.ledgerId };
    if (verdict === 'claim') intents.push({ user: row, status: 'pending', reason: null, notBeforeMs: null, ...ledgerId });
    else if (verdict === 'no_email' || verdict === 'invalid_email') countSkip(context.summary, verdict);
    else intents.push({ user: row, status: 'exited', reason: verdict.slice('exited:'.length), notBeforeMs: null, ...ledgerId });
  }
  return intents;
}

export async function processLaterStep(context: RunContext, step: number): Promise<void> {
  const { manifest } = context;
  const delay = manifest.steps[step]?.delaySeconds ?? 0;
  let after: [string, string] = ['', ''];
  for (;;) {
    const result = await context.client.query<{ user_id: string; cycle: string }>(LATER_STEP_CANDIDATES, [manifest.id, step - 1, new Date(context.summary.scheduledAt), delay, after[0], after[1], manifest.pageSize]);
    const episodes = result.rows.map((row) => ({ userId: row.user_id, cycle: row.cycle }));
    if (!episodes.length) return;
    context.summary.candidates += episodes.length;
    await deliverGroups(context, await claimIntents(context, step, () => recheckEpisodes(context, episodes)));
    await renewLease(context);
    const last = episodes[episodes.length - 1];
    if (episodes.length < manifest.pageSize || !last) return;
    after = [last.userId, last.cycle];
  }
}
