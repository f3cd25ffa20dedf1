/**
 * Reads the ledger of every loop in skene.config.ts and turns the counts into the report: the loop's
 * planned steps (templates, delays) and tracking settings come from the config, the user table from the
 * facts `skene init` wrote into loops.json.
 */
import type { ClientBase } from 'pg';
import type { ManifestLoop } from '../../../sdk/manifest';
import { liftStats } from '../../../sdk/runtime/liftStats';
import { readStepCounts, type ReportSource } from '../../../sdk/runtime/reportQuery';
import { CI_METHOD, type LoopReport, type Report } from './reportTypes';
import { readLoopHistory } from './reportHistory';
import { suggestChanges } from './suggestChanges';

const DAY_S = 86_400;

export async function loopReport(client: ClientBase, loop: ManifestLoop, source: ReportSource, now: Date): Promise<LoopReport> {
  const steps = loop.steps.map((step) => ({ index: step.index, delaySeconds: Math.round(step.delayMs / 1000) }));
  const windowSeconds = Math.round(loop.tracking.conversionWindowMs / 1000);
  const counts = await readStepCounts(client, loop.id, source, steps, windowSeconds, now);
  const report = {
    id: loop.id,
    opinion: loop.opinion,
    holdout: loop.tracking.holdout,
    conversionWindowDays: windowSeconds / DAY_S,
    steps: counts.map((count) => {
      const step = loop.steps[count.step];
      return { ...count, template: step?.template ?? '?', delayDays: Math.round(step?.delayMs ?? 0) / 1000 / DAY_S, ...liftStats(count) };
    }),
  };
  return { ...report, suggestions: suggestChanges(report) };
}

export interface ReportOptions {
  /** Add each loop's history (days, lift over time, skips, exits): the report view and --json/--html. */
  history?: boolean;
}

/** One loop's report, with its history when asked. */
export async function loopReportWith(client: ClientBase, loop: ManifestLoop, source: ReportSource, now: Date, options: ReportOptions): Promise<LoopReport> {
  const report = await loopReport(client, loop, source, now);
  if (options.history) report.history = await readLoopHistory(client, loop.id, source, Math.round(loop.tracking.conversionWindowMs / 1000), now);
  return report;
}

export async function buildReport(client: ClientBase, loops: ManifestLoop[], source: ReportSource, now: Date, options: ReportOptions = {}): Promise<Report> {
  const reports: LoopReport[] = [];
  for (const loop of loops) reports.push(await loopReportWith(client, loop, source, now, options));
  return { generatedAt: now.toISOString(), ciMethod: CI_METHOD, loops: reports };
}
