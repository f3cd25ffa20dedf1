import * as path from 'node:path';
import * as vscode from 'vscode';

const IGNORED = '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}';

/** Folders of the workspace that hold a manage.py, i.e. Django project roots, sorted by path. */
export async function findDjangoProjects(): Promise<vscode.Uri[]> {
  const managePys = await vscode.workspace.findFiles('**/manage.py', IGNORED, 50);
  return managePys.map((uri) => vscode.Uri.joinPath(uri, '..')).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The Django project a command should work on. One project: that one. Several: the user picks. None: we
 * say so and let the user pick a folder by hand (the analyzer then explains what it could not find).
 */
export async function pickDjangoProject(purpose: string): Promise<vscode.Uri | undefined> {
  const projects = await findDjangoProjects();
  if (projects.length === 1) return projects[0];
  if (projects.length > 1) return pickAmong(projects, purpose);
  const choice = await vscode.window.showWarningMessage(
    'Skene: no Django project (a folder with manage.py) was found in this workspace.',
    'Pick a Folder…',
  );
  if (choice !== 'Pick a Folder…') return undefined;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: purpose,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

async function pickAmong(projects: vscode.Uri[], purpose: string): Promise<vscode.Uri | undefined> {
  const items = projects.map((uri) => ({
    label: vscode.workspace.asRelativePath(uri, true) || uri.fsPath,
    description: uri.fsPath,
    uri,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Skene: ${projects.length} Django projects found — which one?`,
    placeHolder: purpose,
  });
  return picked?.uri;
}

/** The project root a resource belongs to: the closest manage.py folder above it, else its workspace folder. */
export async function projectRootOf(resource: vscode.Uri): Promise<vscode.Uri | undefined> {
  const projects = await findDjangoProjects();
  const inside = projects.filter((root) => {
    const relative = path.relative(root.fsPath, resource.fsPath);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
  });
  return inside.sort((a, b) => b.fsPath.length - a.fsPath.length)[0] ?? vscode.workspace.getWorkspaceFolder(resource)?.uri;
}
