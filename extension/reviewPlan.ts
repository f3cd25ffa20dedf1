import * as vscode from 'vscode';
import type { PlannedFile } from '../server/protocol';
import { closePlannedDiffs, showPlannedDiff } from './planDocuments';
import { groupPlannedFiles, removedRowLabel, vendoredRowLabel } from './planGroups';
import { REVIEW_PLACEHOLDER } from './initializeTexts';

/** A row of the review: one file of the project, or the vendored SDK's files as one row. */
type FileItem = vscode.QuickPickItem & { files: PlannedFile[] };

/**
 * Shows every file the plan writes in a multi-select list, all ticked: the project's own files first
 * (skene.config.ts on top), then the vendored @skene/sdk as one row, since nobody reviews its files one by
 * one, then (upgrading from an older Skene) its old vendored files to remove, one row too. Moving through the list opens the diff of that file (disk vs. plan) beside, starting with
 * skene.config.ts. Resolves with the ticked files on Enter, undefined on Escape; either way the plan's diff
 * tabs are closed.
 *
 * Why not the refactor preview of a workspace/applyEdit with `needsConfirmation` annotations: VS Code
 * starts such changes unticked, so accepting Initialize would mean ticking dozens of files one by one.
 */
export function reviewPlan(root: vscode.Uri, writes: readonly PlannedFile[], title: string): Promise<PlannedFile[] | undefined> {
  const pick = vscode.window.createQuickPick<FileItem>();
  const { own, vendored, removed } = groupPlannedFiles(writes);
  const items: FileItem[] = own.map((file) => ({
    label: `${file.action === 'create' ? '$(new-file)' : '$(diff)'} ${file.path}`,
    description: file.action === 'create' ? 'new' : 'changed',
    detail: file.reason,
    files: [file],
  }));
  if (vendored.length) {
    items.push({
      label: `$(package) ${vendoredRowLabel(vendored)}`,
      description: 'Skene’s code, copied as is',
      detail: vendored[0]?.reason,
      files: vendored,
    });
  }
  if (removed.length) {
    items.push({
      label: `$(trash) ${removedRowLabel(removed)}`,
      description: 'unchanged since Skene wrote them',
      detail: removed[0]?.reason,
      files: removed,
    });
  }
  pick.title = title;
  pick.placeholder = REVIEW_PLACEHOLDER;
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = items;
  pick.selectedItems = items;
  return new Promise((resolve) => {
    let accepted = false;
    pick.onDidChangeActive(([active]) => {
      // The SDK row shows its package.json: the one file of it that differs between projects.
      const file = active?.files.find((candidate) => candidate.path.endsWith('/package.json')) ?? active?.files[0];
      if (file) void showPlannedDiff(root, file);
    });
    pick.onDidAccept(() => {
      accepted = true;
      resolve(pick.selectedItems.flatMap((item) => item.files));
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!accepted) resolve(undefined);
      pick.dispose();
      void closePlannedDiffs();
    });
    pick.show();
    // Start on the loop config (the file people care about first), so its diff is already open.
    if (items[0]) pick.activeItems = [items[0]];
  });
}
