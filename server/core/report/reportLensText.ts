/**
 * The one-line report above a loop in skene.config.ts. It shows the first email's comparison (step 1 against
 * the whole holdout), the one every user of the loop takes part in; `Skene: Show Report` has every step.
 */
import { MIN_GROUP, MIN_OUTCOMES } from '../../../sdk/runtime/liftStats';
import type { LoopReport, StepReport } from './reportTypes';

export const REPORT_LENS_PREFIX = 'Report';

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const points = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)}`;

/** The holdout, not the sent group, is what keeps the step from concluding. */
function holdoutTooSmall(step: StepReport): boolean {
  return step.held < MIN_GROUP || Math.min(step.heldConverted, step.held - step.heldConverted) < MIN_OUTCOMES;
}

export function reportLensText(loop: Pick<LoopReport, 'steps'>): string {
  const step = loop.steps[0];
  if (!step || step.sent === 0) return `${REPORT_LENS_PREFIX} · no sends yet`;
  const head = `${REPORT_LENS_PREFIX} · sent ${step.sent} · re-engaged ${percent(step.rate ?? 0)}`;
  if (step.verdict === 'no_holdout' || !step.ci || step.lift === null) return `${head} · no holdout`;
  if (step.verdict === 'too_small') return `${head} · ${holdoutTooSmall(step) ? 'holdout too small' : 'too few to conclude'}`;
  return `${head} · lift ${points(step.lift)} pp (95 % CI ${points(step.ci[0])}…${points(step.ci[1])})`;
}

export const loadingLensText = (): string => `${REPORT_LENS_PREFIX} · loading…`;
export const unavailableLensText = (reason: string): string => `${REPORT_LENS_PREFIX} · unavailable: ${reason}`;
