/**
 * Skene: Preview Email: a panel beside an email template (or a loop step) showing what the runtime would send, for
 * a sample user or a real one (trusted workspaces). It re-renders as the template or skene.config.ts is typed, and
 * sends a test to an allowed address on request. Real user values go from the local server to this panel only.
 */
import * as vscode from 'vscode';
import { Requests, type PreviewEmailArgs, type PreviewEmailResult, type SendTestParams, type SendTestResult } from '../../server/protocol';
import type { Services } from '../services';
import { isEmailTemplate, previewParams, targetFrom, type PreviewTarget } from './previewTarget';
import { webviewHtml, webviewOptions } from './webviewHtml';

type PageRequest = { type: 'ready' } | { type: 'select'; loopId: string; step: number } | { type: 'user'; userId: string | null } | { type: 'sendTest' };

const DEBOUNCE_MS = 150;

class EmailPreviewPanel {
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;

  constructor(private readonly services: Services, readonly panel: vscode.WebviewPanel, public target: PreviewTarget) {
    const subscriptions = [
      panel.webview.onDidReceiveMessage((request: PageRequest) => void this.handle(request)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event.document.uri)),
      vscode.workspace.onDidSaveTextDocument((document) => this.onEdit(document.uri)),
    ];
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
    });
  }

  private onEdit(uri: vscode.Uri): void {
    if (!isEmailTemplate(uri) && !uri.fsPath.endsWith('skene.config.ts')) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  /** Asks the server again and posts the answer; a newer request wins over a slower older one. */
  async update(): Promise<void> {
    const mine = ++this.sequence;
    const client = await this.services.client.ensureStarted();
    const result = await client.sendRequest<PreviewEmailResult | null>(Requests.previewEmail, previewParams(this.target));
    if (mine !== this.sequence) return;
    const message = !result ? { type: 'error', message: 'The language server did not answer (see the Skene output).' } : result.error !== undefined ? { type: 'error', message: result.error } : { type: 'preview', preview: result.preview, trusted: vscode.workspace.isTrusted };
    await this.panel.webview.postMessage(message);
  }

  private async handle(request: PageRequest): Promise<void> {
    if (request.type === 'select') this.target = { root: this.target.root, loopId: request.loopId, step: request.step, userId: this.target.userId };
    if (request.type === 'user') this.target = { ...this.target, userId: request.userId };
    if (request.type === 'sendTest') return sendTest(this.services, this.target);
    await this.update();
  }
}

let current: EmailPreviewPanel | undefined;

export async function showEmailPreview(services: Services, args?: PreviewEmailArgs | vscode.Uri): Promise<void> {
  const target = targetFrom(args);
  if (!target) {
    void vscode.window.showInformationMessage('Skene: open a Django project with a skene.config.ts to preview its emails.');
    return;
  }
  if (current) {
    current.target = target;
    current.panel.reveal(vscode.ViewColumn.Beside, true);
    await current.update();
    return;
  }
  const { extensionUri } = services.context;
  const panel = vscode.window.createWebviewPanel('skene.emailPreview', 'Email Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
  current = new EmailPreviewPanel(services, panel, target);
  panel.onDidDispose(() => (current = undefined));
  // The page posts 'ready' once its script runs; the preview follows as a message.
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', 'Email Preview', null);
}

/** Skene: Send Test Email — the previewed step (or the first) to an address the allowlist accepts. */
export async function sendTest(services: Services, target?: PreviewTarget): Promise<void> {
  const chosen = target ?? current?.target ?? targetFrom(undefined);
  if (!chosen) return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Skene: a test send uses your provider credentials; trust this workspace first.');
    return;
  }
  const configured = vscode.workspace.getConfiguration('skene').get<string[]>('testSend.recipients') ?? [];
  const to = await vscode.window.showInputBox({ title: 'Send a test email', prompt: 'Recipient (must be in skene.testSend.recipients, SKENE_TEST_RECIPIENTS, or your git email)', value: configured[0] ?? '' });
  if (!to) return;
  const client = await services.client.ensureStarted();
  const result = await client.sendRequest<SendTestResult | null>(Requests.sendTestEmail, { ...previewParams(chosen), to: to.trim() } satisfies SendTestParams);
  if (result?.ok) void vscode.window.showInformationMessage(`Skene: ${result.message}`);
  else void vscode.window.showErrorMessage(`Skene: ${result?.message ?? 'the language server did not answer'}`);
}
