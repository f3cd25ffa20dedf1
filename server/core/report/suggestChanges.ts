/**
 * "Adjust campaigns": what the numbers say to change in skene.config.ts, one sentence per finding, naming
 * the step, its numbers and the edit. Steps are 1-based in the text, as in the config file.
 */
import { MIN_GROUP, MIN_OUTCOMES } from '../../../sdk/runtime/liftStats';
import type { LoopReport, StepReport } from './reportTypes';

const pp = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} pp`;
const interval = (ci: [number, number]) => `95 % CI ${pp(ci[0])} to ${pp(ci[1])}`;

function stepName(step: StepReport): string {
  return step.step === 0 ? `step 1 (the first email, template '${step.template}')` : `step ${step.step + 1} (day ${step.delayDays}, template '${step.template}')`;
}

function suggestFor(loop: Pick<LoopReport, 'holdout'>, step: StepReport): string | null {
  const name = stepName(step);
  switch (step.verdict) {
    case 'no_lift':
      return step.step === 0
        ? `${name} shows no lift over holdout (${pp(step.lift ?? 0)}, ${interval(step.ci!)}): change its template or subject, or narrow the audience query.`
        : `${name} shows no lift over holdout (${pp(step.lift ?? 0)}, ${interval(step.ci!)}): remove it or change its template.`;
    case 'negative':
      return `${name} does worse than sending nothing (${pp(step.lift ?? 0)}, ${interval(step.ci!)}): remove it.`;
    case 'too_small': {
      const raise = step.held < MIN_GROUP && loop.holdout < 0.2 ? ` or raise tracking.holdout (now ${loop.holdout})` : '';
      return `${name}: ${step.sent} sent, ${step.held} held out — too few to conclude (need ${MIN_GROUP} in each group and ${MIN_OUTCOMES} re-engaged and not re-engaged in each); wait for more runs${raise}.`;
    }
    default:
      return null;
  }
}

export function suggestChanges(loop: Pick<LoopReport, 'holdout' | 'steps'>): string[] {
  const sent = loop.steps.reduce((sum, step) => sum + step.sent, 0);
  if (!sent) return ['Nothing sent yet: run the loop (`npx skene-django run --once` or the Celery task) and come back after the conversion window.'];
  if (loop.holdout === 0) return ['No holdout: set tracking.holdout (e.g. 0.1) so re-engagement can be told from users who would have come back anyway.'];
  const suggestions = loop.steps.flatMap((step) => suggestFor(loop, step) ?? []);
  const open = loop.steps.reduce((sum, step) => sum + step.sentOpen, 0);
  if (open) suggestions.push(`${open} email(s) are still inside their conversion window: these rates may still rise.`);
  return suggestions;
}
