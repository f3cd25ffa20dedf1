/** The user table facts `skene init` wrote into skene_retention/loops.json, which the report query joins on. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
import type { UserTableFacts } from '../../../sdk/runtimeManifest';

export class ReportProblem extends Error {}

export function readReportFacts(root: string): UserTableFacts {
  const file = path.join(root, GENERATED_MANIFEST_FILE);
  if (!existsSync(file)) throw new ReportProblem(`${GENERATED_MANIFEST_FILE} missing (run skene init)`);
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { project?: UserTableFacts };
    if (value?.project && typeof value.project.userTable === 'string') return value.project;
  } catch {
    // Falls through to the same problem as a file without facts.
  }
  throw new ReportProblem(`${GENERATED_MANIFEST_FILE} unreadable (run skene init)`);
}
