/**
 * `skene demo [--keep]`: the README's main job on embedded defaults (cli/demo/runDemo.ts). Exit 0 when the
 * first run emailed the dormant users and the second emailed nobody, 1 otherwise, 2 outside a checkout.
 */
import type { Command } from 'commander';
import { runDemo } from '../demo/runDemo';
import { terminalIo } from '../run/commandIo';
import type { SetExitCode } from './index';

export function registerDemo(program: Command, setExitCode: SetExitCode): void {
  program
    .command('demo')
    .description('run the whole loop on the bundled example with nothing to start (embedded PostgreSQL, log provider)')
    .option('--keep', 'keep the initialized copy of the example (its path is printed)')
    .action(async (flags: { keep?: boolean }) => {
      setExitCode(await runDemo(terminalIo(), { keep: flags.keep }));
    });
}
