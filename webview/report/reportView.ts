/**
 * Entry of the report page (dist/webview/report.js). The report comes embedded in the page
 * (<script type="application/json" id="skene-data">) and, in VS Code, again by postMessage when it refreshes.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { Report } from '../../server/core/report/reportTypes';
import { readEmbeddedData, pageNonce, onHostMessage } from '../host';
import { chartColors, onThemeChange } from '../theme';
import { renderReport } from './renderReport';

type ReportMessage = { type: 'report'; report: Report } | { type: 'error'; message: string };

function main(): void {
  const container = document.getElementById('skene-root');
  if (!container) return;
  let current = readEmbeddedData<ReportMessage>();
  const render = () => {
    if (!current) return;
    if (current.type === 'error') {
      const message = document.createElement('p');
      message.className = 'error';
      message.textContent = current.message;
      container.replaceChildren(message);
    } else renderReport(container, current.report, chartColors(), pageNonce());
    document.body.dataset.rendered = 'true';
  };
  render();
  onThemeChange(render);
  onHostMessage<ReportMessage>((message) => {
    current = message;
    render();
  });
}

main();
