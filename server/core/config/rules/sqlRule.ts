/**
 * The SQL in a loop (the audience condition and the optional exit query), checked with PostgreSQL's
 * parser. Problems found at query index i are placed at the exact character of the string literal in
 * skene.config.ts, escapes included.
 */
import type { RawFix, RawIssue } from '../issue';
import { knownTablesCached } from '../knownTables';
import type { LoopRoot } from '../readConfigSource';
import { checkQuery, type QueryCheck } from '../sql/checkQuery';
import type { QueryProblem } from '../sql/queryProblem';
import { isSqlParserReady } from '../sql/sqlParser';
import { quoteString } from '../textFixes';
import { stringAt, stringOffset, type StringNode } from '../valueTree';
import type { RuleContext } from './ruleContext';

export interface SqlRuleResult {
  issues: RawIssue[];
  /** Check of the audience query, for the personalization rule (which fields the rows carry). */
  audience: QueryCheck | null;
}

export function checkSql(root: LoopRoot, ctx: RuleContext): SqlRuleResult {
  const result: SqlRuleResult = { issues: [], audience: null };
  const audience = stringAt(root.tree, ['steps', 0, 'condition', 'query']);
  const exit = stringAt(root.tree, ['exit', 'query']);
  if (!audience && !exit) return result;
  if (!isSqlParserReady()) {
    const node = (audience ?? exit) as StringNode;
    result.issues.push({ code: 'sql-parser-not-ready', severity: 'info', message: 'SQL checks start once the SQL parser has loaded.', start: node.span.start, end: node.span.end });
    return result;
  }
  const tables = ctx.project ? knownTablesCached(ctx.project) : null;
  const userTable = ctx.project?.userModel?.table ?? (ctx.project ? 'auth_user' : null);
  if (audience) {
    result.audience = checkQuery(audience.value, tables, { columns: ['id', 'email'], userTable });
    result.issues.push(...result.audience.problems.map((p) => toIssue(p, audience)));
  }
  if (exit) result.issues.push(...checkQuery(exit.value, tables, { columns: ['id'], userTable }).problems.map((p) => toIssue(p, exit)));
  return result;
}

function toIssue(problem: QueryProblem, node: StringNode): RawIssue {
  const start = stringOffset(node, problem.start);
  const end = Math.max(start, stringOffset(node, problem.end));
  const fixes: RawFix[] = (problem.candidates ?? []).map((name) => ({
    title: `Use '${name}'`,
    edits: [{ start, end, newText: escapeFor(name, node) }],
  }));
  if (problem.insert) {
    const at = stringOffset(node, problem.insert.at);
    fixes.push({ title: problem.insert.title, edits: [{ start: at, end: at, newText: escapeFor(problem.insert.text, node) }] });
  }
  if (problem.removeFrom !== undefined) {
    const from = stringOffset(node, problem.removeFrom);
    fixes.push({ title: 'Keep only the first statement', edits: [{ start: from, end: stringOffset(node, node.value.length), newText: '' }] });
  }
  return {
    code: problem.code,
    severity: problem.severity ?? 'error',
    message: problem.message,
    start,
    end,
    ...(fixes.length ? { fixes } : {}),
    data: { ...(problem.data ?? {}), ...(problem.candidates ? { candidates: problem.candidates } : {}) },
  };
}

/** Text inserted inside an existing literal must be escaped for that literal's quote. */
function escapeFor(text: string, node: StringNode): string {
  return quoteString(text, node.quote).slice(1, -1);
}
