/**
 * The only impure part of the generators: writes a FilePlan to disk. Each file is written to a temporary
 * file beside it and renamed over the target, so a crash never leaves a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentFoldersDeepestFirst } from './paths/parentFolders';
import { STATE_FILE, contentHash, serializeState } from './state/initState';
import type { InitPlan, PlannedFile } from './types';

export interface ApplyOptions {
  /** Replace files the user edited since the last init (the `conflict` ones): --yes or explicit consent. */
  overwriteConflicts: boolean;
}

export interface ApplyResult {
  written: string[];
  skippedConflicts: string[];
  removed: string[];
}

export function writeFileAtomic(file: string, contents: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, contents, 'utf8');
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function shouldWrite(file: PlannedFile, options: ApplyOptions): boolean {
  if (file.path === STATE_FILE) return false;
  return file.action === 'create' || file.action === 'modify' || (file.action === 'conflict' && options.overwriteConflicts);
}

export function applyPlan(plan: InitPlan, options: ApplyOptions): ApplyResult {
  const result: ApplyResult = { written: [], skippedConflicts: [], removed: [] };
  const state = { ...plan.state, files: { ...plan.state.files } };
  for (const file of plan.files) {
    if (file.path === STATE_FILE) continue;
    if (file.action === 'conflict' && !options.overwriteConflicts) {
      result.skippedConflicts.push(file.path);
      continue;
    }
    if (file.action === 'delete') {
      // Only an older Skene's own file, unchanged since it wrote it (generators/upgrade/oldLayout.ts).
      rmSync(path.join(plan.root, file.path), { force: true });
      result.removed.push(file.path);
      delete state.files[file.path];
      continue;
    }
    if (!shouldWrite(file, options)) continue;
    writeFileAtomic(path.join(plan.root, file.path), file.after);
    result.written.push(file.path);
    if (file.tracked) state.files[file.path] = contentHash(file.after);
  }
  removeEmptiedFolders(plan.root, result.removed);
  // The state goes last: if anything above failed, the next run still compares against the old record.
  const stateText = serializeState(state);
  const planned = plan.files.find((f) => f.path === STATE_FILE);
  if (planned?.before !== stateText) {
    writeFileAtomic(path.join(plan.root, STATE_FILE), stateText);
    result.written.push(STATE_FILE);
  }
  return result;
}

/** Folders the removed files leave empty (skene/sdk/runtime/ ...); one still holding anything stays. */
function removeEmptiedFolders(root: string, removed: readonly string[]): void {
  for (const folder of parentFoldersDeepestFirst(removed)) {
    const absolute = path.join(root, folder);
    try {
      if (readdirSync(absolute).length === 0) rmdirSync(absolute);
    } catch {
      // Already gone, or unreadable: nothing of ours to tidy.
    }
  }
}
