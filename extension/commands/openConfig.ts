import * as vscode from 'vscode';
import { ClientCommands } from '../../server/protocol';
import { pickConfigFile } from '../configFiles';
import { toUri } from './initialize';

/** Skene: Open Config. Opens the given config (code lens argument) or the workspace's; offers Initialize when there is none. */
export async function openConfig(configUri?: string, at?: { line: number; character: number }): Promise<void> {
  const uri = configUri ? toUri(configUri) : await pickConfigFile();
  if (uri) {
    // The lens over the user model passes where its loop starts: the editor opens there.
    const position = at ? new vscode.Position(at.line, at.character) : undefined;
    await vscode.window.showTextDocument(uri, { preview: false, ...(position ? { selection: new vscode.Range(position, position) } : {}) });
    return;
  }
  const choice = await vscode.window.showInformationMessage('Skene: there is no skene.config.ts in this workspace yet.', 'Initialize');
  if (choice === 'Initialize') await vscode.commands.executeCommand(ClientCommands.initialize);
}
