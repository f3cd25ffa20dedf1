import { chooseProject } from './discoverProjects';

export interface ProjectRoot {
  /** Absolute folder holding manage.py (the folder Django puts first on sys.path). */
  root: string;
  managePy: string | null;
}

/**
 * The Django project for `dir` by the shared discovery (discoverProjects.ts), or null when there is none or
 * several and `projectPath` does not choose (chooseProject says which, for messages).
 */
export function findProjectRoot(dir: string, projectPath?: string | null): ProjectRoot | null {
  const choice = chooseProject(dir, projectPath);
  return choice.ok ? { root: choice.project.root, managePy: choice.project.managePy } : null;
}
