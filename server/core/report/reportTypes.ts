/** The report of `skene report`: per loop and step, what was sent, what the holdout did, and what to change. */
import type { LiftStats } from '../../../sdk/runtime/liftStats';
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
}

export interface Report {
  generatedAt: string;
  ciMethod: string;
  loops: LoopReport[];
}
