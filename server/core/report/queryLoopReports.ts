/**
 * Reads the report of some loops for the editor: a short-lived client, a read-only transaction and a 5 s
 * statement timeout, so a slow or wrong database never holds a connection or writes anything.
 */
import pg from 'pg';
import type { ManifestLoop } from '../../../sdk/manifest';
import { loopReportWith, type ReportOptions } from './buildReport';
import { readReportFacts, ReportProblem } from './readReportFacts';
import type { LoopReport } from './reportTypes';

const TIMEOUT_MS = 5_000;

export async function queryLoopReports(databaseUrl: string, root: string, loops: ManifestLoop[], now: Date = new Date(), options: ReportOptions = {}): Promise<LoopReport[]> {
  const facts = readReportFacts(root);
  const client = new pg.Client({ connectionString: databaseUrl, statement_timeout: TIMEOUT_MS, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  client.on('error', () => undefined); // A dropped connection fails the pending query; no crash on the idle socket.
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    const reports: LoopReport[] = [];
    for (const loop of loops) reports.push(await loopReportWith(client, loop, facts, now, options));
    await client.query('COMMIT');
    return reports;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A few words for the lens: what failed and, when known, what fixes it. */
export function shortReason(error: unknown): string {
  if (error instanceof ReportProblem) return error.message;
  const code = (error as { code?: string }).code;
  if (code === '42P01' || code === '42703') return 'ledger tables missing (run python manage.py migrate)';
  if (code === '28P01' || code === '28000') return 'authentication failed';
  if (code === '3D000') return 'database does not exist';
  if (code === '57014') return 'query timed out';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 80) || 'unknown error';
}
