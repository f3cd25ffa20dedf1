import type { Command } from 'commander';
import type { SetExitCode } from './index';

/** A placeholder command that is honest about not existing yet (it names the issue that builds it). */
export function notYetBuilt(
  program: Command,
  setExitCode: SetExitCode,
  usage: string,
  description: string,
  issue: number,
  flags: string[],
): void {
  const command = program.command(usage).description(`${description} (not built yet: issue #${issue})`);
  for (const flag of flags) command.option(flag);
  command.action(() => {
    const name = usage.split(' ')[0];
    process.stderr.write(`skene ${name}: not built yet — issue #${issue} brings it.\n`);
    setExitCode(2);
  });
}
