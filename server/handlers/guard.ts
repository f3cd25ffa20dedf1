import type { Connection } from 'vscode-languageserver/node';

/**
 * Wraps a handler so a bug in one feature is logged and answered with `fallback` instead of killing the
 * server: an editor must never lose all of Skene because one request failed.
 */
export function guard<P, R>(connection: Connection, handler: (params: P) => R | Promise<R>, fallback?: R) {
  return async (params: P): Promise<R | undefined> => {
    try {
      return await handler(params);
    } catch (error) {
      connection.console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return fallback;
    }
  };
}
