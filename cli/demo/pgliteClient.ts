/**
 * PGlite (PostgreSQL compiled to WASM, in-process) behind the small part of `pg`'s ClientBase that the
 * runtime engine uses: `query(text, values?)` → `{ rows, rowCount }`, plus `end()`. The engine's calls are
 * single statements with $n parameters (arrays, Dates, strings, numbers), and BEGIN / COMMIT / ROLLBACK /
 * SET LOCAL without parameters; its errors are read by SQLSTATE `code`, which PGlite's errors carry too.
 * PGlite is not bundled: it ships its own data files, so it is loaded from node_modules at run time.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import type { EngineClient } from '../run/candidateListing';

/** PostgreSQL's OID of int8: pg returns bigint columns as strings (precision), so the demo does too. */
const INT8_OID = 20;
const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

export async function startPglite(): Promise<PGlite> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- external to the bundle by design (see above)
  const { PGlite: Pglite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const db = new Pglite({ parsers: { [INT8_OID]: (value: string) => value } });
  await db.waitReady;
  return db;
}

/** pg's rowCount: rows affected by a write (RETURNING or not), rows returned otherwise. */
function rowCount(result: Results): number {
  return result.command && WRITE_COMMANDS.has(result.command) ? (result.affectedRows ?? result.rows.length) : result.rows.length;
}

/**
 * The engine's client over a PGlite database. `end()` does not close the database: the demo runs the loop
 * twice on the same one and closes it itself.
 */
export function pgliteClient(db: PGlite): EngineClient {
  const client = {
    async query(text: string, values?: unknown[]) {
      // Without parameters use the simple protocol, which also takes several statements (e.g. DDL files).
      const results: Results[] = values?.length ? [await db.query<Record<string, unknown>>(text, values)] : await db.exec(text);
      const last: Results = results[results.length - 1] ?? { rows: [], fields: [] };
      return { rows: last.rows, rowCount: rowCount(last), command: last.command ?? '', fields: last.fields, oid: 0 };
    },
    end: () => Promise.resolve(),
  };
  // Only query/end are used by the engine (sdk/runtime: every call site is client.query or client.end).
  return client as unknown as EngineClient;
}
