/**
 * The report's charts, drawn with Observable Plot as SVG (marks stay in the DOM: testable, selectable, crisp in
 * any zoom). Each chart is a figure with data-chart=<name>; an empty series shows a sentence instead of axes.
 */
import * as Plot from '@observablehq/plot';
import type { LoopReport } from '../../server/core/report/reportTypes';
import { el } from '../dom';
import type { ChartColors } from '../theme';

const WIDTH = 560;
const HEIGHT = 220;

/** Plot puts a <style> in each SVG; under the page's CSP it must carry the page's nonce before it is attached. */
function withNonce(node: Element, nonce: string): Element {
  for (const style of node.querySelectorAll('style')) style.nonce = nonce;
  return node;
}

function figure(name: string, title: string, body: Element | string): HTMLElement {
  return el('figure', { class: 'chart', 'data-chart': name }, el('figcaption', {}, title), typeof body === 'string' ? el('p', { class: 'empty' }, body) : body);
}

interface ChartContext {
  colors: ChartColors;
  nonce: string;
}

function plot(context: ChartContext, options: Plot.PlotOptions): Element {
  const { colors } = context;
  const node = Plot.plot({ width: WIDTH, height: HEIGHT, marginLeft: 48, style: { background: 'transparent', color: colors.foreground, fontSize: '11px' }, ...options });
  return withNonce(node, context.nonce);
}

const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);
const DAY_MS = 86_400_000;

/** A UTC day axis: one tick per day over short spans (Plot would tick hours), Plot's own ticks otherwise. */
function dayAxis(dates: Date[]): Plot.ScaleOptions {
  const times = dates.map((d) => d.getTime());
  const span = (Math.max(...times) - Math.min(...times)) / DAY_MS;
  // At least a week wide, so a first day of sends is a bar among days rather than one block across the chart.
  const pad = Math.max(0, Math.ceil((7 - span) / 2)) * DAY_MS;
  const domain = [new Date(Math.min(...times) - pad), new Date(Math.max(...times) + DAY_MS + pad)];
  return { type: 'utc', label: null, domain, ...(span <= 14 ? { ticks: 'day', tickFormat: '%b %-d' } : {}) };
}

function sendsPerDay(loop: LoopReport, context: ChartContext): HTMLElement {
  const rows = (loop.history?.days ?? []).filter((d) => d.sent > 0).map((d) => ({ date: dayDate(d.day), sent: d.sent, step: `step ${d.step + 1}` }));
  if (!rows.length) return figure('sends-per-day', 'Emails sent per day', 'No emails sent yet.');
  const steps = [...new Set(rows.map((r) => r.step))].sort();
  return figure('sends-per-day', 'Emails sent per day', plot(context, {
    x: dayAxis(rows.map((r) => r.date)),
    y: { grid: true, label: 'emails' },
    color: { domain: steps, range: context.colors.steps, legend: steps.length > 1 },
    marks: [Plot.rectY(rows, { x: 'date', interval: 'day', y: 'sent', fill: 'step', title: (r: { sent: number; step: string }) => `${r.step}: ${r.sent}` }), Plot.ruleY([0], { stroke: context.colors.lines })],
  }));
}

function reengagedByCohort(loop: LoopReport, context: ChartContext): HTMLElement {
  const title = `Re-engaged within ${loop.conversionWindowDays} d, by day of the first email`;
  const rows = (loop.history?.days ?? []).filter((d) => d.step === 0).flatMap((d) => [
    ...(d.sent ? [{ date: dayDate(d.day), group: 'sent', rate: d.sentConverted / d.sent, n: d.sent }] : []),
    ...(d.held ? [{ date: dayDate(d.day), group: 'held out', rate: d.heldConverted / d.held, n: d.held }] : []),
  ]);
  if (!rows.length) return figure('reengaged', title, 'No first emails or held-out users yet.');
  return figure('reengaged', title, plot(context, {
    x: dayAxis(rows.map((r) => r.date)),
    y: { grid: true, percent: true, label: 're-engaged (%)', domain: [0, 100] },
    color: { domain: ['sent', 'held out'], range: [context.colors.sent, context.colors.held], legend: true },
    marks: [
      Plot.line(rows, { x: 'date', y: 'rate', stroke: 'group' }),
      Plot.dot(rows, { x: 'date', y: 'rate', fill: 'group', r: 3, title: (r: { group: string; rate: number; n: number }) => `${r.group}: ${(r.rate * 100).toFixed(1)} % of ${r.n}` }),
    ],
  }));
}

