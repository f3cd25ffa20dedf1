import * as vscode from 'vscode';
import type { PlannedFile } from '../server/protocol';

/** URI scheme of the read-only documents that show a planned file's new content in a diff. */
export const PLAN_SCHEME = 'skene-plan';

const planned = new Map<string, string>();
/** The diff being opened, if any: closing waits for it, or a diff opened during Escape would stay behind. */
let opening: Promise<void> = Promise.resolve();

/** Serves the planned content of each file so `vscode.diff` can compare it with the file on disk. */
export function registerPlanDocuments(context: vscode.ExtensionContext): void {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => planned.get(uri.toString()) ?? '',
  };
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, provider));
}

/** Remembers a planned file and returns the URI its new content is served under. */
export function planDocumentUri(root: vscode.Uri, file: PlannedFile): vscode.Uri {
  const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: vscode.Uri.joinPath(root, file.path).path });
  planned.set(uri.toString(), file.after);
  return uri;
}

/** Opens a diff of a planned file: the file on disk (or nothing, for a new file) against its planned content. */
export async function showPlannedDiff(root: vscode.Uri, file: PlannedFile): Promise<void> {
  const after = planDocumentUri(root, file);
  const onDisk = vscode.Uri.joinPath(root, file.path);
  const before = file.action === 'create' ? vscode.Uri.from({ scheme: PLAN_SCHEME, path: `${onDisk.path}.empty` }) : onDisk;
  const title = `${file.path} (${file.action === 'create' ? 'new file' : file.action === 'delete' ? 'removed' : 'planned change'})`;
  const open = opening.then(async () => {
    await vscode.commands.executeCommand('vscode.diff', before, after, title, { preview: true, preserveFocus: true });
  });
  opening = open.catch(() => undefined);
  await open;
}

/** Closes the plan diffs once the review is over: they show a plan, not the files, and would go stale. */
export async function closePlannedDiffs(): Promise<void> {
  await opening;
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  const planTabs = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PLAN_SCHEME);
  if (planTabs.length) await vscode.window.tabGroups.close(planTabs);
  planned.clear();
}
