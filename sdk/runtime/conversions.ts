/**
 * The conversion sweep at the start of every run: rows sent (or held out) inside the lookback get the
 * first activity the run sees after them (converted_at), which `skene report` compares with the holdout.
 */
import { conversionSweepSql } from './pageQueries';
import { runNow, type RunContext } from './runTypes';

/** The conversion window plus the sequence's last delay: a held-out row stands in for every step. */
export function conversionLookbackSeconds(manifest: RunContext['manifest']): number {
  const lastDelay = Math.max(0, ...manifest.steps.map((step) => step.delaySeconds));
  return (manifest.conversionWindowSeconds ?? 14 * 86_400) + lastDelay;
}

export async function sweepConversions(context: RunContext): Promise<void> {
  if (context.dryRun || context.runId === null) return;
  const { manifest } = context;
  const swept = await context.client.query(conversionSweepSql(manifest), [manifest.id, runNow(context), conversionLookbackSeconds(manifest)]);
  if (swept.rowCount) context.log(`[skene] ${manifest.id}: ${swept.rowCount} conversion(s) recorded`);
}