function liftOverTime(loop: LoopReport, context: ChartContext): HTMLElement {
  const title = 'Lift of the first email over the holdout (95 % interval), cohorts so far';
  const rows = (loop.history?.lift ?? []).filter((p) => p.lift !== null && p.ci).map((p) => ({ date: dayDate(p.day), lift: p.lift!, low: p.ci![0], high: p.ci![1] }));
  if (!rows.length) return figure('lift', title, 'No lift yet: it needs sent and held-out users.');
  return figure('lift', title, plot(context, {
    x: dayAxis(rows.map((r) => r.date)),
    y: { grid: true, percent: true, label: 'lift (pp)' },
    marks: [
      Plot.areaY(rows, { x: 'date', y1: 'low', y2: 'high', fill: context.colors.band, fillOpacity: 0.2 }),
      Plot.ruleY([0], { stroke: context.colors.negative, strokeDasharray: '4 3' }),
      Plot.line(rows, { x: 'date', y: 'lift', stroke: context.colors.lift }),
      Plot.dot(rows, { x: 'date', y: 'lift', fill: context.colors.lift, r: 2.5, title: (r: { lift: number; low: number; high: number }) => `${(r.lift * 100).toFixed(1)} pp (${(r.low * 100).toFixed(1)} … ${(r.high * 100).toFixed(1)})` }),
    ],
  }));
}

function funnel(loop: LoopReport, context: ChartContext): HTMLElement {
  const rows = loop.steps.map((s) => ({ step: `${s.step + 1} · ${s.template}`, sent: s.sent, reengaged: s.sentConverted }));
  const title = loop.steps.length > 1 ? 'Sequence funnel: sent per step, re-engaged inside' : 'Sent, and re-engaged inside';
  if (!loop.steps.some((s) => s.sent)) return figure('funnel', title, 'No emails sent yet.');
  return figure('funnel', title, plot(context, {
    height: 40 + 44 * loop.steps.length,
    marginLeft: 120,
    x: { grid: true, label: 'emails' },
    y: { label: null, domain: rows.map((r) => r.step) },
    color: { domain: ['sent', 're-engaged'], range: [context.colors.sent, context.colors.lift], legend: true },
    marks: [
      Plot.barX(rows, { x: 'sent', y: 'step', fill: () => 'sent', title: (r: { sent: number }) => `sent: ${r.sent}` }),
      Plot.barX(rows, { x: 'reengaged', y: 'step', fill: () => 're-engaged', insetTop: 8, insetBottom: 8, title: (r: { reengaged: number }) => `re-engaged: ${r.reengaged}` }),
      Plot.ruleX([0], { stroke: context.colors.lines }),
    ],
  }));
}

function skips(loop: LoopReport, context: ChartContext): HTMLElement {
  const rows = loop.history?.skips ?? [];
  const title = 'Left out or held back, by reason (all runs)';
  if (!rows.length) return figure('skips', title, 'Nobody skipped, exited or deferred yet.');
  return figure('skips', title, plot(context, {
    height: 40 + 26 * rows.length,
    marginLeft: 100,
    x: { grid: true, label: 'people' },
    y: { label: null, domain: rows.map((r) => r.reason) },
    marks: [Plot.barX(rows, { x: 'count', y: 'reason', fill: context.colors.held, title: (r: { reason: string; count: number }) => `${r.reason}: ${r.count}` }), Plot.ruleX([0], { stroke: context.colors.lines })],
  }));
}

export function loopCharts(loop: LoopReport, context: ChartContext): HTMLElement {
  return el('div', { class: 'charts' }, sendsPerDay(loop, context), reengagedByCohort(loop, context), liftOverTime(loop, context), funnel(loop, context), skips(loop, context));
}
