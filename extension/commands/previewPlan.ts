import * as vscode from 'vscode';
import type { InitializeCommandResult, LoopLensArgs, PlannedFile } from '../../server/protocol';
import { closePlannedDiffs, showPlannedDiff } from '../planDocuments';
import { describePlan } from '../planSummary';
import { pickDjangoProject } from '../projectFolder';
import { requestPlan } from '../serverRequests';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { inFolder, initialize, toUri } from './initialize';

const ICONS: Record<PlannedFile['action'], string> = {
  create: '$(new-file)',
  modify: '$(diff)',
  unchanged: '$(check)',
  conflict: '$(warning)',
  delete: '$(trash)',
};

type PlanItem = vscode.QuickPickItem & { file?: PlannedFile; apply?: true };

/**
 * Skene: Preview Plan. Lists every file Initialize would write; moving through the list opens a diff of
 * the file on disk against the planned content. Nothing is written unless "Apply…" is chosen.
 */
export async function previewPlan(services: Services, args?: LoopLensArgs): Promise<void> {
  const root = args?.root ? toUri(args.root) : await pickDjangoProject('Preview the Skene plan for this project');
  if (!root) return;
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Analyzing Django project…' },
    () => requestPlan(services.client, { root: root.fsPath, dormancyDays: readSettings(root).defaultDormancyDays }),
  );
  if (plan.error) {
    void vscode.window.showErrorMessage(`Skene: ${plan.error}`);
    return;
  }
  const picked = await vscode.window.showQuickPick(planItems(plan), {
    title: `Skene plan${inFolder(root)}: ${describePlan(plan.files)}`,
    placeHolder: 'Select a file to see its diff',
    matchOnDescription: true,
    onDidSelectItem: (item: PlanItem) => (item.file ? void showPlannedDiff(root, item.file) : undefined),
  });
  // The diffs opened while moving through the list show a plan, not the files: none stays open after Escape
  // (or Apply, whose review opens its own); a picked file keeps its diff.
  await closePlannedDiffs();
  if (picked?.apply) await initialize(services, { root: root.fsPath });
  else if (picked?.file) await showPlannedDiff(root, picked.file);
}

function planItems(plan: InitializeCommandResult): PlanItem[] {
  const files: PlanItem[] = plan.files.map((file) => ({
    label: `${ICONS[file.action]} ${file.path}`,
    description: file.action,
    detail: file.reason,
    file,
  }));
  const writes = plan.files.some((file) => file.action === 'create' || file.action === 'modify');
  return writes ? [{ label: '$(run-all) Apply…', description: 'review every file with its diff, then write', apply: true }, ...files] : files;
}
