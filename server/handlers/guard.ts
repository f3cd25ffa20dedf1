/**
 * Wrappers that keep one failing feature from taking the server down: the error is logged and the
 * request answered with a fallback. An editor must never lose all of Skene because one request failed.
 */
import { ResponseError } from 'vscode-languageserver/node';

interface Logs {
  log: (message: string) => void;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function guard<P, R>(ctx: Logs, handler: (params: P) => R | Promise<R>, fallback: R): (params: P) => Promise<R>;
export function guard<P, R>(ctx: Logs, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R | undefined>;
export function guard<P, R>(ctx: Logs, handler: (params: P) => R | Promise<R>, fallback?: R) {
  return async (params: P): Promise<R | undefined> => {
    try {
      return await handler(params);
    } catch (error) {
      // A deliberate answer (e.g. "not a valid loop id" for rename) goes to the client as the error it is.
      if (error instanceof ResponseError) throw error;
      ctx.log(describeError(error));
      return fallback;
    }
  };
}

/** The same for notifications (no answer to send). */
export function guardNotification<P>(ctx: Logs, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params: P) => {
    try {
      const done = handler(params);
      if (done instanceof Promise) done.catch((error: unknown) => ctx.log(describeError(error)));
    } catch (error) {
      ctx.log(describeError(error));
    }
  };
}
