/**
 * The quick fix for `sql-not-select`: a DELETE or UPDATE becomes the SELECT of the users it would have
 * touched (same table, same WHERE), which is usually what the author of a condition meant. Other
 * statements (INSERT, DDL) have no such reading, so they get no fix.
 */

const DELETE = /^(\s*)delete\s+from\s+((?:"[^"]+"|[A-Za-z_][\w$.]*)(?:\s+(?:as\s+)?(?!where\b|using\b|returning\b)[A-Za-z_]\w*)?)\s*(.*)$/is;
const UPDATE = /^(\s*)update\s+((?:"[^"]+"|[A-Za-z_][\w$.]*)(?:\s+(?:as\s+)?(?!set\b)[A-Za-z_]\w*)?)\s+set\s+[\s\S]*?(\bwhere\b[\s\S]*)?$/i;

export function rewriteAsSelect(query: string): string | null {
  const del = DELETE.exec(query);
  if (del) return `${del[1] ?? ''}SELECT id, email FROM ${del[2] ?? ''}${tail(stripReturning(del[3] ?? ''))}`;
  const update = UPDATE.exec(query);
  if (update) return `${update[1] ?? ''}SELECT id, email FROM ${update[2] ?? ''}${tail(stripReturning(update[3] ?? ''))}`;
  return null;
}

function stripReturning(rest: string): string {
  return rest.replace(/\s*\breturning\b[\s\S]*$/i, '').replace(/;\s*$/, '');
}

function tail(rest: string): string {
  return rest.trim() ? ` ${rest.trim()}` : '';
}
