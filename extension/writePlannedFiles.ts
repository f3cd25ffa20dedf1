import * as vscode from 'vscode';
import type { PlannedFile } from '../server/protocol';

/**
 * Writes the reviewed files as one workspace edit (one undo step, marked as a refactoring so VS Code
 * saves what it changed), then saves any document the edit left dirty. Returns whether VS Code applied it.
 */
export async function writePlannedFiles(root: vscode.Uri, files: readonly PlannedFile[]): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  for (const file of files) {
    const uri = vscode.Uri.joinPath(root, file.path);
    if (file.action === 'create') {
      edit.createFile(uri, { overwrite: false, ignoreIfExists: true, contents: new TextEncoder().encode(file.after) });
    } else {
      const document = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), document.positionAt(document.getText().length)), file.after);
    }
  }
  const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (applied) await saveWritten(root, files);
  return applied;
}

async function saveWritten(root: vscode.Uri, files: readonly PlannedFile[]): Promise<void> {
  const written = new Set(files.map((file) => vscode.Uri.joinPath(root, file.path).toString()));
  const dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty && written.has(document.uri.toString()));
  await Promise.all(dirty.map((document) => document.save()));
}
