/**
 * The ledger DDL text (ledger.sql), for tests, the demo and the migration generator. Read from the file
 * beside this module (tsx) or beside the bundle (dist/, where the build must copy ledger.sql).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const LEDGER_SQL_FILE = 'ledger.sql';

export function ledgerSql(dir: string = __dirname): string {
  return readFileSync(path.join(dir, LEDGER_SQL_FILE), 'utf8');
}
