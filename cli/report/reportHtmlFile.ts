/**
 * `skene report --html FILE`: the report view as one self-contained page (script, styles and data inlined,
 * a CSP that forbids any network), for people outside the editor and for CI artifacts.
 */
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../../generators/applyPlan';
import type { Report } from '../../server/core/report/reportTypes';
import { pageHtml } from '../../webview/pageShell';
import { readPageAssets } from './webviewAssets';

export function reportHtml(report: Report): string {
  const assets = readPageAssets('report');
  const title = `Skene report — ${report.loops.map((loop) => loop.id).join(', ') || 'no loops'}`;
  return pageHtml({ title, nonce: randomBytes(16).toString('base64'), scripts: [{ inline: assets.script }], styles: [{ inline: assets.style }], data: { type: 'report', report } });
}

export function writeReportHtml(file: string, report: Report): void {
  writeFileAtomic(file, reportHtml(report));
}
