/**
 * Who among the candidates gets a ledger row, and which. Pure; Python mirrors it (vectors:
 * test/vectors/eligibility.json). Verdicts that are not 'claim' or 'held_out' are keys of
 * RunSummary.skipped; `exited:*` verdicts also write an `exited` ledger row that closes the sequence.
 */
import { isHeldOut } from './holdout';

export type SkipReason =
  | 'no_email'
  | 'invalid_email'
  | 'inactive'
  | 'suppressed'
  | 'already_sent'
  | 'already_deferred'
  | 'already_held_out'
  | 'frequency_cap'
  | 'already_claimed';

export type ExitReason = 'exited:returned' | 'exited:suppressed' | 'exited:inactive';

export interface Candidate {
  userId: string;
  email: string | null;
  cycle: string;
  /** The user's is_active value when the manifest names the column (false = never email). */
  active?: boolean | null;
}

export interface EpisodeHistory {
  cycle: string;
  createdAtMs: number;
  /** Ledger status of the episode's step-0 row (absent = an email). */
  status?: string;
}

export interface FirstStepRules {
  frequencyCap: { max: number; perSeconds: number };
  nowMs: number;
  /** Holdout share (0..0.5) and the loop id it is drawn for; absent = no holdout. */
  holdout?: { loopId: string; share: number };
}

function hasAddress(email: string | null): boolean {
  return Boolean(email && email.trim());
}

/**
 * One plain address: something@domain, no whitespace or control character (a CR/LF would inject a mail
 * header), no list separators, quotes, brackets or a second '@' (several recipients). Such a row is
 * skipped as `invalid_email`, never sent and never fatal to the run. Same rule in Python (vectors).
 */
const PLAIN_ADDRESS = /^[^\x00-\x20\x7f@,;:<>()[\]\\"]+@[^\x00-\x20\x7f@,;:<>()[\]\\"]+$/;

export function isValidAddress(email: string): boolean {
  return PLAIN_ADDRESS.test(email);
}

function repeatVerdict(status: string | undefined): SkipReason {
  if (status === 'deferred') return 'already_deferred';
  if (status === 'held_out') return 'already_held_out';
  return 'already_sent';
}

/**
 * Step 0: a new episode for (user, cycle) unless there is no address, the account is inactive, the
 * address is suppressed, the cycle already has a row, or the loop's own frequency cap is reached. A new
 * episode goes to the holdout (a ledger row, no email) when the user's bucket says so.
 */
export function decideFirstStep(candidate: Candidate, history: readonly EpisodeHistory[], suppressed: boolean, rules: FirstStepRules): SkipReason | 'held_out' | 'claim' {
  if (!hasAddress(candidate.email)) return 'no_email';
  if (!isValidAddress(candidate.email ?? '')) return 'invalid_email';
  if (candidate.active === false) return 'inactive';
  if (suppressed) return 'suppressed';
  const same = history.find((episode) => episode.cycle === candidate.cycle);
  if (same) return repeatVerdict(same.status);
  const windowStart = rules.nowMs - rules.frequencyCap.perSeconds * 1000;
  const recent = history.filter((episode) => episode.createdAtMs > windowStart).length;
  if (rules.frequencyCap.max > 0 && recent >= rules.frequencyCap.max) return 'frequency_cap';
  if (rules.holdout && isHeldOut(rules.holdout.loopId, candidate.userId, rules.holdout.share)) return 'held_out';
  return 'claim';
}

export interface LaterStepState {
  episodeCycle: string;
  /** The user's cycle now (null: the user is gone or no longer readable). */
  currentCycle: string | null;
  email: string | null;
  suppressed: boolean;
  active?: boolean | null;
  /** Milestone loops have no dormancy to return from: the cycle is the milestone. */
  milestone?: boolean;
}

/**
 * A later step (or a deferred email), re-checked inside the claim: a user who came back (their cycle
 * moved on), unsubscribed or was deactivated leaves the sequence.
 */
export function decideLaterStep(state: LaterStepState): ExitReason | 'no_email' | 'invalid_email' | 'claim' {
  if (state.currentCycle === null) return 'exited:returned';
  if (!state.milestone && state.currentCycle !== state.episodeCycle) return 'exited:returned';
  if (state.active === false) return 'exited:inactive';
  if (state.suppressed) return 'exited:suppressed';
  if (!hasAddress(state.email)) return 'no_email';
  if (!isValidAddress(state.email ?? '')) return 'invalid_email';
  return 'claim';
}
