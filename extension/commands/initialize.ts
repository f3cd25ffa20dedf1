import * as vscode from 'vscode';
import { AGENTS_FILE, ClientCommands, CONFIG_FILE_NAME, CURSOR_RULE_FILE, type ActivitySources, type InitializeCommandArgs, type InitializeCommandResult, type PlannedFile } from '../../server/protocol';
import { ACTIVITY_PICK_TITLE, activityArgument, activityPickItems } from '../activityPick';
import { writePlannedFiles } from '../writePlannedFiles';
import { pickDjangoProject } from '../projectFolder';
import { targetFolderLabel } from '../planGroups';
import { describePlan, writesMigration } from '../planSummary';
import { reviewPlan } from '../reviewPlan';
import { requestPlan } from '../serverRequests';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { showNextSteps } from './nextSteps';
import { AGENT_FILES_TITLE } from '../initializeTexts';

export interface InitializeOutcome {
  root: string;
  written: PlannedFile[];
}

/**
 * Skene: Initialize. The server analyzes the project and plans (progress notification); every file it
 * would write is reviewed with its diff; the ticked ones are written as one edit; a summary follows.
 * Also behind the "add retention loop" lens and "Regenerate artifacts".
 */
export async function initialize(services: Services, args?: InitializeCommandArgs, how: { regenerate?: boolean } = {}): Promise<InitializeOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    // Restricted Mode ("limited" support): reading the project is fine, writing files into it is not.
    void vscode.window.showWarningMessage('Skene: Initialize writes files; trust this workspace first.');
    return undefined;
  }
  const root = args?.root ? toUri(args.root) : await pickDjangoProject('Initialize Skene here');
  if (!root) return undefined;
  let request: InitializeCommandArgs = {
    root: root.fsPath,
    dormancyDays: args?.dormancyDays ?? readSettings(root).defaultDormancyDays,
    ...(args?.scheduler ? { scheduler: args.scheduler } : {}),
    ...(args?.agents !== undefined ? { agents: args.agents } : {}),
    ...(args?.activity !== undefined ? { activity: args.activity } : {}),
  };
  services.log.info(`Initialize: planning ${root.fsPath}`);
  let plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Analyzing Django project…' },
    () => requestPlan(services.client, request),
  );
  // No Celery in the project: the loop runs by `manage.py skene_run`; adding Celery is the user's visible choice.
  const scheduling = plan.notes.find((note) => note.message.startsWith('Scheduling:'));
  if (scheduling && !args?.scheduler) {
    const command = { label: 'python manage.py skene_run', description: 'with your scheduler or cron (no new dependency)', detail: scheduling.message.split('\n').slice(1, -1).join(' ').trim() };
    const celery = { label: 'Celery beat', description: 'adds Celery, a Celery app and the dependency' };
    const picked = await vscode.window.showQuickPick([command, celery], { title: 'Skene: how should the loop be scheduled?', ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked === celery) {
      request = { ...request, scheduler: 'celery' };
      plan = await requestPlan(services.client, request);
    }
  }
  // What counts as activity, as `skene init --activity`: asked when the analyzer found tables that could feed it
  // (not by Regenerate Artifacts: a re-run keeps the earlier pick).
  if (plan.activity?.candidates.length && args?.activity === undefined && !how.regenerate && !plan.error) {
    const activity = await askForActivitySource(plan.activity);
    if (activity === null) return undefined;
    if (activity !== undefined) {
      request = { ...request, activity };
      plan = await requestPlan(services.client, request);
    }
  }
  // The agent files, as `skene init --agents` writes them: asked once (a re-run keeps files Initialize wrote).
  if (args?.agents === undefined && !plan.error && !plan.files.some((file) => isAgentFile(file.path))) {
    const agents = await askForAgentFiles();
    if (agents === undefined) return undefined;
    if (agents) {
      request = { ...request, agents: true };
      plan = await requestPlan(services.client, request);
    }
  }
  const writes = actionableWrites(services, plan);
  if (!writes) return undefined;
  const chosen = await reviewPlan(root, writes, `Skene: Initialize${inFolder(root)} — ${describePlan(plan.files)}`);
  if (!chosen?.length) {
    services.log.info('Initialize: cancelled in the review; nothing written');
    void vscode.window.showInformationMessage('Skene: Initialize cancelled — nothing was written.');
    return undefined;
  }
  if (!(await writePlannedFiles(root, chosen))) {
    services.log.error('Initialize: VS Code did not apply the edit');
    void vscode.window.showErrorMessage('Skene: the files could not be written (see the Skene output).');
    return undefined;
  }
  services.log.info(`Initialize: wrote ${describePlan(chosen)}`);
  void showSummary(services, root, chosen);
  return { root: root.fsPath, written: chosen };
}

