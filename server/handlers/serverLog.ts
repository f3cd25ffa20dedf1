/**
 * The server's log, sent to the client as window/logMessage (VS Code writes it to the "Skene" output channel;
 * other editors to their LSP log). Errors are failures only; what the server did (analyses, files read) is
 * info; per-keystroke timings are debug and are sent only while the client asked for debug
 * (`initializationOptions.logLevel`, then `skene/didChangeLogLevel`), so a normal session sends none of them.
 */
import { MessageType, type Connection } from 'vscode-languageserver/node';
import type { LogLevelParams } from '../protocol';

export interface ServerLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Cheap when off: pass a function so the message is only built when it will be sent. */
  debug(message: () => string): void;
  setLevel(level: LogLevelParams['level'] | undefined): void;
}

export function createServerLog(connection: Connection): ServerLog {
  let debugOn = false;
  const send = (type: MessageType, message: string): void => {
    void connection.sendNotification('window/logMessage', { type, message });
  };
  return {
    error: (message) => send(MessageType.Error, message),
    warn: (message) => send(MessageType.Warning, message),
    info: (message) => send(MessageType.Info, message),
    debug: (message) => {
      if (debugOn) send(MessageType.Debug, message());
    },
    setLevel: (level) => {
      debugOn = level === 'debug' || level === 'trace';
    },
  };
}
