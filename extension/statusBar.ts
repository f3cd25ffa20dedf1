import * as vscode from 'vscode';
import { ClientCommands, CONFIG_FILE_NAME } from '../server/protocol';
import { findConfigFiles } from './configFiles';
import { countProblems, statusText } from './problemCounts';
import type { Services } from './services';

/**
 * A status bar item with the loop's state: no loop yet (click: Initialize), or the loop's problem count
 * (click: open the config). Updated from diagnostics events and config file creation/deletion.
 */
export function registerStatusBar(services: Services): void {
  const item = vscode.window.createStatusBarItem('skene.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Skene';
  item.text = '$(mail) Skene';
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`, false, true, false);
  // Config files known to exist: listed once, then kept current from watcher events and opened documents.
  const configs = new Set<string>();
  // Diagnostics events arrive in bursts (every linter in the workspace): count once per burst.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const render = (): void => {
    clearTimeout(pending);
    pending = setTimeout(() => renderItem(item, configs.size), 100);
  };
  const track = (uri: vscode.Uri, exists: boolean): void => {
    if (uri.scheme !== 'file' || !uri.path.endsWith(`/${CONFIG_FILE_NAME}`)) return;
    if (exists) configs.add(uri.toString());
    else configs.delete(uri.toString());
    render();
  };
  services.context.subscriptions.push(
    item,
    watcher,
    { dispose: () => clearTimeout(pending) },
    watcher.onDidCreate((uri) => track(uri, true)),
    watcher.onDidDelete((uri) => track(uri, false)),
    vscode.workspace.onDidOpenTextDocument((document) => track(document.uri, true)),
    vscode.languages.onDidChangeDiagnostics(render),
  );
  const recount = (): void => {
    findConfigFiles().then(
      (found) => {
        found.forEach((uri) => track(uri, true));
        render();
      },
      (error: unknown) => services.log.error('status bar: could not list configs', error),
    );
  };
  recount();
  item.show();
}

function renderItem(item: vscode.StatusBarItem, configCount: number): void {
  if (configCount === 0) {
    item.text = '$(mail) Skene: no loop';
    item.tooltip = 'No skene.config.ts yet — click to initialize a retention loop';
    item.command = ClientCommands.initialize;
    item.backgroundColor = undefined;
    return;
  }
  const problems = countProblems(vscode.languages.getDiagnostics().flatMap(([, diagnostics]) => diagnostics));
  item.text = `$(mail) Skene: ${statusText(problems)}`;
  item.tooltip = `Retention loop configured (${configCount} config${configCount === 1 ? '' : 's'}) — click to open skene.config.ts`;
  item.command = ClientCommands.openConfig;
  item.backgroundColor = problems.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
}
