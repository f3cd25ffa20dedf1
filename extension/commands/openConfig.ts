import * as vscode from 'vscode';
import { ClientCommands } from '../../server/protocol';
import { pickConfigFile } from '../configFiles';
import { toUri } from './initialize';

/** Skene: Open Config. Opens the given config (code lens argument) or the workspace's; offers Initialize when there is none. */
export async function openConfig(configUri?: string): Promise<void> {
  const uri = configUri ? toUri(configUri) : await pickConfigFile();
  if (uri) {
    await vscode.window.showTextDocument(uri, { preview: false });
    return;
  }
  const choice = await vscode.window.showInformationMessage('Skene: there is no skene.config.ts in this workspace yet.', 'Initialize');
  if (choice === 'Initialize') await vscode.commands.executeCommand(ClientCommands.initialize);
}
