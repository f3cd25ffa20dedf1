/**
 * The report in the editor: one more lens above each loop of skene.config.ts with the latest numbers
 * (opt-in `skene.report.codeLens`, trusted workspaces only, since it connects to a database a workspace
 * setting may name), and the `skene/report` request behind the lens's "show report" command.
 */
import { pathToFileURL } from 'node:url';
import type { CodeLens, Range } from 'vscode-languageserver/node';
import type { ManifestLoop } from '../../sdk/manifest';
import { formatReport } from '../core/report/formatReport';
import { LoopReportCache, type CachedReport } from '../core/report/loopReportCache';
import { queryLoopReports, shortReason } from '../core/report/queryLoopReports';
import { CI_METHOD } from '../core/report/reportTypes';
import { loadingLensText, reportLensText, unavailableLensText } from '../core/report/reportLensText';
import type { ConfigAnalysis } from '../core/workspace/configAnalyses';
import { ClientCommands, Notifications, Requests, type ReportParams, type ReportResult, type ReportViewResult, type TrustParams } from '../protocol';
import { guard, guardNotification } from './guard';
import type { ServerContext } from './context';

export class ReportLenses {
  /** Set by skene/didChangeTrust; until then initializationOptions.trusted decides. */
  private trustedNow: boolean | null = null;
  private readonly logged = new Set<string>();
  readonly cache: LoopReportCache;

  constructor(private readonly ctx: ServerContext, private readonly trustedAtStart: () => boolean, refreshLenses: () => void) {
    const onError = (root: string, reason: string) => {
      if (this.logged.has(`${root}\0${reason}`)) return;
      this.logged.add(`${root}\0${reason}`);
      ctx.log(`report lens for ${root}: ${reason}`);
    };
    this.cache = new LoopReportCache((url, root, loops) => queryLoopReports(url, root, loops), shortReason, refreshLenses, onError);
  }

  setTrusted(trusted: boolean): void {
    this.trustedNow = trusted;
  }

  trusted(): boolean {
    return this.trustedNow ?? this.trustedAtStart();
  }

  /** The database to read, or null when report lenses are off, the workspace untrusted or no URL is known. */
  async databaseUrl(uri: string): Promise<string | null> {
    const settings = (await this.ctx.settings.get(uri)).report;
    if (!settings.codeLens) return null;
    return this.viewDatabaseUrl(uri);
  }

  /** The database the report view and a real user's preview read: trusted workspaces only, lens setting or not. */
  async viewDatabaseUrl(uri: string): Promise<string | null> {
    if (!this.trusted()) return null;
    return (await this.ctx.settings.get(uri)).report.databaseUrl ?? process.env.DATABASE_URL ?? null;
  }

  /** One lens per loop that is static (a loop with computed values has no definition to report on). */
  async lenses(uri: string, analysis: ConfigAnalysis, rangeOf: (loopIndex: number) => Range): Promise<Map<number, CodeLens>> {
    const url = await this.databaseUrl(uri);
    const parsed = analysis.result.loops.filter((loop): loop is typeof loop & { manifest: ManifestLoop } => loop.manifest !== null);
    if (!url || !parsed.length) return new Map();
    const root = analysis.state.root;
    const cached = this.cache.lookup(url, root, parsed.map((loop) => loop.manifest));
    const args: ReportParams = { root };
    return new Map(parsed.map((loop, i) => [loop.index, { range: rangeOf(loop.index), command: { title: titleOf(cached[i]), command: ClientCommands.showReport, arguments: [args] } }]));
  }
}

function titleOf(cached: CachedReport | undefined): string {
  if (!cached) return loadingLensText();
  return cached.kind === 'ready' ? reportLensText(cached.report) : unavailableLensText(cached.reason);
}

/** `skene/report`: the whole report as `skene report` prints it, for the saved config of the project. */
async function handleReport(ctx: ServerContext, report: ReportLenses, params: ReportParams): Promise<ReportResult> {
  const state = ctx.projects.forFile(params.root);
  await Promise.all([state.ready, ctx.engineReady]);
  const text = state.savedConfigText();
  const uri = pathToFileURL(state.configPath).href;
  const url = await report.databaseUrl(uri);
  if (!url) return { text: 'Skene report: turn on skene.report.codeLens in a trusted workspace, with DATABASE_URL or skene.report.databaseUrl set.\n' };
  if (text === null) return { text: 'Skene report: no skene.config.ts in this project.\n' };
  const loops = ctx.configs.get(uri, -1, text, state).result.loops.flatMap((loop) => loop.manifest ?? []);
  try {
    const reports = await queryLoopReports(url, state.root, loops);
    return { text: formatReport({ generatedAt: new Date().toISOString(), ciMethod: CI_METHOD, loops: reports }) };
  } catch (error) {
    return { text: `Skene report unavailable: ${shortReason(error)}\n` };
  }
}

/** `skene/reportView`: the report with each loop's history, for the report view (read-only, 5 s statement timeout). */
async function handleReportView(ctx: ServerContext, report: ReportLenses, params: ReportParams): Promise<ReportViewResult> {
  const state = ctx.projects.forFile(params.root);
  await Promise.all([state.ready, ctx.engineReady]);
  const uri = pathToFileURL(state.configPath).href;
  if (!report.trusted()) return { error: 'The report reads your database: trust this workspace to see it (Manage Workspace Trust).' };
  const url = await report.viewDatabaseUrl(uri);
  if (!url) return { error: 'No database: set skene.report.databaseUrl, or start VS Code with DATABASE_URL set.' };
  const text = ctx.documents.get(uri)?.getText() ?? state.savedConfigText();
  if (text === null) return { error: 'No skene.config.ts in this project.' };
  const loops = ctx.configs.get(uri, ctx.documents.get(uri)?.version ?? -1, text, state).result.loops.flatMap((loop) => loop.manifest ?? []);
  try {
    const reports = await queryLoopReports(url, state.root, loops, new Date(), { history: true });
    return { report: { generatedAt: new Date().toISOString(), ciMethod: CI_METHOD, loops: reports } };
  } catch (error) {
    return { error: `Report unavailable: ${shortReason(error)}` };
  }
}

/** Registers the trust notification and the report request; returns the lens source codeLens.ts asks. */
export function registerReport(ctx: ServerContext, trusted: () => boolean, refreshLenses: () => void): ReportLenses {
  const report = new ReportLenses(ctx, trusted, refreshLenses);
  ctx.connection.onNotification(Notifications.didChangeTrust, guardNotification(ctx, (params: TrustParams) => {
    report.setTrusted(params?.trusted === true);
    refreshLenses();
  }));
  ctx.connection.onRequest(Requests.report, guard(ctx, (params: ReportParams) => handleReport(ctx, report, params), { text: '' }));
  ctx.connection.onRequest(Requests.reportView, guard(ctx, (params: ReportParams) => handleReportView(ctx, report, params), { error: 'the language server failed (see the Skene output)' }));
  return report;
}
