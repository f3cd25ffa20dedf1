import * as vscode from 'vscode';
import type { LogLevelParams } from '../server/protocol';
import { routeClientLine, type Level } from './clientLogLines';

/** An OutputChannel for the LanguageClient that writes each line into the Skene LogOutputChannel at its level. */
export function levelledChannel(log: vscode.LogOutputChannel): vscode.OutputChannel {
  let previous: Level = 'info';
  let pending = '';
  const write = (line: string): void => {
    const routed = routeClientLine(line, previous);
    previous = routed.level;
    log[routed.level](routed.message);
  };
  return {
    name: log.name,
    // The server's stderr arrives in chunks: whole lines are logged, the rest waits for its newline.
    append: (value) => {
      const lines = (pending + value).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(write);
    },
    appendLine: (value) => {
      write(pending + value);
      pending = '';
    },
    replace: (value) => log.replace(value),
    clear: () => log.clear(),
    show: (...args: unknown[]) => log.show(typeof args[0] === 'boolean' ? args[0] : typeof args[1] === 'boolean' ? args[1] : undefined),
    hide: () => log.hide(),
    dispose: () => undefined,
  };
}

/** The Skene log's level as the server's `logLevel` (it sends debug messages only at debug or trace). */
export function serverLogLevel(level: vscode.LogLevel): LogLevelParams['level'] {
  switch (level) {
    case vscode.LogLevel.Off: return 'off';
    case vscode.LogLevel.Trace: return 'trace';
    case vscode.LogLevel.Debug: return 'debug';
    case vscode.LogLevel.Warning: return 'warning';
    case vscode.LogLevel.Error: return 'error';
    default: return 'info';
  }
}
