import * as path from 'node:path';
import * as vscode from 'vscode';
import { configOf } from '../configFiles';
import { buildCursorPrompt } from '../cursorPrompt';
import { readProjectFacts } from '../projectFacts';
import { pickDjangoProject } from '../projectFolder';
import type { Services } from '../services';

/** The project's path inside its workspace folder, where Cursor's agent starts its terminal ('.' when the same). */
function folderInWorkspace(root: vscode.Uri): string {
  const workspace = vscode.workspace.getWorkspaceFolder(root);
  if (!workspace) return '.';
  return path.posix.relative(workspace.uri.path, root.path) || '.';
}

/** Skene: Copy Prompt for Cursor. Puts a prompt with this project's facts on the clipboard. */
export async function copyPromptForCursor(services: Services): Promise<string | undefined> {
  const root = await pickDjangoProject('Copy a Skene prompt for this project');
  if (!root) return undefined;
  try {
    const facts = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Skene: reading the project' },
      () => readProjectFacts(services.client, root),
    );
    const prompt = buildCursorPrompt(facts, (await configOf(root)) !== undefined, folderInWorkspace(root));
    await vscode.env.clipboard.writeText(prompt);
    services.log.info(`Copy Prompt for Cursor: ${prompt.length} characters copied`);
    void vscode.window.showInformationMessage('Skene: prompt copied — paste it into Cursor\'s agent chat.');
    return prompt;
  } catch (error) {
    services.log.error('Copy Prompt for Cursor failed', error);
    void vscode.window.showErrorMessage(`Skene: could not read the project (${error instanceof Error ? error.message : String(error)}).`);
    return undefined;
  }
}
