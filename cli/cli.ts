import { Command } from 'commander';
import { setProjectFlag } from './analyzeOptions';
import { registerCommands } from './commands';

/** Entry point of `skene` (dist/cli.js). Each command lives in cli/commands/<name>.ts. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('skene')
    .description('Skene for Django: install and run a retention loop in a Django + PostgreSQL project.')
    .version(readVersion())
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

function readVersion(): string {
  // Injected at bundle time would be nicer; reading package.json keeps one source of truth.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`skene: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
