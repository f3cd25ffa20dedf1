/**
 * `forever-flag`: an audience condition like `AND re_engagement_sent = false` (the seed config's). Such a
 * flag, once set, keeps a user out for good: after they come back and go dormant again, nobody emails
 * them. Skene never sets it; its ledger sends once per dormancy episode instead (the cycle key is the
 * user's last activity) and ends sequences when users return. The query keeps working; this explains the
 * model and offers to drop the predicate.
 */
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { isSqlParserReady } from '../sql/sqlParser';
import { stringAt, stringOffset, type StringNode } from '../valueTree';
import type { RuleContext } from './ruleContext';

const FLAG_NAME = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*\.)?"?([A-Za-z_]*(?:sent|emailed|notified|contacted|re_?engaged)[A-Za-z0-9_]*)"?`;
const FALSE_TEST = String.raw`\s*(?:=\s*(?:false|'f'|0)\b|IS\s+(?:NOT\s+TRUE|FALSE)\b)`;
const PATTERNS = [
  new RegExp(String.raw`(\s+AND\s+)?\b${FLAG_NAME}${FALSE_TEST}`, 'gi'),
  new RegExp(String.raw`(\s+AND\s+)?\bNOT\s+${FLAG_NAME}\b`, 'gi'),
];

interface FlagMatch {
  column: string;
  /** Predicate span in the query (without the AND). */
  start: number;
  end: number;
  /** Span to delete for the fix (with the leading AND), or null when it is not a simple conjunct. */
  removal: { start: number; end: number } | null;
}

export function findForeverFlags(query: string): FlagMatch[] {
  const found: FlagMatch[] = [];
  for (const pattern of PATTERNS) {
    for (const match of query.matchAll(pattern)) {
      const and = match[1] ?? '';
      const start = (match.index ?? 0) + and.length;
      const end = (match.index ?? 0) + match[0].length;
      if (found.some((f) => f.start === start)) continue;
      found.push({ column: match[2] ?? '', start, end, removal: and ? { start: match.index ?? 0, end } : null });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function issueFor(node: StringNode, flag: FlagMatch): RawIssue {
  const message = `\`${flag.column}\` is a forever-flag: once set, a user who comes back and later goes dormant again is never emailed again, and Skene never sets it. Skene's ledger already sends once per dormancy episode (the cycle is the user's last activity) and ends a sequence when the user returns, so this condition can go.`;
  const fix = flag.removal ? [{ title: `Remove the ${flag.column} condition (the ledger's dormancy cycles replace it)`, edits: [{ start: stringOffset(node, flag.removal.start), end: stringOffset(node, flag.removal.end), newText: '' }] }] : undefined;
  return { code: 'forever-flag', severity: 'info', message, start: stringOffset(node, flag.start), end: stringOffset(node, flag.end), data: { column: flag.column }, ...(fix ? { fixes: fix } : {}) };
}

export function checkForeverFlags(root: LoopRoot, _ctx: RuleContext): RawIssue[] {
  const node = stringAt(root.tree, ['steps', 0, 'condition', 'query']);
  // A SQL check: it waits with the others until the parser has loaded (one sql-parser-not-ready info).
  if (!node || !isSqlParserReady()) return [];
  return findForeverFlags(node.value).map((flag) => issueFor(node, flag));
}
