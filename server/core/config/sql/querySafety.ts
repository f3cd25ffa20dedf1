/**
 * Statement-level rules: exactly one statement, a SELECT, no INTO, no row locks, no data-modifying CTEs.
 * The runtimes also run the query in a read-only transaction; this catches it while typing.
 */
import type { RawStmt } from './sqlParser';
import type { QueryProblem } from './queryProblem';

function firstWord(query: string, index: number): { start: number; end: number; word: string } {
  const match = /^\s*(\(\s*)*([A-Za-z]+)/.exec(query.slice(index));
  if (!match) return { start: index, end: Math.min(query.length, index + 1), word: '' };
  const word = match[2] ?? '';
  const start = index + match[0].length - word.length;
  return { start, end: start + word.length, word: word.toUpperCase() };
}

export function statementProblems(query: string, stmts: RawStmt[], toIndex: (byte: number) => number): QueryProblem[] {
  const problems: QueryProblem[] = [];
  if (stmts.length > 1) {
    const second = stmts[1];
    const start = toIndex(second?.stmt_location ?? 0);
    const semicolon = query.lastIndexOf(';', start);
    problems.push({
      code: 'sql-multiple-statements',
      message: `A condition is one SELECT; found ${stmts.length} statements. Remove everything after the first ';'.`,
      start: semicolon >= 0 ? semicolon : start,
      end: query.trimEnd().length,
      removeFrom: semicolon >= 0 ? semicolon : start,
    });
  }
  const first = stmts[0];
  if (first && !('SelectStmt' in first.stmt)) {
    const word = firstWord(query, toIndex(first.stmt_location ?? 0));
    problems.push({
      code: 'sql-not-select',
      message: `Only a read-only SELECT can select a loop's audience; ${word.word || 'this statement'} changes data or the schema. Rewrite it as a SELECT.`,
      start: word.start,
      end: word.end,
    });
  }
  return problems;
}

/** Per-SELECT problems: INTO, FOR UPDATE/SHARE, and data-modifying WITH queries. */
export function selectProblems(query: string, select: Record<string, unknown>, toIndex: (byte: number) => number): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const into = select.intoClause as { rel?: { location?: number } } | undefined;
  if (into) {
    const relStart = toIndex(into.rel?.location ?? 0);
    const keyword = query.toUpperCase().lastIndexOf('INTO', relStart);
    problems.push({
      code: 'sql-select-into',
      message: 'SELECT ... INTO creates a table; a condition must only read. Remove the INTO clause.',
      start: keyword >= 0 ? keyword : relStart,
      end: keyword >= 0 ? keyword + 4 : relStart + 1,
    });
  }
  if (select.lockingClause) {
    const at = /\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|SHARE|KEY\s+SHARE)\b/i.exec(query);
    problems.push({
      code: 'sql-not-read-only',
      message: 'Row locks (FOR UPDATE/SHARE) block the application while the loop runs. Remove the locking clause.',
      start: at?.index ?? 0,
      end: at ? at.index + at[0].length : query.length,
    });
  }
  const ctes = ((select.withClause as { ctes?: unknown[] } | undefined)?.ctes ?? []) as Array<{ CommonTableExpr?: { ctename?: string; ctequery?: Record<string, unknown>; location?: number } }>;
  for (const cte of ctes) {
    const body = cte.CommonTableExpr?.ctequery;
    if (!body || 'SelectStmt' in body) continue;
    const start = toIndex(cte.CommonTableExpr?.location ?? 0);
    problems.push({
      code: 'sql-not-read-only',
      message: `The WITH query '${cte.CommonTableExpr?.ctename ?? ''}' changes data; a condition must only read. Use a SELECT.`,
      start,
      end: start + (cte.CommonTableExpr?.ctename?.length ?? 1),
    });
  }
  return problems;
}
