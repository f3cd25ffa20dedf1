/**
 * Skene: Show Report (palette and report lens): the report view in a webview panel, one per project, the same page
 * as `skene report --html`. The language server reads the ledger (trusted workspaces only, read-only, 5 s timeout).
 */
import * as vscode from 'vscode';
import { Requests, type ReportParams, type ReportViewResult } from '../../server/protocol';
import type { Services } from '../services';
import { webviewHtml, webviewOptions } from './webviewHtml';

const panels = new Map<string, vscode.WebviewPanel>();

async function reportMessage(services: Services, root: string): Promise<unknown> {
  const client = await services.client.ensureStarted();
  const result = await client.sendRequest<ReportViewResult | null>(Requests.reportView, { root } satisfies ReportParams);
  if (!result) return { type: 'error', message: 'The language server did not answer (see the Skene output).' };
  return result.error !== undefined ? { type: 'error', message: result.error } : { type: 'report', report: result.report };
}

export async function showReportPanel(services: Services, args?: ReportParams): Promise<void> {
  const root = args?.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showInformationMessage('Skene: open a Django project folder to see its report.');
    return;
  }
  const { extensionUri } = services.context;
  let panel = panels.get(root);
  if (panel) panel.reveal();
  else {
    panel = vscode.window.createWebviewPanel('skene.report', 'Skene Report', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    panels.set(root, panel);
    panel.onDidDispose(() => panels.delete(root));
  }
  const message = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Skene: reading the report' }, () => reportMessage(services, root));
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'report', 'Skene Report', message);
}
