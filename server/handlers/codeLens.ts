import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { CodeLensRefreshRequest, type CodeLens, type CodeLensParams } from 'vscode-languageserver/node';
import { summarizeLoops } from '../core/editor/loopSummary';
import type { ProjectState } from '../core/workspace/projectState';
import { ClientCommands, type InitializeCommandArgs, type LoopLensArgs } from '../protocol';
import { analyzeOpenConfig, isConfigUri, isPythonUri, uriToPath, type ServerContext } from './context';
import type { PythonDocuments } from './pythonDocuments';
import type { ReportLenses } from './report';

/** Debounce of lens refreshes while the config is typed (the summary over the user model follows it). */
const REFRESH_DELAY_MS = 300;

/**
 * Code lenses: over the AUTH_USER_MODEL class (position from the ProjectModel, which the analyzer reads
 * from its cached trees) and above each loop of skene.config.ts. `skene.codeLens.enabled` is read per
 * request, so turning it off takes effect at the next refresh.
 */
export async function handleCodeLens(ctx: ServerContext, params: CodeLensParams, python: PythonDocuments, report?: ReportLenses): Promise<CodeLens[]> {
  const uri = params.textDocument.uri;
  const file = uriToPath(uri);
  if (!file || !(await ctx.settings.get(uri)).codeLens.enabled) return [];
  if (isConfigUri(uri)) return configLenses(ctx, uri, report);
  if (!isPythonUri(uri)) return [];
  const state = ctx.projects.forFile(file);
  await state.ready;
  await python.flush();
  return userModelLenses(ctx, state, file);
}

function userModelLenses(ctx: ServerContext, state: ProjectState, file: string): CodeLens[] {
  const model = state.model;
  const user = model?.userModel;
  if (!model || !user || user.builtin || path.join(model.root, user.file) !== file) return [];
  const range = { start: { line: user.line - 1, character: 0 }, end: { line: user.line - 1, character: 0 } };
  const configUri = pathToFileURL(state.configPath).href;
  const open = ctx.documents.get(configUri);
  const text = open ? open.getText() : state.savedConfigText();
  if (text === null) {
    const args: InitializeCommandArgs = { root: model.root };
    return [{ range, command: { title: 'Skene: add retention loop', command: ClientCommands.initialize, arguments: [args] } }];
  }
  const analysis = ctx.configs.get(configUri, open ? open.version : -1, text, state);
  // One lens per loop (the same range, so editors show them side by side); each opens the config at its loop.
  return summarizeLoops(text, analysis.result, model).map(({ loopIndex, title }) => {
    const at = analysis.result.loops.find((loop) => loop.index === loopIndex)?.range.start;
    return { range, command: { title, command: ClientCommands.openConfig, arguments: at ? [configUri, at] : [configUri] } };
  });
}

async function configLenses(ctx: ServerContext, uri: string, report: ReportLenses | undefined): Promise<CodeLens[]> {
  const analysis = await analyzeOpenConfig(ctx, uri);
  const document = ctx.documents.get(uri);
  if (!analysis || !document) return [];
  const rangeOf = (index: number) => {
    const at = document.positionAt(analysis.result.loops[index]?.anchor.start ?? 0);
    return { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } };
  };
  // Never waits on the database: cached numbers, or "loading…" and a refresh when they arrive.
  const reports = report ? await report.lenses(uri, analysis, rangeOf) : new Map<number, CodeLens>();
  return analysis.result.loops.flatMap((loop) => {
    const range = rangeOf(loop.index);
    const args: LoopLensArgs = { configUri: uri, root: analysis.state.root, loopId: loop.id, loopIndex: loop.index };
    const reportLens = reports.get(loop.index);
    return [
      { range, command: { title: 'Regenerate artifacts', command: ClientCommands.regenerateArtifacts, arguments: [args] } },
      { range, command: { title: 'Preview plan', command: ClientCommands.previewPlan, arguments: [args] } },
      ...(reportLens ? [reportLens] : []),
    ];
  });
}

/** Asks the client to re-request lenses when the project, the config or the settings changed. */
export function registerCodeLensRefresh(ctx: ServerContext): () => void {
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    if (!ctx.features.codeLensRefresh) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => ctx.log(`codeLens refresh failed: ${String(error)}`));
    }, REFRESH_DELAY_MS);
  };
  ctx.projects.onDidChange(refresh);
  ctx.documents.onDidChangeContent((event) => {
    if (isConfigUri(event.document.uri)) refresh();
  });
  ctx.documents.onDidClose((event) => {
    if (isConfigUri(event.document.uri)) refresh();
  });
  return refresh;
}
