import { Command } from 'commander';
import { version } from '../package.json';
import { registerCommands } from './commands';
import { setProjectFlag } from './projectFlag';

/**
 * `skene`'s argument parsing: commander with every command registered (cli/commands/index.ts), each command's
 * module loaded only when it runs. cli/cli.ts is the executable; tests may call main() in-process.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('skene')
    .description('Skene for Django: install and run a retention loop in a Django + PostgreSQL project.')
    .version(version)
    .option('--project <path>', 'the Django project folder to use when several are found (e.g. backend)')
    .exitOverride()
    .showHelpAfterError();
  // One discovery for every command: the flag is read by cliAnalyzeOptions / cliProjectRoot.
  program.hook('preAction', () => setProjectFlag(program.opts<{ project?: string }>().project));
  let exitCode = 0;
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    const err = error as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code?.startsWith('commander.')) return 2;
    process.stderr.write(`skene: ${err.message ?? String(error)}\n`);
    return 2;
  }
  return exitCode;
}
