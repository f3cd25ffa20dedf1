/**
 * LSP sessions against the bundled server for the tests: a VS Code-like client (pull diagnostics,
 * refresh support, workspace edits) or a Neovim 0.7-like one (push only), plus waiting on notifications.
 */
import type { TestContext } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  HoverRequest,
  DefinitionRequest,
  ReferencesRequest,
  DocumentSymbolRequest,
  InlayHintRequest,
  SemanticTokensRequest,
  RenameRequest,
  PrepareRenameRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  PublishDiagnosticsNotification,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type DocumentSymbol,
  type InlayHint,
  type Location,
  type Range,
  type SemanticTokens,
  type WorkspaceEdit,
  type Position,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startLspSession, type LspSession } from '../../helpers/lspClient';
import type { InitializeCommandArgs, InitializeCommandResult } from '../../../server/protocol';

export const PULL_CLIENT: ClientCapabilities = {
  textDocument: {
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
  },
  workspace: {
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    configuration: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'], changeAnnotationSupport: { groupsOnLabel: true } },
  },
};

export const PUSH_CLIENT: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true } },
  workspace: { applyEdit: true, workspaceEdit: { documentChanges: true } },
};

export interface TestSession extends LspSession {
  open: (uri: string, text: string) => Promise<void>;
  change: (uri: string, text: string) => Promise<number>;
  /** Resolves with the next published diagnostics for `uri` that satisfy `accept`. */
  published: (uri: string, accept?: (params: PublishDiagnosticsParams) => boolean) => Promise<PublishDiagnosticsParams>;
  /** How many workspace/diagnostic/refresh and codeLens/refresh requests the server sent so far. */
  refreshes: { diagnostics: number; codeLens: number };
  /** Every window/logMessage the server sent so far (type: 1 error, 2 warning, 3 info, 4 log, 5 debug). */
  logs: Array<{ type: number; message: string }>;
  /** Answer the server gives to workspace/configuration (per request item). */
  configuration: { value: unknown };
  /** Typed requests. A pull report comes back as { kind, resultId, items } (items: [] when unchanged). */
  pull: (uri: string, previousResultId?: string) => Promise<{ kind: string; resultId?: string; items: Diagnostic[] }>;
  hover: (uri: string, position: Position) => Promise<Hover | null>;
  complete: (uri: string, position: Position) => Promise<CompletionList>;
  codeActions: (params: CodeActionParams) => Promise<CodeAction[]>;
  codeLenses: (uri: string) => Promise<CodeLens[]>;
  execute: (command: string, args: InitializeCommandArgs) => Promise<InitializeCommandResult>;
  definition: (uri: string, position: Position) => Promise<Location[]>;
  references: (uri: string, position: Position, includeDeclaration?: boolean) => Promise<Location[]>;
  symbols: (uri: string) => Promise<DocumentSymbol[]>;
  inlayHints: (uri: string, range: Range) => Promise<InlayHint[]>;
  semanticTokens: (uri: string) => Promise<SemanticTokens>;
  prepareRename: (uri: string, position: Position) => Promise<unknown>;
  rename: (uri: string, position: Position, newName: string) => Promise<WorkspaceEdit | null>;
}

export async function startSession(t: TestContext, options: { rootPath?: string; capabilities?: ClientCapabilities; initializationOptions?: unknown } = {}): Promise<TestSession> {
  const session = await startLspSession(options);
  t.after(() => session.dispose());
  const versions = new Map<string, number>();
  const waiters: Array<{ uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  const refreshes = { diagnostics: 0, codeLens: 0 };
  const configuration = { value: null as unknown };
  session.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  session.connection.onRequest('workspace/diagnostic/refresh', () => {
    refreshes.diagnostics++;
    return null;
  });
  session.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes.codeLens++;
    return null;
  });
  session.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => configuration.value));
  session.connection.onRequest('client/registerCapability', () => null);
  const logs: Array<{ type: number; message: string }> = [];
  session.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => logs.push(params));
  return {
    ...session,
    logs,
    refreshes,
    configuration,
    open: async (uri, text) => {
      versions.set(uri, 1);
      await session.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: uri.endsWith('.py') ? 'python' : 'typescript', version: 1, text } });
    },
    change: async (uri, text) => {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
      return version;
    },
    published: (uri, accept = () => true) => new Promise((resolve) => waiters.push({ uri, accept, resolve })),
    pull: async (uri, previousResultId) => {
      const report = await session.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
      return { kind: report.kind, ...(report.resultId ? { resultId: report.resultId } : {}), items: report.kind === 'full' ? report.items : [] };
    },
    hover: (uri, position) => session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
    complete: async (uri, position) => {
      const result = await session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      return Array.isArray(result) ? { isIncomplete: false, items: result } : (result ?? { isIncomplete: false, items: [] });
    },
    codeActions: async (params) => ((await session.connection.sendRequest(CodeActionRequest.type, params)) ?? []).filter((a): a is CodeAction => 'kind' in a || 'edit' in a),
    codeLenses: async (uri) => (await session.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [],
    definition: async (uri, position) => {
      const result = await session.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
      if (!result) return [];
      return (Array.isArray(result) ? result : [result]).map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
    },
    references: async (uri, position, includeDeclaration = true) => (await session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [],
    symbols: async (uri) => ((await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[],
    inlayHints: async (uri, range) => (await session.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [],
    semanticTokens: async (uri) => (await session.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } })) ?? { data: [] },
    prepareRename: (uri, position) => session.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position }),
    rename: (uri, position, newName) => session.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position, newName }),
    execute: async (command, args) => (await session.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] })) as InitializeCommandResult,
  };
}

/** The essentials of diagnostics, for whole-object assertions. */
export function summarize(diagnostics: Diagnostic[]): Array<{ code: unknown; line: number; message: string }> {
  return diagnostics.map((d) => ({ code: d.code, line: d.range.start.line, message: d.message }));
}

/** Polls a condition (sync or async) until it holds; fails after `timeoutMs`. For waiting on the server, never sleeping. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
