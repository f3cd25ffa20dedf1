import * as vscode from 'vscode';
import { restartLanguageClient } from './languageClient';

/** Registers the palette commands (category "Skene" in package.json). */
export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('skene.showOutput', () => log.show()),
    vscode.commands.registerCommand('skene.restartServer', async () => {
      log.info('Restarting the Skene language server');
      await restartLanguageClient();
    }),
    vscode.commands.registerCommand('skene.initialize', async () => {
      // Honest until the generators land: nothing is written and the user is told so.
      await vscode.window.showInformationMessage('Skene: Initialize is not built yet (issue #5 brings the generators).');
    }),
  );
}
