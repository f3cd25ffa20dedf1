/**
 * `skene check [dir] [--format text|json]`: diagnostics for skene.config.ts against the Django project.
 * Exit 0 when there is no error, 1 when there are errors, 2 on usage or internal failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeProject } from '../../server/core/django/analyzeProject';
import { cliAnalyzeOptions, cliProjectRoot } from '../analyzeOptions';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { checkConfig } from '../../server/core/config/checkConfig';
import { formatIssuesJson, formatIssuesText } from '../../server/core/config/formatIssues';
import { gatherCheckOptions } from '../../server/core/config/gatherCheckOptions';
import { loadSqlParser } from '../../server/core/config/sql/sqlParser';

export const CONFIG_FILE = 'skene.config.ts';

export async function runCheck(dir: string, format: string): Promise<number> {
  if (format !== 'text' && format !== 'json') {
    process.stderr.write(`skene check: --format must be text or json, not '${format}'.\n`);
    return 2;
  }
  let root: string;
  try {
    root = cliProjectRoot(dir);
  } catch (error) {
    process.stderr.write(`skene check: ${(error as Error).message}\n`);
    return 2;
  }
  const configPath = path.join(root, CONFIG_FILE);
  if (!existsSync(configPath)) {
    process.stderr.write(`skene check: no ${CONFIG_FILE} in ${root}. Run \`skene init\` to create one.\n`);
    return 2;
  }
  const text = readFileSync(configPath, 'utf8');
  const [project] = await Promise.all([readProject(root), loadSqlParser()]);
  const { issues } = checkConfig(text, project, gatherCheckOptions(root, project));
  const file = path.relative(process.cwd(), configPath) || CONFIG_FILE;
  process.stdout.write(format === 'json' ? formatIssuesJson(issues, file) : formatIssuesText(issues, file, text));
  // A config checked against a project that could not be read (no analysis, or Python files with syntax
  // errors whose facts are guesses) is not a pass.
  const broken = project ? project.unresolved.filter((u) => u.message.startsWith('syntax error')) : [];
  for (const fact of broken) process.stderr.write(`skene check: ${fact.file}:${fact.line}: ${fact.message}; the project could not be read as it is.\n`);
  if (!project || broken.length) return 1;
  return issues.some((issue) => issue.severity === 'error') ? 1 : 0;
}

/** The ProjectModel, or null (with a note) when the folder is not a readable Django project. */
async function readProject(root: string): Promise<ProjectModel | null> {
  try {
    return await analyzeProject(root, cliAnalyzeOptions());
  } catch (error) {
    process.stderr.write(`skene check: could not analyze the Django project (${(error as Error).message}); checking the config without it.\n`);
    return null;
  }
}
