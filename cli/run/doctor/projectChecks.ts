/** Checks on the project's files: the config is valid and loops.json (what the Celery task runs) is current. */
import * as path from 'node:path';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
import { conditionProblems, verifySeal } from '../../../sdk/runtime/conditionSeal';
import type { PlannedLoop } from '../../../sdk/runtimeManifest';
import { CONFIG_FILE, configErrors, type LoopProject } from '../readLoopProject';
import { fail, pass, type CheckResult } from './doctorCheck';

const CONFIG = 'Config';
const MANIFEST = 'Loop manifest';

/**
 * The config as `skene check` names it, from the folder the command was given (its working folder): `backend/skene.config.ts` from a
 * monorepo root, so the user sees which project was checked.
 */
function configName(loopProject: LoopProject, from: string): string {
  return path.relative(path.resolve(from), path.join(loopProject.root, CONFIG_FILE)) || CONFIG_FILE;
}

export function configCheck(loopProject: LoopProject | null, problem: string | null, from: string = process.cwd()): CheckResult {
  if (!loopProject) return fail(CONFIG, problem ?? `no ${CONFIG_FILE}`, 'npx skene-django init (creates skene.config.ts and the files it needs)');
  const errors = configErrors(loopProject);
  if (errors.length) {
    const first = errors[0];
    const where = first ? ` (line ${first.range.start.line + 1}: ${first.message})` : '';
    return fail(CONFIG, `${configName(loopProject, from)} has ${errors.length} error(s)${where}`, 'npx skene-django check (lists every problem with its location; quick fixes in the editor)');
  }
  const ids = loopProject.loops.map((loop) => loop.id ?? `#${loop.index + 1}`);
  return pass(CONFIG, `${configName(loopProject, from)} is valid (loop${ids.length === 1 ? '' : 's'} ${ids.join(', ')})`);
}

/** The same checks `skene run` and the Celery task make on a loop's condition: its seal, then the SQL gate. */
function unsafeCondition(loops: PlannedLoop[]): string | null {
  for (const loop of loops) {
    const unsealed = verifySeal(loop.audience.query, loop.audience.sha256);
    if (unsealed) return `loop ${loop.id}: ${unsealed}`;
    const problem = conditionProblems(loop.audience.query)[0];
    if (problem) return `loop ${loop.id}: condition refused (${problem.code}): ${problem.message}`;
  }
  return null;
}

export function manifestCheck(loopProject: LoopProject | null): CheckResult {
  if (!loopProject) return fail(MANIFEST, `no ${GENERATED_MANIFEST_FILE} to check without a config`, 'npx skene-django init');
  if (!loopProject.generated) return fail(MANIFEST, `${GENERATED_MANIFEST_FILE} is missing or unreadable; the Celery task cannot run the loop`, 'npx skene-django init (regenerates it from skene.config.ts)');
  const unsafe = unsafeCondition(loopProject.generated.loops);
  if (unsafe) return fail(MANIFEST, `${GENERATED_MANIFEST_FILE}: ${unsafe}; both runtimes refuse to run it`, 'npx skene-django init (rewrites the sealed condition from skene.config.ts)');
  const stale = loopProject.issues.find((issue) => issue.code === 'manifest-stale');
  if (stale) return fail(MANIFEST, stale.message, 'npx skene-django init (then deploy the updated file with your Django code)');
  return pass(MANIFEST, `${GENERATED_MANIFEST_FILE} matches ${CONFIG_FILE}`);
}
