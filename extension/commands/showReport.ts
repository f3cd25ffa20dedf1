import * as vscode from 'vscode';
import { Requests, type ReportParams, type ReportResult } from '../../server/protocol';
import type { Services } from '../services';

/** Skene: Show Report (the report lens). The server reads the ledger; the text is `skene report`'s, in an untitled document. */
export async function showReport(services: Services, args?: ReportParams): Promise<void> {
  const root = args?.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showInformationMessage('Skene: open a Django project folder to see its report.');
    return;
  }
  const client = await services.client.ensureStarted();
  const result = await client.sendRequest<ReportResult | null>(Requests.report, { root } satisfies ReportParams);
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: result?.text ?? 'Skene report: the language server did not answer (see the Skene output).\n' });
  await vscode.window.showTextDocument(document, { preview: false });
}
