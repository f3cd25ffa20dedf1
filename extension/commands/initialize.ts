import * as vscode from 'vscode';
import { ClientCommands, CONFIG_FILE_NAME, type InitializeCommandArgs, type InitializeCommandResult, type PlannedFile } from '../../server/protocol';
import { pickDjangoProject } from '../projectFolder';
import { describePlan } from '../planSummary';
import { requestInitialize, requestPlan } from '../serverRequests';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { showNextSteps } from './nextSteps';

/**
 * Skene: Initialize. Analyzes the project (progress notification), then lets the server apply its plan
 * through VS Code's refactor preview (every file shown, nothing written until the user accepts), then
 * sums up what was written. Also behind the "add retention loop" lens and "Regenerate artifacts".
 */
export async function initialize(services: Services, args?: InitializeCommandArgs): Promise<InitializeCommandResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    // Restricted Mode ("limited" support): reading the project is fine, writing files into it is not.
    void vscode.window.showWarningMessage('Skene: Initialize writes files; trust this workspace first.');
    return undefined;
  }
  const root = args?.root ? toUri(args.root) : await pickDjangoProject('Initialize Skene here');
  if (!root) return undefined;
  const request = { root: root.fsPath, dormancyDays: args?.dormancyDays ?? readSettings(root).defaultDormancyDays };
  services.log.info(`Initialize: planning ${root.fsPath}`);
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Analyzing Django project…' },
    () => requestPlan(services.client, request),
  );
  if (!planIsActionable(services, plan)) return plan;
  const result = await requestInitialize(services.client, request);
  if (result.error) return reportError(services, result);
  if (!result.applied) {
    services.log.info('Initialize: the preview was discarded; nothing written');
    void vscode.window.showInformationMessage('Skene: Initialize cancelled — nothing was written.');
    return result;
  }
  await saveWrittenFiles(root, result.files);
  services.log.info(`Initialize: applied (${describePlan(result.files)})`);
  void showSummary(services, root, result.files);
  return result;
}

function planIsActionable(services: Services, plan: InitializeCommandResult): boolean {
  if (plan.error) {
    reportError(services, plan);
    return false;
  }
  services.log.info(`Initialize: plan has ${describePlan(plan.files)}`);
  for (const note of plan.notes) services.log[note.severity === 'warning' ? 'warn' : note.severity](`Initialize: ${note.message}`);
  for (const conflict of plan.files.filter((file) => file.action === 'conflict')) {
    services.log.warn(`Initialize: conflict in ${conflict.path}: ${conflict.reason ?? 'the file differs from what Skene would write'}`);
  }
  if (plan.files.some((file) => file.action === 'create' || file.action === 'modify')) return true;
  void vscode.window.showInformationMessage(`Skene is already set up in this project (${describePlan(plan.files)}).`);
  return false;
}

function reportError(services: Services, result: InitializeCommandResult): InitializeCommandResult {
  services.log.error(`Initialize: ${result.error ?? 'unknown error'}`);
  // Not awaited: the command is over; the message stays until the user dismisses it.
  void vscode.window.showErrorMessage(`Skene: ${result.error ?? 'Initialize failed'}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') services.log.show();
  });
  return result;
}

/** Files the refactor left open and unsaved are saved, so the project on disk matches the summary. */
async function saveWrittenFiles(root: vscode.Uri, files: readonly PlannedFile[]): Promise<void> {
  const written = new Set(
    files.filter((file) => file.action === 'create' || file.action === 'modify').map((file) => vscode.Uri.joinPath(root, file.path).fsPath),
  );
  const dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty && written.has(document.uri.fsPath));
  await Promise.all(dirty.map((document) => document.save()));
}

async function showSummary(services: Services, root: vscode.Uri, files: readonly PlannedFile[]): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    `Skene: loop installed (${describePlan(files)}). Next: python manage.py migrate.`,
    'Open skene.config.ts',
    'Show next steps',
  );
  if (choice === 'Open skene.config.ts') {
    await vscode.commands.executeCommand(ClientCommands.openConfig, vscode.Uri.joinPath(root, CONFIG_FILE_NAME).toString());
  } else if (choice === 'Show next steps') {
    await showNextSteps(services);
  }
}

/** Lens arguments carry an absolute path or a file URI. */
export function toUri(pathOrUri: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(pathOrUri) ? vscode.Uri.parse(pathOrUri) : vscode.Uri.file(pathOrUri);
}
