import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../server/protocol';

/** Every skene.config.ts in the workspace (outside dependencies), sorted by path. */
export async function findConfigFiles(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(`**/${CONFIG_FILE_NAME}`, '{**/node_modules/**,**/.git/**}', 20);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The config of a project root, if it exists. */
export async function configOf(root: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = vscode.Uri.joinPath(root, CONFIG_FILE_NAME);
  try {
    await vscode.workspace.fs.stat(uri);
    return uri;
  } catch {
    return undefined;
  }
}

/** One config to act on: the only one, or the one the user picks among several. */
export async function pickConfigFile(): Promise<vscode.Uri | undefined> {
  const configs = await findConfigFiles();
  if (configs.length <= 1) return configs[0];
  const picked = await vscode.window.showQuickPick(
    configs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true), uri })),
    { title: 'Skene: which loop config?' },
  );
  return picked?.uri;
}
