import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeOptions } from '../server/core/django/analyzeProject';
import { chooseProject, cdPrefix } from '../server/core/django/discoverProjects';
import { getProjectFlag } from './projectFlag';
import { CommandProblem } from './run/commandIo';

/** The global `--project PATH` flag, or SKENE_PROJECT. */
function projectPath(env: NodeJS.ProcessEnv): string | null {
  return getProjectFlag() ?? (env.SKENE_PROJECT?.trim() || null);
}

/**
 * The CLI reads the settings module Django itself would use: `manage.py` only sets DJANGO_SETTINGS_MODULE
 * when the environment does not (os.environ.setdefault), so a value in the environment wins there too.
 * The project is the one `--project` names, else the one the shared discovery picks from the folder.
 */
export function cliAnalyzeOptions(env: NodeJS.ProcessEnv = process.env): AnalyzeOptions {
  const module = env.DJANGO_SETTINGS_MODULE?.trim();
  return { settingsModule: module ? module : null, projectPath: projectPath(env) };
}

/**
 * The project folder check, run, report and doctor work in, by the same discovery as analyze and init: the
 * folder itself when it holds skene.config.ts (and no --project says otherwise), else the Django project found
 * from it (below it in a monorepo, or above it). Throws CommandProblem (exit 2) listing projects when several.
 */
export function cliProjectRoot(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  const start = path.resolve(dir);
  const wanted = projectPath(env);
  if (!wanted && existsSync(path.join(start, 'skene.config.ts'))) return start;
  const choice = chooseProject(start, wanted);
  if (choice.ok) return choice.project.root;
  if (choice.reason === 'none') return start; // commands then say what is missing in this folder
  throw new CommandProblem(choice.message, 2);
}

/** "cd backend && " when the project is not the current folder: "Next:" lines say where to run Django commands. */
export function cdToProject(root: string, cwd: string = process.cwd()): string {
  return cdPrefix(cwd, root);
}
