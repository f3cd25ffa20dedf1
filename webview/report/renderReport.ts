/**
 * The report view: per loop a table of steps (the numbers of `skene report`), the charts, exits and skips,
 * and the suggestions. One renderer for the VS Code panel and `skene report --html`.
 */
import { percent, points, stepLabel, VERDICT_WORDS } from '../../server/core/report/formatReport';
import type { LoopReport, Report, StepReport } from '../../server/core/report/reportTypes';
import { el, numberCell } from '../dom';
import type { ChartColors } from '../theme';
import { loopCharts } from './charts';

const VERDICT_BADGE: Record<StepReport['verdict'], string> = { lift: 'good', negative: 'bad', no_lift: 'neutral', too_small: 'neutral', no_holdout: 'neutral', no_sends: 'neutral' };

function stepRow(step: StepReport): HTMLTableRowElement {
  const lift = step.lift === null ? '—' : `${points(step.lift)} pp`;
  const ci = step.ci ? `${points(step.ci[0])} … ${points(step.ci[1])}` : '—';
  return el('tr', { 'data-step': step.step },
    el('td', { 'data-field': 'step' }, stepLabel(step)),
    el('td', { 'data-field': 'template' }, step.template),
    numberCell('sent', step.sent, String(step.sent)),
    numberCell('held', step.held, String(step.held)),
    numberCell('sentConverted', step.sentConverted, String(step.sentConverted)),
    numberCell('rate', step.rate, percent(step.rate)),
    numberCell('holdoutRate', step.holdoutRate, percent(step.holdoutRate)),
    numberCell('lift', step.lift, lift),
    el('td', { class: 'num', 'data-field': 'ci', 'data-value': JSON.stringify(step.ci) }, ci),
    el('td', { 'data-field': 'verdict', 'data-value': step.verdict }, el('vscode-badge', { class: `verdict ${VERDICT_BADGE[step.verdict]}` }, VERDICT_WORDS[step.verdict])),
  );
}

function table(headers: string[], rows: HTMLTableRowElement[], name: string): HTMLTableElement {
  return el('table', { class: name }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows));
}

function stepsTable(loop: LoopReport): HTMLTableElement {
  return table(['step', 'template', 'sent', 'held out', 're-engaged', 'rate', 'holdout rate', 'lift', '95 % CI (pp)', 'verdict'], loop.steps.map(stepRow), 'steps');
}

function outcomesTable(loop: LoopReport): HTMLElement | null {
  const skips = loop.history?.skips ?? [];
  const outcomes = loop.history?.outcomes ?? [];
  if (!skips.length && !outcomes.length) return null;
  const skipRows = skips.map((s) => el('tr', { 'data-reason': s.reason }, el('td', {}, s.reason), el('td', {}, s.keys.join(', ')), numberCell('count', s.count, String(s.count))));
  const outcomeRows = outcomes.map((o) => el('tr', { 'data-outcome': `${o.step}:${o.status}:${o.reason}` }, el('td', {}, `step ${o.step + 1}: ${o.status}`), el('td', {}, o.reason || '—'), numberCell('count', o.count, String(o.count))));
  return el('div', { class: 'outcomes' },
    skipRows.length ? table(['reason', 'run summary keys', 'people'], skipRows, 'skips') : null,
    outcomeRows.length ? table(['ledger rows', 'reason', 'rows'], outcomeRows, 'ledger-outcomes') : null);
}

function loopSection(loop: LoopReport, colors: ChartColors, nonce: string): HTMLElement {
  const suggestions = loop.suggestions.map((line) => el('li', {}, line));
  return el('section', { class: 'loop', 'data-loop': loop.id },
    el('h2', {}, loop.id, loop.opinion ? el('span', { class: 'opinion' }, ` — ${loop.opinion}`) : null),
    el('p', { class: 'meta' }, `holdout ${Math.round(loop.holdout * 100)} % · conversion window ${loop.conversionWindowDays} d`),
    stepsTable(loop),
    loopCharts(loop, { colors, nonce }),
    outcomesTable(loop),
    suggestions.length ? el('div', { class: 'suggestions' }, el('h3', {}, 'Suggested changes'), el('ul', {}, ...suggestions)) : null,
  );
}

export function renderReport(container: HTMLElement, report: Report, colors: ChartColors, nonce: string): void {
  const sections = report.loops.map((loop) => loopSection(loop, colors, nonce));
  const footer = el('p', { class: 'footer' }, `Generated ${report.generatedAt}. Lift = rate − holdout rate; interval: ${report.ciMethod}.`);
  container.replaceChildren(...(sections.length ? sections : [el('p', { class: 'empty' }, 'skene.config.ts defines no loop.')]), footer);
}
