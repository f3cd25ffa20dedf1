/**
 * `skene report [dir] [--json] [--html FILE]`: per loop and step, emails sent, held out, re-engaged, rate, lift over the
 * holdout with a 95 % interval, and the config changes the numbers call for. Reads the ledger through
 * DATABASE_URL (read-only) and the loops from skene.config.ts + loops.json, never executing the config.
 * Exit 0 ok, 1 config or database failure, 2 usage (no DATABASE_URL, no config).
 */
import path from 'node:path';
import { cliProjectRoot } from '../analyzeOptions';
import pg from 'pg';
import { buildReport } from '../../server/core/report/buildReport';
import { formatReport } from '../../server/core/report/formatReport';
import { writeReportHtml } from '../report/reportHtmlFile';
import { projectFacts, staticLoops } from '../run/buildRuntimeLoops';
import { CommandProblem, type CommandIo } from '../run/commandIo';
import { readLoopProject } from '../run/readLoopProject';
import { requireDatabaseUrl } from '../run/runEnvironment';

export interface ReportFlags {
  json?: boolean;
  /** Write the report view as one self-contained HTML file here. */
  html?: string;
}

/** The CLI waits longer than the editor's 5 s, but never forever on a locked or huge ledger. */
const STATEMENT_TIMEOUT_MS = 30_000;

export interface ReportDeps {
  /** The report's "now" (tests freeze it). */
  now?: Date;
}

export async function runReport(dir: string, flags: ReportFlags, io: CommandIo, deps: ReportDeps = {}): Promise<number> {
  try {
    const databaseUrl = requireDatabaseUrl(io.env);
    const loopProject = await readLoopProject(cliProjectRoot(dir, io.env));
    const loops = staticLoops(loopProject);
    const facts = projectFacts(loopProject);
    const client = new pg.Client({ connectionString: databaseUrl, statement_timeout: STATEMENT_TIMEOUT_MS, connectionTimeoutMillis: STATEMENT_TIMEOUT_MS });
    await client.connect().catch((error: Error) => {
      throw new CommandProblem(`cannot reach DATABASE_URL: ${error.message}`, 1);
    });
    try {
      await client.query('BEGIN READ ONLY');
      const report = await buildReport(client, loops, facts, deps.now ?? new Date(), { history: Boolean(flags.json || flags.html) });
      await client.query('COMMIT');
      if (flags.html) {
        const file = path.resolve(flags.html);
        writeReportHtml(file, report);
        if (!flags.json) io.stdout(`${formatReport(report)}\nWrote ${file}\n`);
      }
      if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else if (!flags.html) io.stdout(formatReport(report));
      return 0;
    } finally {
      await client.end();
    }
  } catch (error) {
    if (error instanceof CommandProblem) {
      io.stderr(`skene report: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '42703') {
      io.stderr(`skene report: ${(error as Error).message} — apply Skene's migration (python manage.py migrate) and run \`npx skene-django init\` if loops.json is older than the ledger.\n`);
      return 1;
    }
    throw error;
  }
}
