import type { ProjectModel } from './projectModel';
import { ProjectAnalyzer } from './projectAnalyzer';

export { NoDjangoProjectError, ProjectAnalyzer, type FileChange } from './projectAnalyzer';

/**
 * The analyzer's public entry: reads the Django project at (or below, or above) `dir` from its source,
 * never importing or running it, and returns the ProjectModel. Throws NoDjangoProjectError when none.
 */
export async function analyzeProject(dir: string): Promise<ProjectModel> {
  const analyzer = new ProjectAnalyzer(dir);
  try {
    return await analyzer.analyze();
  } finally {
    analyzer.dispose();
  }
}
