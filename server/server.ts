import { createConnection, ProposedFeatures, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { Requests, SERVER_NAME, type PythonClassesParams } from './protocol';
import { handlePythonClasses } from './handlers/pythonClasses';
import { guard } from './handlers/guard';

// createConnection picks the transport from argv: --stdio (Neovim, Emacs, tests) or --node-ipc (VS Code).
const connection = createConnection(ProposedFeatures.all);

process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

connection.onInitialize((): InitializeResult => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
  },
  serverInfo: { name: SERVER_NAME, version: '0.1.0' },
}));

connection.onRequest(Requests.pythonClasses, guard(connection, (params: PythonClassesParams) => handlePythonClasses(params)));

connection.listen();
