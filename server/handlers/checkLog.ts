import * as path from 'node:path';
import type { ConfigAnalysis } from '../core/workspace/configAnalyses';
import { uriToPath } from './context';

/** "checked skene.config.ts (version 12, project version 3) in 2.1 ms: 1 error, 0 warnings, 2 infos" */
export function describeCheck(analysis: ConfigAnalysis, ms: number): string {
  const count = (severity: string) => analysis.result.issues.filter((issue) => issue.severity === severity).length;
  const file = path.basename(uriToPath(analysis.uri) ?? analysis.uri);
  const version = analysis.version < 0 ? 'saved text' : `version ${analysis.version}`;
  return `checked ${file} (${version}, project version ${analysis.projectVersion}) in ${ms.toFixed(1)} ms: ` +
    `${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos`;
}
