import type { ProjectModel } from './projectModel';
import { ProjectAnalyzer, type AnalyzeOptions } from './projectAnalyzer';

export { NoDjangoProjectError, ProjectAnalyzer, type AnalyzeOptions, type FileChange } from './projectAnalyzer';

/**
 * The analyzer's public entry: reads the Django project at (or below, or above) `dir` from its source,
 * never importing or running it, and returns the ProjectModel. Throws NoDjangoProjectError when none.
 */
export async function analyzeProject(dir: string, options: AnalyzeOptions = {}): Promise<ProjectModel> {
  const analyzer = new ProjectAnalyzer(dir, options);
  try {
    return await analyzer.analyze();
  } finally {
    analyzer.dispose();
  }
}
