/**
 * `sensitive-column`: a loop query must not select a credential column (a password hash, a secret, a token).
 * The rows a query returns travel into the runtime, the send ledger's logs and the email renderer; a
 * password hash has no business in any of them. `SELECT *` over a table with such a column counts too.
 */
import { isSensitiveFieldName } from '../../../protocol';
import type { RawIssue } from '../issue';
import type { QueryCheck } from '../sql/checkQuery';
import { stringOffset, type StringNode } from '../valueTree';

export function checkSensitiveColumns(query: StringNode | undefined, audience: QueryCheck | null): RawIssue[] {
  const sensitive = [...new Set((audience?.output ?? []).filter(isSensitiveFieldName))];
  if (!query || !sensitive.length) return [];
  return sensitive.map((column) => {
    const at = selectedAt(query.value, column);
    const viaStar = at?.star === true;
    return {
      code: 'sensitive-column',
      severity: 'error',
      message: viaStar
        ? `\`*\` selects '${column}', a credential column; list the columns the emails need instead (e.g. id, email, first_name).`
        : `'${column}' is a credential column; a loop query must not select it. Remove it from the select list.`,
      start: stringOffset(query, at?.start ?? 0),
      end: stringOffset(query, at?.end ?? query.value.length),
      data: { column },
    };
  });
}

/** Where the select list names the column, else where `*` is; null when neither is found. */
function selectedAt(query: string, column: string): { start: number; end: number; star: boolean } | null {
  const selectEnd = /\bselect\b/i.exec(query);
  const from = selectEnd ? selectEnd.index + selectEnd[0].length : 0;
  const fromAt = /\bfrom\b/i.exec(query.slice(from));
  const list = query.slice(from, fromAt ? from + fromAt.index : query.length);
  const named = new RegExp(`(?:[A-Za-z_][A-Za-z0-9_]*\\.)?"?\\b${column.replace(/[^A-Za-z0-9_]/g, '')}\\b"?`, 'i').exec(list);
  if (named) return { start: from + named.index, end: from + named.index + named[0].length, star: false };
  const star = list.indexOf('*');
  return star >= 0 ? { start: from + star, end: from + star + 1, star: true } : null;
}
