import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Issue, Severity } from '../core/config/issue';
import type { ConfigAnalysis } from '../core/workspace/configAnalyses';
import type { ProjectState } from '../core/workspace/projectState';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { analyzeOpenConfig, isConfigUri, uriToPath, type ServerContext } from './context';
import { codeDescriptionHref } from './docsLink';
import { guard, guardNotification } from './guard';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** An Issue as an LSP Diagnostic: stable code, a link to its docs entry, and its data for quick fixes. */
export function toDiagnostic(issue: Issue, docsUrl: string | null): Diagnostic {
  return {
    range: issue.range,
    severity: SEVERITY[issue.severity],
    code: issue.code,
    ...(docsUrl ? { codeDescription: { href: codeDescriptionHref(docsUrl, issue.code) } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: issue.message,
    // The code travels inside data too: some clients drop `code` when they hand diagnostics back.
    data: { ...(issue.data ?? {}), code: issue.code },
  };
}

/** The pull result id: changes whenever the text or anything the checker read (project, files) changed. */
function resultIdOf(analysis: ConfigAnalysis): string {
  return `${analysis.version}:${analysis.state.dir}:${analysis.projectVersion}`;
}

/**
 * Diagnostics for skene.config.ts, both ways from one engine: pull (textDocument/diagnostic) for clients
 * that declare it, push (publishDiagnostics) for the others (Neovim before 0.10). Project changes refresh
 * both: a workspace/diagnostic/refresh for pull clients, a re-publish for push clients.
 */
export function registerDiagnostics(ctx: ServerContext): void {
  const { connection, documents } = ctx;
  connection.languages.diagnostics.on(guard(ctx, (params: DocumentDiagnosticParams) => pull(ctx, params), { kind: DocumentDiagnosticReportKind.Full, items: [] }));

  const queued = new Set<string>();
  const schedule = (uri: string) => {
    if (ctx.features.pullDiagnostics || !isConfigUri(uri) || queued.has(uri)) return;
    queued.add(uri);
    // setImmediate coalesces a burst of queued didChange messages into one check of the newest version.
    setImmediate(() => {
      queued.delete(uri);
      void push(ctx, uri);
    });
  };
  documents.onDidOpen(guardNotification(ctx, (event) => schedule(event.document.uri)));
  documents.onDidChangeContent(guardNotification(ctx, (event) => schedule(event.document.uri)));
  documents.onDidClose(guardNotification(ctx, (event) => {
    const uri = event.document.uri;
    ctx.configs.delete(uri);
    if (!ctx.features.pullDiagnostics && isConfigUri(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }));
  ctx.projects.onDidChange((state) => {
    if (ctx.features.pullDiagnostics) {
      if (ctx.features.diagnosticRefresh) connection.languages.diagnostics.refresh();
      return;
    }
    for (const uri of openConfigsOf(ctx, state)) schedule(uri);
  });
}

async function pull(ctx: ServerContext, params: DocumentDiagnosticParams): Promise<DocumentDiagnosticReport> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  if (!analysis) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const resultId = resultIdOf(analysis);
  if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items: analysis.result.issues.map((i) => toDiagnostic(i, ctx.docsUrl)) };
}

async function push(ctx: ServerContext, uri: string): Promise<void> {
  try {
    const analysis = await analyzeOpenConfig(ctx, uri);
    // Null: closed, or a newer version arrived meanwhile (its own push is queued). Never publish stale results.
    if (!analysis || ctx.documents.get(uri)?.version !== analysis.version) return;
    await ctx.connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: analysis.result.issues.map((i) => toDiagnostic(i, ctx.docsUrl)) });
  } catch (error) {
    ctx.log(`diagnostics for ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

export function openConfigsOf(ctx: ServerContext, state: ProjectState): string[] {
  return ctx.documents.all().map((d) => d.uri).filter((uri) => {
    const file = uriToPath(uri);
    return file !== null && isConfigUri(uri) && ctx.projects.find(file) === state;
  });
}
