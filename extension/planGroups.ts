import * as path from 'node:path';
import { CONFIG_FILE_NAME, type PlannedFile } from '../server/protocol';
import { describePlan } from './planSummary';

/**
 * Where Initialize vendors @skene/sdk (generators/node/runnerFiles.ts SDK_DIR; a unit test keeps the two equal:
 * importing the generator here would bundle its templates into the extension).
 */
export const VENDORED_SDK_DIR = 'skene/sdk';

export interface PlanGroups {
  /** The files of the user's project: skene.config.ts first, then by path. */
  own: PlannedFile[];
  /** The vendored SDK's files: reviewed (and ticked or unticked) as one row. */
  vendored: PlannedFile[];
  /** An older Skene's vendored files that the plan removes: one row too. */
  removed: PlannedFile[];
}

/** Splits the files of a plan into the project's own files, the vendored SDK and the old files it removes. */
export function groupPlannedFiles(files: readonly PlannedFile[]): PlanGroups {
  const removed = files.filter((file) => file.action === 'delete');
  const vendored = files.filter((file) => file.action !== 'delete' && file.path.startsWith(`${VENDORED_SDK_DIR}/`));
  const own = files.filter((file) => !vendored.includes(file) && !removed.includes(file));
  const rank = (file: PlannedFile): number => (file.path === CONFIG_FILE_NAME ? 0 : 1);
  own.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  return { own, vendored, removed };
}

/** "skene/sdk/ — vendored @skene/sdk: 14 new files" (the one row that stands for every SDK file). */
export function vendoredRowLabel(vendored: readonly PlannedFile[]): string {
  return `${VENDORED_SDK_DIR}/ — vendored @skene/sdk: ${describePlan(vendored)}`;
}

/** "skene/sdk/ — an older Skene's vendored sources: 48 files to remove" (the one row for every removal). */
export function removedRowLabel(removed: readonly PlannedFile[]): string {
  return `${VENDORED_SDK_DIR}/ — an older Skene's vendored sources: ${removed.length} ${removed.length === 1 ? 'file' : 'files'} to remove`;
}

/**
 * The project folder as the review names it: relative to the workspace folder holding it ("backend"), the
 * absolute path when no workspace folder holds it, and null when it is a workspace folder itself (nothing to
 * tell apart). In a monorepo this says which project Initialize writes into.
 */
export function targetFolderLabel(workspaceFolders: readonly string[], root: string): string | null {
  for (const folder of workspaceFolders) {
    const rel = path.relative(folder, root);
    if (rel === '') return null;
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return root;
}
