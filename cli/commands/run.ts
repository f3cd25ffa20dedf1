/**
 * `skene run [dir] [--once] [--dry-run]`: the TypeScript runner. Reads skene.config.ts statically (never
 * executes it), refuses to run while the checker reports errors, builds each loop's runtime manifest from
 * the config + loops.json facts + the email templates, and runs it with the sdk engine against DATABASE_URL.
 * --once: the current tick once. Without it: the current tick, then every cron tick until SIGINT/SIGTERM.
 * --dry-run: lists the candidates and the counts a run would have; writes nothing, calls no provider.
 * Exit 0 ok, 1 a run failed (or config errors), 2 usage (missing variable, no config).
 */
import { cliProjectRoot } from '../analyzeOptions';
import { runLoopOnce, type LoopManifest, type RunSummary } from '../../sdk/runtime';
import { buildRuntimeLoops, staticLoops } from '../run/buildRuntimeLoops';
import { connectListingCandidates } from '../run/candidateListing';
import { CommandProblem, type CommandIo } from '../run/commandIo';
import { formatSummary, runsExitCode } from '../run/formatSummary';
import { createProgress, reportingProvider, type Progress } from '../run/progress';
import { formatCheck, type CheckResult } from '../run/doctor/doctorCheck';
import { configCheck, manifestCheck } from '../run/doctor/projectChecks';
import { settingsChecks } from '../run/doctor/settingsChecks';
import { configErrors, formatConfigIssues, readProjectForChecks, type LoopProject } from '../run/readLoopProject';
import { createProvider, readRunEnvironment, type RunEnvironment } from '../run/runEnvironment';
import { cronerScheduler, watchLoops, type Scheduler } from '../run/watchLoops';

export interface RunFlags {
  once?: boolean;
  dryRun?: boolean;
}

export interface RunDeps {
  scheduler?: Scheduler;
  forceExit?: (code: number) => void;
}

export async function runRun(dir: string, flags: RunFlags, io: CommandIo, deps: RunDeps = {}): Promise<number> {
  try {
    return await runChecked(cliProjectRoot(dir, io.env), flags, io, deps);
  } catch (error) {
    if (!(error instanceof CommandProblem)) throw error;
    io.stderr(`skene run: ${error.message}\n`);
    return error.exitCode;
  }
}

async function runChecked(root: string, flags: RunFlags, io: CommandIo, deps: RunDeps): Promise<number> {
  const loopProject = await preflight(root, flags, io);
  const configuredProvider = staticLoops(loopProject)[0]?.steps[0]?.provider;
  const environment = readRunEnvironment(io.env, configuredProvider, loopProject.project);
  const loops = buildRuntimeLoops(loopProject, { defaultFrom: environment.defaultFrom, unsubscribeUrl: environment.unsubscribeUrl });
  const progress = createProgress(io);
  const runLoop = (loop: LoopManifest, now: Date) => runOneLoop(loop, environment, flags, io, progress, now);
  if (flags.once || flags.dryRun) {
    let code = 0;
    for (const loop of loops) {
      try {
        code = Math.max(code, runsExitCode([await runLoop(loop, new Date())]));
      } catch (error) {
        // Not a run-level verdict (those come back as a summary): the database could not be reached or read.
        io.stderr(`skene run: ${loop.id}: ${(error as Error).message}\n`);
        code = 1;
      }
    }
    return code;
  }
  return watchLoops(loops, io, { scheduler: deps.scheduler ?? cronerScheduler, forceExit: deps.forceExit ?? ((code) => process.exit(code)), runLoop });
}

/**
 * Everything that must be right before a run, reported together in the order a user fixes them (the config,
 * loops.json, then each setting), with doctor's checks and format. Exit 2 when a setting or the config file is
 * missing, 1 when the config has errors.
 */
async function preflight(root: string, flags: RunFlags, io: CommandIo): Promise<LoopProject> {
  const { loopProject, problem } = await readProjectForChecks(root);
  const loops = (loopProject?.loops ?? []).flatMap((loop) => (loop.manifest ? [loop.manifest] : []));
  const results: CheckResult[] = [configCheck(loopProject, problem, root)];
  if (loopProject && !loopProject.generated) results.push(manifestCheck(loopProject));
  results.push(...settingsChecks({ env: io.env, loops, project: loopProject?.project ?? null, dryRun: flags.dryRun === true }));
  const failed = results.filter((result) => result.status === 'fail');
  if (loopProject && !failed.length) return loopProject;
  if (loopProject && configErrors(loopProject).length) io.stderr(formatConfigIssues(loopProject));
  const lines = failed.map((result) => formatCheck(result, io.unicode)).join('');
  const usage = !loopProject || failed.some((result) => result.name !== 'Config');
  throw new CommandProblem(`not started: ${failed.length} thing${failed.length === 1 ? '' : 's'} to fix first (\`skene doctor\` checks these and the database, Resend and beat):\n${lines.trimEnd()}`, usage ? 2 : 1);
}

async function runOneLoop(loop: LoopManifest, environment: RunEnvironment, flags: RunFlags, io: CommandIo, progress: Progress, now: Date): Promise<RunSummary> {
  const provider = reportingProvider(createProvider(environment, (line) => progress.line(line)), progress);
  const base = { databaseUrl: environment.databaseUrl, provider, secret: environment.secret, now, log: (line: string) => progress.line(line) };
  if (flags.dryRun) {
    io.stdout(`${loop.id}: candidates (users the audience query returns):\n`);
    const connect = () => connectListingCandidates(environment.databaseUrl, (c) => io.stdout(`  ${c.userId}\t${c.email ?? '(no email)'}\n`));
    const summary = await runLoopOnce(loop, { ...base, connect, dryRun: true });
    io.stdout(formatSummary(summary));
    return summary;
  }
  progress.begin(loop.id, io.isTTY ? await expectedSends(loop, base) : null);
  let summary: RunSummary;
  try {
    summary = await runLoopOnce(loop, base);
  } finally {
    progress.end();
  }
  io.stdout(formatSummary(summary));
  return summary;
}

/**
 * The bar's total on a terminal: a dry run first (read-only, no provider) says how many emails this tick
 * would claim. It reads the audience once more, which is why plain output skips it.
 */
async function expectedSends(loop: LoopManifest, base: Parameters<typeof runLoopOnce>[1]): Promise<number | null> {
  const dry = await runLoopOnce(loop, { ...base, dryRun: true, log: () => undefined });
  return dry.status === 'dry_run' ? dry.claimed : null;
}
