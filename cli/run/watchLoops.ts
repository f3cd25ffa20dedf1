/**
 * `skene run` without --once: runs each loop's current tick at start (the tick claim makes that safe when
 * Celery beat or another runner already ran it), then at every cron tick in the loop's time zone, one run
 * at a time, until SIGINT/SIGTERM. The first signal stops scheduling and lets the run in progress finish
 * (every claimed batch is sent and the summary written); a second one exits at once, leaving any claimed
 * but unsent rows `pending` for the next run to resume with the same idempotency keys.
 */
import { Cron } from 'croner';
import type { LoopManifest, RunSummary } from '../../sdk/runtime';
import type { CommandIo } from './commandIo';

export interface ScheduledJob {
  stop(): void;
  next(): Date | null;
}

/** Calls `fire` with the scheduled time at every tick of `cron` in `timezone`. */
export type Scheduler = (cron: string, timezone: string, fire: (at: Date) => void) => ScheduledJob;

export const cronerScheduler: Scheduler = (cron, timezone, fire) => {
  // legacyMode (the default) ORs day-of-month with day-of-week, as cron and the engine's scheduledTick do.
  const job = new Cron(cron, { timezone, legacyMode: true }, (self: Cron) => fire(self.currentRun() ?? new Date()));
  return { stop: () => job.stop(), next: () => job.nextRun() };
};

export interface WatchOptions {
  scheduler: Scheduler;
  /** Ends the process on a second stop signal (process.exit in the CLI). */
  forceExit: (code: number) => void;
  /** One run of a loop; `now` is the tick's time (never earlier than the scheduled time). */
  runLoop: (loop: LoopManifest, now: Date) => Promise<RunSummary>;
}

export function watchLoops(loops: LoopManifest[], io: CommandIo, options: WatchOptions): Promise<number> {
  let queue: Promise<void> = Promise.resolve();
  let failed = false;
  let stopping = false;
  const enqueue = (loop: LoopManifest, at: Date) => {
    if (stopping) return;
    queue = queue.then(async () => {
      if (stopping) return;
      const summary = await options.runLoop(loop, new Date(Math.max(Date.now(), at.getTime())));
      if (summary.status === 'failed' || summary.status === 'stopped') failed = true;
    }).catch((error: unknown) => {
      failed = true;
      io.stderr(`skene run: ${loop.id}: ${(error as Error).message}\n`);
    }).then(() => announceNext());
  };
  const jobs = loops.map((loop) => ({ loop, job: options.scheduler(loop.cron, loop.timezone, (at) => enqueue(loop, at)) }));
  function announceNext(): void {
    if (stopping) return;
    const upcoming = jobs.flatMap(({ loop, job }) => {
      const at = job.next();
      return at ? [{ loop, at }] : [];
    });
    const next = upcoming.sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    if (next) io.stdout(`Waiting for the next tick: ${next.loop.id} at ${next.at.toISOString()} (Ctrl-C to stop).\n`);
  }
  // The current tick first: a runner started after the cron time still runs today's loop once.
  for (const loop of loops) enqueue(loop, new Date());
  return new Promise((resolve) => {
    const removeHandler = io.onStopSignal((signal) => {
      if (stopping) {
        io.stderr(`skene run: ${signal} again: exiting now; claimed emails stay pending and the next run resumes them.\n`);
        options.forceExit(130);
        return;
      }
      stopping = true;
      for (const { job } of jobs) job.stop();
      io.stderr(`skene run: ${signal}: finishing the run in progress (press Ctrl-C again to exit now).\n`);
      void queue.then(() => {
        removeHandler();
        resolve(failed ? 1 : 0);
      });
    });
  });
}
