/**
 * Refuses an audience query before it runs unless it is exactly one plain SELECT: no data-modifying CTE,
 * no SELECT INTO, no row locks. Uses PostgreSQL's own parser (libpg-query, wasm). The Python runtime has a
 * conservative token check that agrees on every shared vector (test/vectors/condition.json); both then run
 * the query in a READ ONLY transaction, which is the real barrier.
 */
import { parse } from 'libpg-query';

export type GuardCode = 'syntax' | 'multiple_statements' | 'not_select' | 'data_modifying' | 'select_into' | 'locking';

export interface GuardVerdict {
  accepted: boolean;
  code: GuardCode | null;
  message: string;
}

const WRITE_NODES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

function refuse(code: GuardCode, message: string): GuardVerdict {
  return { accepted: false, code, message };
}

/** The first node kind in the tree that `wanted` accepts, depth-first. */
function findNode(node: unknown, wanted: (key: string, value: unknown) => boolean): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findNode(item, wanted);
      if (found) return found;
    }
    return null;
  }
  if (node === null || typeof node !== 'object') return null;
  for (const [key, value] of Object.entries(node)) {
    if (wanted(key, value)) return key;
    const found = findNode(value, wanted);
    if (found) return found;
  }
  return null;
}

export async function checkCondition(query: string): Promise<GuardVerdict> {
  let tree: { stmts?: Array<{ stmt?: Record<string, unknown> }> };
  try {
    tree = await parse(query);
  } catch (error) {
    return refuse('syntax', `the condition is not valid SQL: ${(error as Error).message}`);
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1) return refuse('multiple_statements', `the condition must be one SELECT, found ${statements.length} statements`);
  const top = statements[0]?.stmt ?? {};
  const kind = Object.keys(top)[0] ?? 'nothing';
  if (kind !== 'SelectStmt') return refuse('not_select', `the condition must be a SELECT, found ${kind.replace(/Stmt$/, '').toUpperCase()}`);
  const writer = findNode(top, (key) => WRITE_NODES.has(key));
  if (writer) return refuse('data_modifying', `the condition contains a ${writer.replace(/Stmt$/, '').toUpperCase()}; only reads are allowed`);
  if (findNode(top, (key, value) => key === 'intoClause' && value !== null)) return refuse('select_into', 'SELECT INTO creates a table; the condition may only read');
  if (findNode(top, (key) => key === 'lockingClause')) return refuse('locking', 'FOR UPDATE/SHARE locks rows; the condition may only read');
  return { accepted: true, code: null, message: 'one read-only SELECT' };
}
