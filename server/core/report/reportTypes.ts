/** The report of `skene report`: per loop and step, what was sent, what the holdout did, and what to change. */
import type { LiftInput, LiftStats } from '../../../sdk/runtime/liftStats';
import type { StepCounts } from '../../../sdk/runtime/reportQuery';

export const CI_METHOD = 'Newcombe hybrid score (Wilson), 95 %';

export interface StepReport extends StepCounts, LiftStats {
  template: string;
  delayDays: number;
}

export interface LoopReport {
  id: string;
  opinion: string | null;
  holdout: number;
  conversionWindowDays: number;
  steps: StepReport[];
  /** Concrete changes to the config the numbers call for (empty when none). */
  suggestions: string[];
  /** Over time (report view, --json, --html); absent in the text report and the lens. */
  history?: LoopHistory;
}

/** One UTC day's rows of one step (held-out rows are step 0's). */
export interface DayCounts {
  day: string;
  step: number;
  sent: number;
  sentConverted: number;
  held: number;
  heldConverted: number;
}

/** Step 1's cohorts up to and including `day`, and their lift. */
export interface LiftPoint extends LiftInput, LiftStats {
  day: string;
}

/** People left out by the runs, summed over every run of the loop (`keys`: the run summary's own names). */
export interface SkipReason {
  reason: string;
  count: number;
  keys: string[];
}

/** Ledger rows that did not end as an email: exited (returned, suppressed, inactive), deferred, failed. */
export interface LedgerOutcome {
  step: number;
  status: 'exited' | 'deferred' | 'failed';
  reason: string;
  count: number;
}

export interface LoopHistory {
  days: DayCounts[];
  lift: LiftPoint[];
  skips: SkipReason[];
  outcomes: LedgerOutcome[];
}

export interface Report {
  generatedAt: string;
  ciMethod: string;
  loops: LoopReport[];
}
