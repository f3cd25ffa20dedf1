/**
 * One loop query, checked end to end: PostgreSQL syntax, one read-only SELECT, tables and columns, and
 * the columns the runtime needs in the result. Positions are UTF-16 indices in the query text.
 */
import type { KnownTables } from '../knownTables';
import { checkQueryReferences } from './checkQueryReferences';
import type { QueryProblem } from './queryProblem';
import { byteToIndexer } from './queryPositions';
import { statementProblems } from './querySafety';
import { parseSql } from './sqlParser';

export interface QueryCheck {
  problems: QueryProblem[];
  /** Output column names when the query parsed and they are known statically. */
  output: string[] | null;
  /** Where a missing select-list column can be inserted, and with which qualifier for the user table. */
  insertColumnAt: number | null;
  userQualifier: string;
}

export interface QueryRequirements {
  /** Output columns the runtime reads, e.g. ['id', 'email']. */
  columns: string[];
  userTable: string | null;
}

export function checkQuery(query: string, tables: KnownTables | null, needs: QueryRequirements): QueryCheck {
  const result: QueryCheck = { problems: [], output: null, insertColumnAt: null, userQualifier: '' };
  const parsed = parseSql(query);
  if (!parsed.ok) {
    const at = parsed.index ?? 0;
    const end = Math.min(query.length, at + (tokenLength(query, at) || 1));
    result.problems.push({ code: 'sql-syntax-error', message: `SQL ${parsed.message}. Fix the query near this point.`, start: Math.min(at, query.length), end: Math.max(end, Math.min(at, query.length)) });
    return result;
  }
  const toIndex = byteToIndexer(query);
  result.problems.push(...statementProblems(query, parsed.stmts, toIndex));
  const select = parsed.stmts[0]?.stmt.SelectStmt as Record<string, unknown> | undefined;
  if (!select || !tables) return result;
  const references = checkQueryReferences(query, select, tables, toIndex);
  result.problems.push(...references.problems);
  result.output = references.output;
  result.insertColumnAt = references.firstTarget;
  const userEntry = references.topEntries.find((e) => e.table === needs.userTable);
  result.userQualifier = references.topEntries.length > 1 && userEntry ? `${userEntry.alias}.` : '';
  const missing = result.output ? needs.columns.filter((c) => !result.output?.includes(c)) : [];
  if (missing.length) result.problems.push(missingColumns(query, missing, result));
  return result;
}

function tokenLength(query: string, at: number): number {
  return /^[A-Za-z0-9_]+|^\S/.exec(query.slice(at))?.[0].length ?? 0;
}

function missingColumns(query: string, missing: string[], check: QueryCheck): QueryProblem {
  const select = /\bselect\b/i.exec(query);
  const start = select?.index ?? 0;
  const text = missing.map((c) => `${check.userQualifier}${c}, `).join('');
  return {
    code: 'sql-missing-user-columns',
    message: `The query's rows must include the user's ${missing.join(' and ')} (the runtime reads them to send and to record). Add ${missing.join(', ')} to the select list.`,
    start,
    end: start + (select?.[0].length ?? 1),
    ...(check.insertColumnAt !== null ? { insert: { at: check.insertColumnAt, text, title: `Select ${missing.join(', ')}` } } : {}),
    data: { missing },
  };
}
