/**
 * The Skene language server: wiring only. Each feature lives in handlers/ (thin LSP adapters) over
 * server/core (plain data in, plain data out). Transport from argv: --stdio (Neovim, Emacs, tests) or
 * --node-ipc (VS Code).
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { loadSqlParser } from './core/config/sql/sqlParser';
import { ConfigAnalyses } from './core/workspace/configAnalyses';
import { ProjectRegistry } from './core/workspace/projectRegistry';
import { FIX_ALL_KIND, Notifications, Requests, SERVER_NAME, type AnalyzeParams, type LogLevelParams, type PythonClassesParams, type SkeneInitializationOptions } from './protocol';
import { handleAnalyze } from './handlers/analyze';
import { handleCodeActions } from './handlers/codeActions';
import { handleCodeLens, registerCodeLensRefresh } from './handlers/codeLens';
import { handleCompletion, COMPLETION_TRIGGERS } from './handlers/completion';
import { readClientFeatures, NO_FEATURES } from './handlers/clientFeatures';
import { uriToPath, type ServerContext } from './handlers/context';
import { registerDiagnostics } from './handlers/diagnostics';
import { registerPythonDiagnostics } from './handlers/pythonDiagnostics';
import { diagnosticsDocsUrl } from './handlers/docsLink';
import { EXECUTE_COMMANDS, handleExecuteCommand } from './handlers/executeCommand';
import { describeError, guard, guardNotification } from './handlers/guard';
import { handleDefinition } from './handlers/definition';
import { handleDocumentSymbols } from './handlers/documentSymbols';
import { handleHover } from './handlers/hover';
import { handleInlayHints } from './handlers/inlayHints';
import { handleReferences } from './handlers/references';
import { handlePrepareRename, handleRename } from './handlers/rename';
import { handleSemanticTokens, SEMANTIC_TOKENS_LEGEND } from './handlers/semanticTokens';
import { handlePythonClasses } from './handlers/pythonClasses';
import { PythonDocuments } from './handlers/pythonDocuments';
import { registerEmailPreview } from './handlers/emailPreview';
import { registerReport } from './handlers/report';
import { normalizeSettings, SettingsStore } from './handlers/settings';
import { createServerLog } from './handlers/serverLog';
import { describeCheck } from './handlers/checkLog';
import { handleWatchedFiles, registerFileWatchers } from './handlers/watchedFiles';

const connection = createConnection(ProposedFeatures.all);
const serverLog = createServerLog(connection);
/** Failures: what guards and handlers report. */
const log = (message: string) => serverLog.error(message);
let initializationOptions: SkeneInitializationOptions = {};
let clientInitialized = false;

/**
 * The `skene.pythonSettingsModule` override of a folder. Before `initialized` the client may not be asked
 * (analysis starts during initialize), so the initializationOptions' value is used and re-checked after.
 */
async function settingsModuleFor(dir: string): Promise<string | null> {
  if (!clientInitialized) return normalizeSettings(initializationOptions.settings).pythonSettingsModule;
  return (await ctx.settings.get(pathToFileURL(dir).href)).pythonSettingsModule;
}

const ctx: ServerContext = {
  connection,
  documents: new TextDocuments(TextDocument),
  projects: new ProjectRegistry(serverLog, (dir) => settingsModuleFor(dir)),
  configs: new ConfigAnalyses((analysis, ms) => serverLog.debug(() => describeCheck(analysis, ms))),
  settings: new SettingsStore(connection, () => ctx.features.configuration, () => initializationOptions.settings, (message) => serverLog.warn(message)),
  features: { ...NO_FEATURES },
  engineReady: loadSqlParser().catch((error: unknown) => log(`SQL parser failed to load: ${describeError(error)}`)),
  docsUrl: null,
  log,
  readerTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
};

