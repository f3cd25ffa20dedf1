/**
 * The condition's safety rules as diagnostics: the one SQL gate (sdk/runtime/conditionGate.ts, which
 * `skene init` and the runtimes also apply) mapped to stable issue codes, placed on the offending text.
 */
import { gateStatements, type GateCode, type GateProblem } from '../../../../sdk/runtime/conditionGate';
import type { IssueCode } from '../issue';
import type { QueryProblem } from './queryProblem';
import type { RawStmt } from './sqlParser';

const ISSUE_CODE: Record<Exclude<GateCode, 'syntax'>, IssueCode> = {
  multiple_statements: 'sql-multiple-statements',
  not_select: 'sql-not-select',
  data_modifying: 'sql-not-read-only',
  select_into: 'sql-select-into',
  locking: 'sql-not-read-only',
  function_not_allowed: 'sql-function-not-allowed',
  operator_not_allowed: 'sql-operator-not-allowed',
  type_not_allowed: 'sql-type-not-allowed',
  parameter: 'sql-parameter-not-allowed',
};

const FIXES: Partial<Record<GateCode, string>> = {
  multiple_statements: "Remove everything after the first ';'.",
  not_select: 'Rewrite it as a SELECT.',
  data_modifying: 'Use a SELECT.',
  select_into: 'Remove the INTO clause.',
  locking: 'Remove the locking clause.',
  function_not_allowed: 'Use a built-in that only reads (docs/runtime.md lists them), or compute the value in a column.',
  operator_not_allowed: 'Use a built-in operator.',
  type_not_allowed: 'Cast to a built-in type.',
  parameter: 'Write the value into the query.',
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The text a problem covers: the word at its location, or the named function/operator/type there. */
function span(query: string, start: number, problem: GateProblem): { start: number; end: number } {
  const rest = query.slice(start);
  if (problem.code === 'locking') {
    const lock = /\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|SHARE|KEY\s+SHARE)\b/i.exec(rest);
    if (lock) return { start: start + lock.index, end: start + lock.index + lock[0].length };
  }
  if (problem.code === 'select_into') {
    const keyword = query.toUpperCase().lastIndexOf('INTO', start);
    if (keyword >= 0) return { start: keyword, end: keyword + 4 };
  }
  const word = /^\s*(\(\s*)*("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*|\$\d+|[+\-*/<>=~!@#%^&|`?]+|\S)/.exec(rest);
  if (!word) return { start, end: Math.min(query.length, start + 1) };
  const text = word[2] ?? '';
  const from = start + word[0].length - text.length;
  return { start: from, end: from + text.length };
}

export function statementProblems(query: string, stmts: RawStmt[], toIndex: (byte: number) => number): QueryProblem[] {
  return gateStatements(stmts).flatMap((problem): QueryProblem[] => {
    if (problem.code === 'syntax') return [];
    const start = toIndex(problem.location ?? 0);
    const message = `${capitalize(problem.message)}. ${FIXES[problem.code] ?? ''}`.trim();
    if (problem.code === 'multiple_statements') {
      const semicolon = query.lastIndexOf(';', start);
      const from = semicolon >= 0 ? semicolon : start;
      return [{ code: ISSUE_CODE[problem.code], message, start: from, end: query.trimEnd().length, removeFrom: from }];
    }
    return [{ code: ISSUE_CODE[problem.code], message, ...span(query, start, problem), ...(problem.name ? { data: { name: problem.name } } : {}) }];
  });
}
