/** The report as text: one table per loop (one row per step), then the suggestions. */
import type { LoopReport, Report, StepReport } from './reportTypes';

export const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
export const points = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)}`;

export const VERDICT_WORDS: Record<StepReport['verdict'], string> = {
  lift: 'lift',
  no_lift: 'no lift',
  negative: 'worse than no email',
  too_small: 'too few to conclude',
  no_holdout: 'no holdout',
  no_sends: 'nothing sent',
};

export function stepLabel(step: StepReport): string {
  return `${step.step + 1}${step.step ? ` (day ${step.delayDays})` : ''}`;
}

function row(step: StepReport): string[] {
  const lift = step.lift === null ? '—' : `${points(step.lift)} pp`;
  const ci = step.ci ? `${points(step.ci[0])} … ${points(step.ci[1])}` : '—';
  return [stepLabel(step), step.template, String(step.sent), String(step.held), String(step.sentConverted), percent(step.rate), percent(step.holdoutRate), lift, ci, VERDICT_WORDS[step.verdict]];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_unused, column) => Math.max(...rows.map((r) => (r[column] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`).join('\n');
}

function formatLoop(loop: LoopReport): string {
  const header = ['step', 'template', 'sent', 'held out', 're-engaged', 'rate', 'holdout rate', 'lift', '95 % CI (pp)', 'verdict'];
  const title = `${loop.id}${loop.opinion ? ` — ${loop.opinion}` : ''}\n  holdout ${Math.round(loop.holdout * 100)} % · conversion window ${loop.conversionWindowDays} d`;
  const suggestions = loop.suggestions.map((line) => `  → ${line}`).join('\n');
  return `${title}\n${table([header, ...loop.steps.map(row)])}\n${suggestions ? `${suggestions}\n` : ''}`;
}

export function formatReport(report: Report): string {
  return `${report.loops.map(formatLoop).join('\n')}\nLift = rate − holdout rate; interval: ${report.ciMethod}.\n`;
}
