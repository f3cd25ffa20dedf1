/**
 * Initialize for the editor: runs the generators (pure: ProjectModel + options + file reader -> plan) on a
 * project the server already analyzed, and lists the writes the plan implies: created and modified files,
 * the generators' state file among them, and the removals (an older Skene's vendored files, unchanged since).
 * Conflicts are never written from the editor (the user edited those files; `skene init --yes` is the explicit
 * way to replace them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InitOptions, InitPlan, PlannedFile, ReadFile } from '../../../generators/types';
import type { ActivitySources } from '../../protocol';
import type { ProjectModel } from '../django/projectModel';
import { activitySources } from './activitySources';
import type { ProjectState } from './projectState';

export type InitPlanner = (project: ProjectModel, options: InitOptions, readFile: ReadFile) => InitPlan | Promise<InitPlan>;

export interface PlannedWrite {
  path: string;
  before: string | null;
  after: string;
  reason: string;
}

export interface PlannedRemoval {
  path: string;
  reason: string;
}

export interface EditorPlan {
  root: string;
  files: PlannedFile[];
  writes: PlannedWrite[];
  removals: PlannedRemoval[];
  notes: InitPlan['notes'];
  error?: string;
  /** The activity choice (candidates with reasons, what the plan uses), when something was planned. */
  activity?: ActivitySources;
}

export async function planInitialize(state: ProjectState, options: InitOptions, planner: InitPlanner): Promise<EditorPlan> {
  const project = state.model;
  if (!project) return { root: state.root, files: [], writes: [], removals: [], notes: [], error: `No Django project found in ${state.dir} (no manage.py).` };
  const readFile = projectReader(project.root);
  const plan = await planner(project, options, readFile);
  const writes: PlannedWrite[] = plan.files
    .filter((file) => file.action === 'create' || file.action === 'modify')
    .map((file) => ({ path: file.path, before: file.before, after: file.after, reason: file.reason }));
  const removals = plan.files.filter((file) => file.action === 'delete').map((file) => ({ path: file.path, reason: file.reason }));
  return { root: plan.root, files: plan.files, writes, removals, notes: plan.notes, ...(plan.activity ? { activity: activitySources(project.activity, plan.activity) } : {}) };
}

/** Reads project files by relative path; null when missing (the generators' ReadFile contract). */
export function projectReader(root: string): ReadFile {
  return (relative) => {
    try {
      return fs.readFileSync(path.join(root, relative), 'utf8');
    } catch {
      return null;
    }
  };
}
