import type * as vscode from 'vscode';
import { startLanguageClient, stopLanguageClient } from './languageClient';
import { registerCommands } from './commands';
import { createLog } from './log';

/** Activation wires small features together; each lives in its own file. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog(context);
  registerCommands(context, log);
  await startLanguageClient(context, log);
}

export function deactivate(): Promise<void> {
  return stopLanguageClient();
}
