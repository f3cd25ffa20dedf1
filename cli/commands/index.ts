/**
 * Every `skene` command's arguments, options and help, and the module that runs it. This file is all that
 * `skene --help` loads: each command's module (with the analyzer, the config checker, the generators or the
 * runtime behind it) is imported only when that command runs, which keeps a cold start small
 * (bench/cliStart.ts). So this file imports nothing heavier than commander's types.
 */
import type { Command } from 'commander';
import { terminalIo } from '../run/commandIo';
import { RUN_ENVIRONMENT_HELP } from '../run/runEnvironmentHelp';
import { useShortRunWasmFlags } from '../startup/shortRunWasmFlags';

/** Sets the process exit code from a command (commander actions cannot return one). */
export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  program
    .command('analyze [dir]')
    .description('print the ProjectModel of a Django project')
    .option('--json', 'print the ProjectModel as JSON')
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      useShortRunWasmFlags();
      const { runAnalyze } = await import('./analyze');
      setExitCode(await runAnalyze(dir ?? '.', options.json === true));
    });

  program
    .command('check [dir]')
    .description('check skene.config.ts against the project')
    .option('--format <format>', 'text or json', 'text')
    .action(async (dir: string | undefined, options: { format: string }) => {
      useShortRunWasmFlags();
      const { runCheck } = await import('./check');
      setExitCode(await runCheck(dir ?? '.', options.format));
    });

  program
    .command('init [dir]')
    .description('plan and write the retention loop files')
    .option('--dry-run', 'print the plan (each file and its diff) and write nothing')
    .option('--yes', 'apply without asking, replacing files edited since the last init')
    .option('--json', 'print the plan as JSON')
    .option('--scheduler <kind>', 'auto (Celery beat only where the project uses Celery, else `manage.py skene_run` for its scheduler), celery (add Celery if missing), or command', 'auto')
    .option('--agents', 'also write instructions for coding agents: a marked Skene section in AGENTS.md and .cursor/rules/skene.mdc')
    .option('--activity <source>', 'what feeds last activity: auto (a table with evidence, else the middleware), middleware (and the login signal; no table), or a candidate table as APP_LABEL.Model or its table name (the plan lists them); a re-run keeps the pick')
    .action(async (dir: string | undefined, flags: { dryRun?: boolean; yes?: boolean; json?: boolean; scheduler?: string; agents?: boolean; activity?: string }) => {
      useShortRunWasmFlags();
      const { runInit, terminalInitIo } = await import('./init');
      setExitCode(await runInit(dir ?? '.', flags, terminalInitIo()));
    });

  program
    .command('run [dir]')
    .description('run the loops of skene.config.ts with the TypeScript runner')
    .option('--once', 'run the current tick once and exit (default: keep running at every cron tick)')
    .option('--dry-run', 'list the candidates and what a run would do; write nothing, send nothing')
    .addHelpText('after', RUN_ENVIRONMENT_HELP)
    .action(async (dir: string | undefined, flags: { once?: boolean; dryRun?: boolean }) => {
      const { runRun } = await import('./run');
      setExitCode(await runRun(dir ?? '.', flags, terminalIo()));
    });

  program
    .command('report [dir]')
    .description('show sent / held out / re-engaged / lift over the holdout per loop and step, and what to change')
    .option('--json', 'print the report as JSON (with each loop\'s history: days, lift over time, skips, exits)')
    .option('--html <file>', 'write the report view (charts and tables) as one self-contained HTML file')
    .addHelpText('after', '\nEnvironment: DATABASE_URL (PostgreSQL URL of the Django database; the report only reads).\n')
    .action(async (dir: string | undefined, flags: { json?: boolean; html?: string }) => {
      const { runReport } = await import('./report');
      setExitCode(await runReport(dir ?? '.', flags, terminalIo()));
    });

  program
    .command('send-test [dir]')
    .description('send one loop email, marked as a test, to your own address (outside the ledger: no user counted, no cap used)')
    .requiredOption('--to <address>', 'recipient; must be in SKENE_TEST_RECIPIENTS (default: git config user.email)')
    .option('--loop <id>', 'loop id (default: the first loop)')
    .option('--step <n>', 'step number, 1-based (default: 1)')
    .option('--user <id>', 'render for this user, read from DATABASE_URL (default: a sample user from the user model)')
    .addHelpText('after', "\nEnvironment: SKENE_TEST_RECIPIENTS (comma-separated allowlist), the provider's variables as for `skene run` (RESEND_API_KEY, SMTP_URL, SKENE_EMAIL_PROVIDER, DEFAULT_FROM_EMAIL, SKENE_UNSUBSCRIBE_URL), DATABASE_URL with --user.\nExit codes: 0 sent, 1 the provider refused (or the user/config cannot be read), 2 usage (address not allowed, missing variable).\n")
    .action(async (dir: string | undefined, flags: { to?: string; loop?: string; step?: string; user?: string }) => {
      const { runSendTest } = await import('./sendTest');
      setExitCode(await runSendTest(dir ?? '.', flags, terminalIo()));
    });

  program
    .command('doctor [dir]')
    .description('check that a deployment is ready to run the loop, and say how to fix each miss')
    .addHelpText('after', '\nReads DATABASE_URL, RESEND_API_KEY, RESEND_BASE_URL, SKENE_EMAIL_PROVIDER and DEFAULT_FROM_EMAIL.\nExit codes: 0 every check passed, 1 at least one failed.\n')
    .action(async (dir: string | undefined) => {
      const { runDoctor } = await import('./doctor');
      setExitCode(await runDoctor(dir ?? '.', terminalIo()));
    });

  program
    .command('demo')
    .description('run the whole loop on the bundled example with nothing to start (embedded PostgreSQL, log provider)')
    .option('--keep', 'keep the initialized copy of the example (its path is printed)')
    .action(async (flags: { keep?: boolean }) => {
      const { runDemo } = await import('../demo/runDemo');
      setExitCode(await runDemo(terminalIo(), { keep: flags.keep }));
    });
}
