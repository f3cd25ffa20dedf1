import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this uid/gid (only meaningful as root; libuv also drops root's supplementary groups). */
  uid?: number;
  gid?: number;
  /** Kill the process after this long; the result then says so in stderr. Default 120 s. */
  timeoutMs?: number;
}

/**
 * Runs a program to completion and captures its output. Never rejects for a non-zero exit: tests want
 * to assert on the code and print stderr, not unwind through an exception.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      stderr += `\n[runProcess] ${command} killed after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) stderr += `\n[runProcess] ${command} ended by ${signal}`;
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
