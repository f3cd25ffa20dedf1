/** What the email preview shows: a template file's first step, or a chosen loop step; a sample or a real user. */
import * as vscode from 'vscode';
import type { PreviewEmailArgs, PreviewEmailParams } from '../../server/protocol';

export interface PreviewTarget {
  root: string;
  templatePath?: string;
  loopId?: string;
  step?: number;
  userId: string | null;
}

const TEMPLATE_FILE = /[\\/]skene[\\/]emails[\\/][^\\/]+\.(html|txt)$/;

export function isEmailTemplate(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && TEMPLATE_FILE.test(uri.fsPath);
}

/** From the command's arguments, else the active editor's template, else the first loop of the first folder. */
export function targetFrom(args: PreviewEmailArgs | vscode.Uri | undefined): PreviewTarget | null {
  const uri = args instanceof vscode.Uri ? args : args?.templateUri ? vscode.Uri.parse(args.templateUri) : undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  const template = uri ?? (!args && active && isEmailTemplate(active) ? active : undefined);
  const folder = template ? vscode.workspace.getWorkspaceFolder(template) : vscode.workspace.workspaceFolders?.[0];
  const root = (args instanceof vscode.Uri ? undefined : args?.root) ?? folder?.uri.fsPath;
  if (!root) return null;
  if (template) return { root, templatePath: template.fsPath, userId: null };
  const plain = args instanceof vscode.Uri ? undefined : args;
  return { root, loopId: plain?.loopId, step: plain?.step ?? 0, userId: null };
}

/** The request for the target, with the unsaved text of every dirty email template (the preview follows typing). */
export function previewParams(target: PreviewTarget): PreviewEmailParams {
  const unsaved: Record<string, string> = {};
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && isEmailTemplate(document.uri)) unsaved[document.uri.fsPath] = document.getText();
  }
  return { root: target.root, templatePath: target.templatePath, loopId: target.loopId, step: target.step, userId: target.userId, unsaved };
}
