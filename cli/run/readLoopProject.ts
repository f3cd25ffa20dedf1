/**
 * Reads a project the way `skene check` does, without executing anything: skene.config.ts statically
 * (checkConfig's value tree → the zod-parsed loop), the Django project with the analyzer, and the facts
 * `skene init` generated (skene_retention/loops.json). `skene run`, `skene doctor` and `skene demo` share it.
 */
import { cliAnalyzeOptions } from '../analyzeOptions';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import type { GeneratedManifest } from '../../sdk/runtimeManifest';
import { checkConfig, type ParsedLoop } from '../../server/core/config/checkConfig';
import { formatIssuesText } from '../../server/core/config/formatIssues';
import { gatherCheckOptions } from '../../server/core/config/gatherCheckOptions';
import type { Issue } from '../../server/core/config/issue';
import { loadSqlParser } from '../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { CommandProblem } from './commandIo';

export const CONFIG_FILE = 'skene.config.ts';

export interface LoopProject {
  root: string;
  /** null when the folder is not a Django project the analyzer can read. */
  project: ProjectModel | null;
  projectError: string | null;
  configText: string;
  issues: Issue[];
  loops: ParsedLoop[];
  /** skene_retention/loops.json, or null when missing or unreadable. */
  generated: GeneratedManifest | null;
}

export async function readLoopProject(root: string): Promise<LoopProject> {
  const configPath = path.join(root, CONFIG_FILE);
  if (!existsSync(configPath)) throw new CommandProblem(`no ${CONFIG_FILE} in ${root}. Run \`npx skene-django init\` to create one.`, 2);
  const configText = readFileSync(configPath, 'utf8');
  const [analysis] = await Promise.all([analyze(root), loadSqlParser()]);
  const { issues, loops } = checkConfig(configText, analysis.project, gatherCheckOptions(root, analysis.project));
  return { root, project: analysis.project, projectError: analysis.error, configText, issues, loops, generated: readGeneratedManifest(root) };
}

/** The project for checks that report a missing or unreadable config as one of their results (doctor, run). */
export async function readProjectForChecks(root: string): Promise<{ loopProject: LoopProject | null; problem: string | null }> {
  try {
    return { loopProject: await readLoopProject(root), problem: null };
  } catch (error) {
    if (!(error instanceof CommandProblem)) throw error;
    return { loopProject: null, problem: error.message };
  }
}

async function analyze(root: string): Promise<{ project: ProjectModel | null; error: string | null }> {
  try {
    return { project: await analyzeProject(root, cliAnalyzeOptions()), error: null };
  } catch (error) {
    return { project: null, error: (error as Error).message };
  }
}

export function readGeneratedManifest(root: string): GeneratedManifest | null {
  const file = path.join(root, GENERATED_MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as GeneratedManifest;
    return value && typeof value === 'object' && value.project && Array.isArray(value.loops) ? value : null;
  } catch {
    return null;
  }
}

export function configErrors(loopProject: LoopProject): Issue[] {
  return loopProject.issues.filter((issue) => issue.severity === 'error');
}

/** The checker's report, exactly as `skene check` prints it (file:line:col, source line, caret). */
export function formatConfigIssues(loopProject: LoopProject, cwd: string = process.cwd()): string {
  const file = path.relative(cwd, path.join(loopProject.root, CONFIG_FILE)) || CONFIG_FILE;
  return formatIssuesText(loopProject.issues, file, loopProject.configText);
}
