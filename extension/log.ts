import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** One LogOutputChannel ("Skene") shared by the client and the commands. */
export function createLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Skene', { log: true });
  context.subscriptions.push(channel);
  return channel;
}
