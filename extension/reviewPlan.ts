import * as vscode from 'vscode';
import { CONFIG_FILE_NAME, type PlannedFile } from '../server/protocol';
import { closePlannedDiffs, showPlannedDiff } from './planDocuments';

type FileItem = vscode.QuickPickItem & { file: PlannedFile };

/**
 * Shows every file the plan writes in a multi-select list, all ticked; moving through it opens the
 * diff of that file (disk vs. plan) beside, starting with skene.config.ts. Resolves with the ticked files on Enter, undefined on Escape.
 *
 * Why not the refactor preview of a workspace/applyEdit with `needsConfirmation` annotations: VS Code
 * starts such changes unticked, so accepting Initialize would mean ticking dozens of files one by one.
 */
export function reviewPlan(root: vscode.Uri, writes: readonly PlannedFile[], title: string): Promise<PlannedFile[] | undefined> {
  const pick = vscode.window.createQuickPick<FileItem>();
  const items = writes.map((file) => ({
    label: `${file.action === 'create' ? '$(new-file)' : '$(diff)'} ${file.path}`,
    description: file.action === 'create' ? 'new' : 'changed',
    detail: file.reason,
    file,
  }));
  pick.title = title;
  pick.placeholder = 'Untick what you do not want written, then press Enter (Escape cancels)';
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = items;
  pick.selectedItems = items;
  return new Promise((resolve) => {
    let accepted = false;
    pick.onDidChangeActive(([active]) => {
      if (active) void showPlannedDiff(root, active.file);
    });
    pick.onDidAccept(() => {
      accepted = true;
      resolve(pick.selectedItems.map((item) => item.file));
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!accepted) resolve(undefined);
      pick.dispose();
      void closePlannedDiffs();
    });
    pick.show();
    // Start on the loop config (the file people care about first), so its diff is already open.
    const first = items.find((item) => item.file.path === CONFIG_FILE_NAME) ?? items[0];
    if (first) pick.activeItems = [first];
  });
}
