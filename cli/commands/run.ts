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
import { configErrors, formatConfigIssues, readLoopProject } from '../run/readLoopProject';
import { createProvider, readRunEnvironment, requireDatabaseUrl, type RunEnvironment } from '../run/runEnvironment';
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
  // The variable first: it is the usual first-run mistake and needs no analysis to report.
  requireDatabaseUrl(io.env);
  const loopProject = await readLoopProject(root);
  const errors = configErrors(loopProject);
  if (errors.length) {
    io.stderr(formatConfigIssues(loopProject));
    throw new CommandProblem(`skene.config.ts has ${errors.length} error(s); fix them (npx skene check) before running.`, 1);
  }
  const configuredProvider = staticLoops(loopProject)[0]?.steps[0]?.provider;
  const environment = readRunEnvironment(io.env, configuredProvider, loopProject.project, flags.dryRun === true);
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
