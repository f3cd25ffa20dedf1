import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  ExitNotification,
  type ProtocolConnection,
  type InitializeResult,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

export const BUNDLED_SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcessWithoutNullStreams;
  initializeResult: InitializeResult;
  /** Everything the server wrote to stderr, for assertions and debugging. */
  stderr: () => string;
  /** Sends shutdown + exit and waits for the process to end; returns its exit code. */
  close: () => Promise<number | null>;
  /** Kills the server if it is still running (for `after` hooks, so a failed test never leaves it behind). */
  dispose: () => void;
}

/**
 * Starts the bundled server (`node dist/server.js --stdio`) and completes the LSP handshake with a real
 * JSON-RPC client. Tests talk to the same artifact users install, so bundle-only bugs show up here.
 */
export async function startLspSession(options: {
  rootPath?: string;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
} = {}): Promise<LspSession> {
  const child = spawn(process.execPath, [BUNDLED_SERVER, '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const rootUri = options.rootPath ? `file://${options.rootPath}` : null;
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(options.rootPath ?? '') }] : null,
    capabilities: options.capabilities ?? {},
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    connection,
    process: child,
    initializeResult,
    stderr: () => stderr,
    close: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
    dispose: () => {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
