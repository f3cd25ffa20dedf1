/** A LogOutputChannel method. */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const PREFIX = /^\[(Trace|Debug|Info|Warn|Error)\s*- [^\]]*\] ?/;

/**
 * How a line the language client writes ("[Error - 10:42:01] message") goes into the Skene log: at its own
 * level, without the client's prefix (the log adds its own time and level), so the server's debug timings
 * appear only when the user sets the Skene log to Debug. Lines without a prefix (a stack after an error)
 * keep the level of the line before. One exception: "Server process exited with code 0." is the server
 * stopping after shutdown (Restart Language Server, closing the window), not a failure: it is logged as info.
 */
export function routeClientLine(line: string, previous: Level): { level: Level; message: string } {
  const match = PREFIX.exec(line);
  if (!match) return { level: previous, message: line };
  const message = line.slice(match[0].length);
  if (/^Server process exited with code 0\.?$/.test(message)) return { level: 'info', message: 'language server stopped (exit code 0)' };
  const level = (match[1] ?? 'Info').toLowerCase() as Level;
  return { level, message };
}