// Never fatal: a rejected promise or a thrown callback is logged and the server keeps serving.
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${describeError(reason)}`));
process.on('uncaughtException', (error) => log(`uncaught exception: ${describeError(error)}`));

connection.onInitialize((params: InitializeParams): InitializeResult => {
  initializationOptions = (params.initializationOptions ?? {}) as SkeneInitializationOptions;
  serverLog.setLevel(initializationOptions.logLevel);
  ctx.features = readClientFeatures(params.capabilities);
  ctx.docsUrl = diagnosticsDocsUrl(initializationOptions.diagnosticsDocsUrl);
  if (typeof initializationOptions.timeZone === 'string') ctx.readerTimeZone = initializationOptions.timeZone;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  // Analysis starts now, so the first diagnostics do not wait for it after the config opens.
  const { projectPath } = normalizeSettings(initializationOptions.settings);
  for (const uri of folders) {
    const dir = uriToPath(uri);
    if (!dir) continue;
    ctx.projects.setProjectPath(dir, projectPath);
    ctx.projects.addFolder(dir);
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: { label: 'Skene' },
      inlayHintProvider: { resolveProvider: false },
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: EXECUTE_COMMANDS },
      ...(ctx.features.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: SERVER_NAME, version: '0.1.0' },
  };
});

connection.onInitialized(guardNotification(ctx, async () => {
  clientInitialized = true;
  await registerFileWatchers(ctx);
  if (ctx.features.configurationDynamic) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'skene' });
  if (ctx.features.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(guardNotification(ctx, (event) => {
      for (const folder of event.removed) ctx.projects.removeFolder(uriToPath(folder.uri) ?? '');
      for (const folder of event.added) ctx.projects.addFolder(uriToPath(folder.uri) ?? '');
    }));
  }
  // Now the client can be asked: a folder whose pythonSettingsModule differs from initializationOptions re-analyzes.
  await readProjectPaths();
  await ctx.projects.reconfigure();
}));

const python = new PythonDocuments(ctx);
registerDiagnostics(ctx);
registerPythonDiagnostics(ctx);
const refreshLenses = registerCodeLensRefresh(ctx);
const report = registerReport(ctx, () => initializationOptions.trusted === true, refreshLenses);
registerEmailPreview(ctx, report);

/** Each folder's `skene.projectPath` (which of its Django projects requests from the folder mean). */
async function readProjectPaths(): Promise<void> {
  for (const folder of ctx.projects.folders()) {
    ctx.projects.setProjectPath(folder, (await ctx.settings.get(pathToFileURL(folder).href)).projectPath);
  }
}

connection.onDidChangeConfiguration(guardNotification(ctx, async () => {
  ctx.settings.clear();
  await readProjectPaths();
  refreshLenses();
  await ctx.projects.reconfigure();
}));
connection.onNotification(Notifications.didChangeLogLevel, (params: LogLevelParams) => serverLog.setLevel(params.level));
connection.onDidChangeWatchedFiles(guardNotification(ctx, (params) => handleWatchedFiles(ctx, params)));
connection.onHover(guard(ctx, (params) => handleHover(ctx, params), null));
connection.onDefinition(guard(ctx, (params) => handleDefinition(ctx, params), null));
connection.onReferences(guard(ctx, (params) => handleReferences(ctx, params), []));
connection.onPrepareRename(guard(ctx, (params) => handlePrepareRename(ctx, params), null));
connection.onRenameRequest(guard(ctx, (params) => handleRename(ctx, params), null));
connection.onDocumentSymbol(guard(ctx, (params) => handleDocumentSymbols(ctx, params), []));
connection.languages.inlayHint.on(guard(ctx, (params) => handleInlayHints(ctx, params), []));
connection.languages.semanticTokens.on(guard(ctx, (params) => handleSemanticTokens(ctx, params), { data: [] }));
connection.onCompletion(guard(ctx, (params) => handleCompletion(ctx, params), { isIncomplete: false, items: [] }));
connection.onCodeAction(guard(ctx, (params) => handleCodeActions(ctx, params), []));
connection.onCodeLens(guard(ctx, (params) => handleCodeLens(ctx, params, python, report), []));
connection.onExecuteCommand(guard(ctx, (params) => handleExecuteCommand(ctx, params), null));
connection.onRequest(Requests.pythonClasses, guard(ctx, (params: PythonClassesParams) => handlePythonClasses(params)));
connection.onRequest(Requests.analyze, guard(ctx, (params: AnalyzeParams) => handleAnalyze(ctx, params), null));
connection.onShutdown(() => ctx.projects.dispose());

ctx.documents.listen(connection);
connection.listen();
