/**
 * Who among a page of candidates gets a ledger row, and why the others do not. Pure; Python mirrors it
 * (vectors: test/vectors/eligibility.json). Skip reasons are the keys of RunSummary.skipped.
 */

export type SkipReason = 'no_email' | 'suppressed' | 'already_sent' | 'frequency_cap' | 'already_claimed' | 'returned';

export interface Candidate {
  userId: string;
  email: string | null;
  cycle: string;
}

export interface EpisodeHistory {
  cycle: string;
  createdAtMs: number;
}

export interface FirstStepRules {
  frequencyCap: { max: number; perSeconds: number };
  nowMs: number;
}

/** Step 0: a new episode for (user, cycle) unless suppressed, already started, or over the frequency cap. */
export function decideFirstStep(candidate: Candidate, history: readonly EpisodeHistory[], suppressed: boolean, rules: FirstStepRules): SkipReason | 'claim' {
  if (!candidate.email || !candidate.email.includes('@')) return 'no_email';
  if (suppressed) return 'suppressed';
  if (history.some((episode) => episode.cycle === candidate.cycle)) return 'already_sent';
  const windowStart = rules.nowMs - rules.frequencyCap.perSeconds * 1000;
  const recent = history.filter((episode) => episode.createdAtMs > windowStart).length;
  if (rules.frequencyCap.max > 0 && recent >= rules.frequencyCap.max) return 'frequency_cap';
  return 'claim';
}

/** Later steps: only while the user is still in the same dormancy cycle (a return ends the sequence). */
export function decideLaterStep(episodeCycle: string, currentCycle: string | null, email: string | null, suppressed: boolean): SkipReason | 'claim' {
  if (currentCycle === null || currentCycle !== episodeCycle) return 'returned';
  if (!email || !email.includes('@')) return 'no_email';
  if (suppressed) return 'suppressed';
  return 'claim';
}
