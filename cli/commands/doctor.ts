/**
 * `skene doctor [dir]`: is this deployment ready to run the loop? One line per check (✓/✗, or [ok]/[FAIL]
 * when the terminal is not UTF-8) and, for each miss, how to fix it: the config is valid, loops.json is
 * current, DATABASE_URL reaches PostgreSQL 12+, Skene's migrations ran, the beat schedule is registered,
 * Resend accepts RESEND_API_KEY (read-only GET /domains) and the sender domain is verified.
 * Exit 0 when every check passes (skipped ones aside), 1 otherwise.
 */
import { cliProjectRoot } from '../analyzeOptions';
import type { ManifestLoop } from '../../sdk/manifest';
import { CommandProblem, type CommandIo } from '../run/commandIo';
import { beatCheck } from '../run/doctor/beatCheck';
import { databaseCheck, tablesCheck } from '../run/doctor/databaseChecks';
import { formatCheck, type CheckResult } from '../run/doctor/doctorCheck';
import { configCheck, manifestCheck } from '../run/doctor/projectChecks';
import { resendKeyCheck, senderDomainCheck } from '../run/doctor/resendChecks';
import { readProjectForChecks, type LoopProject } from '../run/readLoopProject';
import { providerNameFor } from '../run/runEnvironment';

/** The project by the shared discovery (several projects and no --project: the config check says so). */
async function readProject(dir: string, env: NodeJS.ProcessEnv): Promise<{ loopProject: LoopProject | null; problem: string | null }> {
  try {
    return await readProjectForChecks(cliProjectRoot(dir, env));
  } catch (error) {
    if (!(error instanceof CommandProblem)) throw error;
    return { loopProject: null, problem: error.message };
  }
}

function loopsOf(loopProject: LoopProject | null): ManifestLoop[] {
  return (loopProject?.loops ?? []).flatMap((loop) => (loop.manifest ? [loop.manifest] : []));
}

export async function runDoctor(dir: string, io: CommandIo): Promise<number> {
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    io.stdout(formatCheck(result, io.unicode));
  };
  const { loopProject, problem } = await readProject(dir, io.env);
  const loops = loopsOf(loopProject);
  report(configCheck(loopProject, problem, dir));
  report(manifestCheck(loopProject));
  const database = await databaseCheck(io.env);
  report(database.result);
  try {
    report(await tablesCheck(database.client, loopProject?.generated?.project ?? null));
    report(await beatCheck(database.client, loopProject?.project ?? null, loops.map((loop) => loop.id)));
  } finally {
    await database.client?.end();
  }
  const steps = loops.flatMap((loop) => loop.steps);
  const usesResend = steps.some((step) => providerNameFor(io.env, step.provider) === 'resend');
  const key = await resendKeyCheck(io.env, usesResend);
  report(key.result);
  const fallbackFrom = io.env.DEFAULT_FROM_EMAIL || loopProject?.project?.email.defaultFromEmail || null;
  const senders = [...new Set(steps.map((step) => step.from ?? fallbackFrom).filter((from): from is string => Boolean(from)))];
  if (usesResend) report(senderDomainCheck(key.domains, senders));
  const failed = results.filter((r) => r.status === 'fail').length;
  io.stdout(failed ? `\n${failed} of ${results.length} checks failed.\n` : `\nAll ${results.filter((r) => r.status === 'pass').length} checks passed.\n`);
  return failed ? 1 : 0;
}
