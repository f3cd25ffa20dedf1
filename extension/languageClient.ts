import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { ClientCommands, CONFIG_FILE_NAME, Notifications, SERVER_NAME, SERVER_NODE_FLAGS, type LogLevelParams, type SkeneInitializationOptions, type TrustParams } from '../server/protocol';
import { levelledChannel, serverLogLevel } from './clientOutput';

/**
 * The language server client, started lazily: activation only registers commands, and the server
 * process (dist/server.js over IPC) starts the first time something needs it — a Skene-relevant file
 * opens, or a command asks the server for a plan.
 */
export class SkeneClient {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The running client; starts it on the first call. Concurrent callers share one start. */
  ensureStarted(): Promise<LanguageClient> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  get isStarted(): boolean {
    return this.client !== undefined;
  }

  async restart(): Promise<void> {
    if (!this.client) {
      await this.ensureStarted();
      return;
    }
    this.log.info('Restarting the Skene language server');
    await this.client.restart();
  }

  async stop(): Promise<void> {
    const running = this.client;
    this.client = undefined;
    this.starting = undefined;
    await running?.stop();
  }

  private async start(): Promise<LanguageClient> {
    const started = Date.now();
    // Loaded on first use: the client library is most of extension.js, and activation should not pay for it.
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    const client = new LanguageClient('skene', SERVER_NAME, this.serverOptions(TransportKind.ipc), this.clientOptions());
    await client.start();
    this.client = client;
    // Report lenses connect to a database a workspace setting may name: the server shows them only when trusted.
    this.context.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(Notifications.didChangeTrust, { trusted: true } satisfies TrustParams)),
      // Debug timings are sent only while the Skene log shows debug (Developer: Set Log Level… › Skene).
      this.log.onDidChangeLogLevel((level) => void client.sendNotification(Notifications.didChangeLogLevel, { level: serverLogLevel(level) } satisfies LogLevelParams)),
    );
    this.log.info(`Skene language server started in ${Date.now() - started} ms`);
    return client;
  }

  private serverOptions(ipc: TransportKind): ServerOptions {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    return {
      // The server's memory flags keep its RSS flat over hours of edits (see SERVER_NODE_FLAGS).
      run: { module: serverModule, transport: ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
      debug: { module: serverModule, transport: ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
    };
  }

  private clientOptions(): LanguageClientOptions {
    const watchers = [
      vscode.workspace.createFileSystemWatcher('**/*.py'),
      vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
      vscode.workspace.createFileSystemWatcher('**/templates/**/*.{html,txt}'),
      vscode.workspace.createFileSystemWatcher('**/skene_retention/loops.json'),
    ];
    this.context.subscriptions.push(...watchers);
    return {
      documentSelector: [
        { scheme: 'file', pattern: `**/${CONFIG_FILE_NAME}` },
        { scheme: 'file', language: 'python' },
      ],
      // Each line at its own level (the client's "[Error - time]" prefixes become log levels).
      outputChannel: levelledChannel(this.log),
      // Hovers may link to one command: the email preview of a `template:` value. No other command URI runs.
      markdown: { isTrusted: { enabledCommands: [ClientCommands.previewEmail] } },
      // The reader's zone: inlay hints show the next cron run in it.
      initializationOptions: { trusted: vscode.workspace.isTrusted, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, logLevel: serverLogLevel(this.log.logLevel) } satisfies SkeneInitializationOptions,
      synchronize: { configurationSection: 'skene', fileEvents: watchers },
    };
  }
}

/** True for the documents the server has something to say about. */
export function isSkeneDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file') return false;
  return document.languageId === 'python' || document.uri.path.endsWith(`/${CONFIG_FILE_NAME}`);
}

/** Starts the server as soon as a Python file or skene.config.ts is open (now or later), not before. */
export function startWhenNeeded(context: vscode.ExtensionContext, client: SkeneClient, log: vscode.LogOutputChannel): void {
  const maybeStart = (document: vscode.TextDocument): void => {
    if (client.isStarted || !isSkeneDocument(document)) return;
    client.ensureStarted().catch((error: unknown) => log.error('The Skene language server did not start', error));
  };
  vscode.workspace.textDocuments.forEach(maybeStart);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(maybeStart), { dispose: () => void client.stop() });
}
