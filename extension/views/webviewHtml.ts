/**
 * A Skene page in a webview: the built script and stylesheet from dist/webview by webview URI, the data
 * embedded, the strict CSP of webview/pageShell.ts with a fresh nonce. Only dist/webview may be loaded.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { pageHtml } from '../../webview/pageShell';

export type PageName = 'report' | 'preview';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PageName, title: string, data: unknown): string {
  const asset = (file: string) => ({ uri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString() });
  return pageHtml({
    title, nonce: randomBytes(16).toString('base64'), cspSource: webview.cspSource, scripts: [asset(`${page}.js`)], styles: [asset(`${page}.css`)], data,
    // An email's own inline styles must show; scripts stay nonce-only and nothing remote loads either way.
    allowInlineStyles: page === 'preview',
  });
}
