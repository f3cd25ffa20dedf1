/** The run summary as people read it: one head line per loop and one line of counts. */
import type { RunSummary } from '../../sdk/runtime';

export function formatSkipped(skipped: Record<string, number>): string {
  const entries = Object.entries(skipped).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries.length ? `skipped ${total} (${entries.map(([reason, n]) => `${reason} ${n}`).join(', ')})` : 'skipped 0';
}

export function formatCounts(summary: RunSummary, withDuration = true): string {
  const parts = [
    `candidates ${summary.candidates}`,
    `${summary.status === 'dry_run' ? 'would claim' : 'claimed'} ${summary.claimed}`,
    ...(summary.resumed ? [`resumed ${summary.resumed}`] : []),
    `sent ${summary.sent}`,
    formatSkipped(summary.skipped),
    `deferred ${summary.deferred}`,
    `failed ${summary.failed}`,
  ];
  if (withDuration) parts.push(`${(summary.durationMs / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

export function formatSummary(summary: RunSummary): string {
  const status = summary.status === 'dry_run' ? 'dry run (nothing written, nothing sent)' : summary.status;
  const head = `${summary.loopId}: ${status}${summary.reason ? ` — ${summary.reason}` : ''} (tick ${summary.scheduledAt})`;
  return `${head}\n  ${formatCounts(summary)}\n`;
}

/** Exit code for a set of runs: a failed or stopped run is a failure; skipped and dry runs are fine. */
export function runsExitCode(summaries: RunSummary[]): 0 | 1 {
  return summaries.some((s) => s.status === 'failed' || s.status === 'stopped') ? 1 : 0;
}
