import * as path from 'node:path';
import * as vscode from 'vscode';
import { chooseProject, discoverProjects } from '../server/core/django/discoverProjects';

/**
 * Django project roots of the workspace, sorted by path, found by the discovery the CLI and the language server
 * use (manage.py at, below or above each workspace folder; a project's own subfolders are not searched).
 */
export function findDjangoProjects(): Promise<vscode.Uri[]> {
  const roots = new Set<string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file') for (const project of discoverProjects(folder.uri.fsPath)) roots.add(project.root);
  }
  return Promise.resolve([...roots].sort((a, b) => a.localeCompare(b)).map((root) => vscode.Uri.file(root)));
}

/** The project the `skene.projectPath` setting names (relative to its workspace folder), when set and valid. */
function configuredProject(): vscode.Uri | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const wanted = vscode.workspace.getConfiguration('skene', folder.uri).get<unknown>('projectPath');
    if (typeof wanted !== 'string' || !wanted.trim() || folder.uri.scheme !== 'file') continue;
    const choice = chooseProject(folder.uri.fsPath, wanted.trim());
    if (choice.ok) return vscode.Uri.file(choice.project.root);
    void vscode.window.showWarningMessage(`Skene: skene.projectPath: ${choice.message}`);
  }
  return undefined;
}

/**
 * The Django project a command should work on: the one `skene.projectPath` names; else one project: that
 * one; several: the user picks. None: we say so and let the user pick a folder by hand (the analyzer then
 * explains what it could not find).
 */
export async function pickDjangoProject(purpose: string): Promise<vscode.Uri | undefined> {
  const configured = configuredProject();
  if (configured) return configured;
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
