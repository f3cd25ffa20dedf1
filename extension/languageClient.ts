import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NAME } from '../server/protocol';

let client: LanguageClient | undefined;

/** Starts dist/server.js over IPC; the same bundle serves other editors with --stdio. */
export async function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/skene.config.ts' },
      { scheme: 'file', language: 'python' },
    ],
    outputChannel: log,
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.py'),
        vscode.workspace.createFileSystemWatcher('**/skene.config.ts'),
      ],
    },
  };
  client = new LanguageClient('skene', SERVER_NAME, serverOptions, clientOptions);
  await client.start();
}

export async function restartLanguageClient(): Promise<void> {
  await client?.restart();
}

export async function stopLanguageClient(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
