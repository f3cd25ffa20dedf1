import * as vscode from 'vscode';
import type { PlannedFile } from '../server/protocol';
import { parentFoldersDeepestFirst } from '../generators/paths/parentFolders';

/**
 * Writes the reviewed files as one workspace edit (one undo step, marked as a refactoring so VS Code
 * saves what it changed), then saves any document the edit left dirty. An older Skene's vendored files
 * ('delete') go in the same edit, and the folders they leave empty after it. Returns whether VS Code applied it.
 */
export async function writePlannedFiles(root: vscode.Uri, files: readonly PlannedFile[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const file of files) {
    const uri = vscode.Uri.joinPath(root, file.path);
    if (file.action === 'create') {
      edit.createFile(uri, { overwrite: false, ignoreIfExists: true, contents: new TextEncoder().encode(file.after) });
    } else if (file.action === 'delete') {
      edit.deleteFile(uri, { ignoreIfNotExists: true });
    } else {
      const document = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), document.positionAt(document.getText().length)), file.after);
    }
  }
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (applied) {
    await saveWritten(root, files);
    await removeEmptiedFolders(root, files.filter((file) => file.action === 'delete').map((file) => file.path));
  }
  return applied;
}

async function saveWritten(root: vscode.Uri, files: readonly PlannedFile[]): Promise<void> {
  const written = new Set(files.filter((file) => file.action !== 'delete').map((file) => vscode.Uri.joinPath(root, file.path).toString()));
  const dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty && written.has(document.uri.toString()));
  await Promise.all(dirty.map((document) => document.save()));
}

/**
 * The folders below the project root that the removed files leave empty (skene/sdk/runtime/ ...); a folder
 * still holding anything (the user's own file, the new skene/sdk/index.js) stays.
 */
async function removeEmptiedFolders(root: vscode.Uri, removed: readonly string[]): Promise<void> {
  for (const folder of parentFoldersDeepestFirst(removed)) {
    const uri = vscode.Uri.joinPath(root, folder);
    try {
      if ((await vscode.workspace.fs.readDirectory(uri)).length === 0) await vscode.workspace.fs.delete(uri);
    } catch {
      // Already gone, or unreadable: nothing of ours to tidy.
    }
  }
}
