/**
 * What the run/doctor/demo commands touch of the outside world, passed in so tests can call them in-process:
 * output streams, whether stdout is a terminal, the environment and the stop signals.
 */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: progress bar and redraws are allowed. */
  isTTY: boolean;
  /** The terminal renders UTF-8 (✓ ✗ █); otherwise ASCII. */
  unicode: boolean;
  env: NodeJS.ProcessEnv;
  /** Registers a handler for SIGINT/SIGTERM; returns the function that removes it. */
  onStopSignal: (handler: (signal: string) => void) => () => void;
}

export function terminalIo(): CommandIo {
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY,
    unicode: isTTY && isUtf8Locale(process.env),
    env: process.env,
    onStopSignal(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** POSIX locale rules: LC_ALL wins over LC_CTYPE, which wins over LANG. Windows terminals render UTF-8. */
export function isUtf8Locale(env: NodeJS.ProcessEnv): boolean {
  if (process.platform === 'win32') return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

/** A problem that ends a command before it does its work, with the exit code it maps to. */
export class CommandProblem extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}