function isAgentFile(path: string): boolean {
  return path === AGENTS_FILE || path === CURSOR_RULE_FILE;
}

/** The `activity` argument for a new plan; undefined: keep the plan; null: the user dismissed the question. */
async function askForActivitySource(sources: ActivitySources): Promise<string | undefined | null> {
  const items = activityPickItems(sources);
  const picked = await vscode.window.showQuickPick(items, { title: ACTIVITY_PICK_TITLE, placeHolder: 'Last activity decides who is dormant: pick what moves it', ignoreFocusOut: true });
  return picked ? activityArgument(sources, picked) : null;
}

/** Whether to also write instructions for coding agents; undefined when the user dismissed the question. */
async function askForAgentFiles(): Promise<boolean | undefined> {
  const skip = { label: 'Not now', description: 'the loop only', agents: false };
  const add = {
    label: 'Add instructions for coding agents',
    description: `a Skene section in ${AGENTS_FILE} and ${CURSOR_RULE_FILE}`,
    detail: 'Cursor, Codex and other agents then run the Skene commands that work in this project (you review both files next).',
    agents: true,
  };
  const picked = await vscode.window.showQuickPick([skip, add], { title: AGENT_FILES_TITLE, ignoreFocusOut: true });
  return picked?.agents;
}

/** The files to write, or undefined (after telling the user why) when there is nothing to do. */
function actionableWrites(services: Services, plan: InitializeCommandResult): PlannedFile[] | undefined {
  if (plan.error) {
    reportError(services, plan.error);
    return undefined;
  }
  services.log.info(`Initialize: plan has ${describePlan(plan.files)}`);
  for (const note of plan.notes) services.log[note.severity === 'warning' ? 'warn' : note.severity](`Initialize: ${note.message}`);
  const conflicts = plan.files.filter((file) => file.action === 'conflict');
  for (const conflict of conflicts) services.log.warn(`Initialize: not writing ${conflict.path}: ${conflict.reason}`);
  if (conflicts.length) {
    void vscode.window.showWarningMessage(`Skene: ${conflicts.length} file(s) you edited will not be overwritten (details in the Skene output).`);
  }
  // 'delete': an older Skene's vendored files, unchanged since (the review shows them as one row to untick).
  const writes = plan.files.filter((file) => file.action === 'create' || file.action === 'modify' || file.action === 'delete');
  if (writes.length) return writes;
  void vscode.window.showInformationMessage(`Skene is already set up in this project (${describePlan(plan.files)}).`);
  return undefined;
}

function reportError(services: Services, error: string): void {
  services.log.error(`Initialize: ${error}`);
  // Not awaited: the command is over; the message stays until the user dismisses it.
  void vscode.window.showErrorMessage(`Skene: ${error}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') services.log.show();
  });
}

async function showSummary(services: Services, root: vscode.Uri, written: readonly PlannedFile[]): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    // "migrate" only when a migration was written: a re-run that changed loops.json or the beat entry needs none.
    `Skene: loop installed (${describePlan(written)}).${writesMigration(written) ? ' Next: python manage.py migrate.' : ''}`,
    'Open skene.config.ts',
    'Show next steps',
  );
  if (choice === 'Open skene.config.ts') {
    await vscode.commands.executeCommand(ClientCommands.openConfig, vscode.Uri.joinPath(root, CONFIG_FILE_NAME).toString());
  } else if (choice === 'Show next steps') {
    await showNextSteps(services);
  }
}

/** " in backend" when the project is a subfolder of the workspace (a monorepo): the review says where it writes. */
export function inFolder(root: vscode.Uri): string {
  const folder = targetFolderLabel((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), root.fsPath);
  return folder === null ? '' : ` in ${folder}`;
}

/** Lens arguments carry an absolute path or a file URI. */
export function toUri(pathOrUri: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(pathOrUri) ? vscode.Uri.parse(pathOrUri) : vscode.Uri.file(pathOrUri);
}
