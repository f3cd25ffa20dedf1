/**
 * Output aliases of a query's top-level select list (`COALESCE(first_name, 'there') AS first_name`): the
 * name a `{{user.first_name}}` placeholder reads is the alias, not the column, so hover and definition
 * resolve it here first. Read from the light tokens, so a half-typed query still has its aliases.
 */
import type { SqlToken } from './sqlCursor';

export interface SelectAlias {
  /** Lower-cased (unquoted names fold to lower case in PostgreSQL). */
  name: string;
  /** Query indices of the alias name. */
  start: number;
  end: number;
  /** Query indices of the expression before AS. */
  expressionStart: number;
  expressionEnd: number;
}

export function selectAliases(tokens: SqlToken[]): SelectAlias[] {
  const select = tokens.findIndex((t) => t.kind === 'word' && t.text === 'select');
  if (select < 0) return [];
  const aliases: SelectAlias[] = [];
  let depth = 0;
  let itemStart = select + 1;
  for (let i = select + 1; i <= tokens.length; i++) {
    const token = tokens[i];
    if (token?.text === '(') depth++;
    else if (token?.text === ')') depth--;
    const endsItem = !token || (depth === 0 && (token.text === ',' || (token.kind === 'word' && token.text === 'from')));
    if (!endsItem) continue;
    const alias = aliasOf(tokens.slice(itemStart, i));
    if (alias) aliases.push(alias);
    if (!token || token.text !== ',') break;
    itemStart = i + 1;
  }
  return aliases;
}

/** `<expression> AS <name>` -> the alias; an item without AS has none. */
function aliasOf(item: SqlToken[]): SelectAlias | null {
  const name = item[item.length - 1];
  const as = item[item.length - 2];
  const first = item[0];
  if (!name || !first || as?.kind !== 'word' || as.text !== 'as' || name.kind === 'other' || item.length < 3) return null;
  const last = item[item.length - 3] ?? first;
  return { name: name.text, start: name.start, end: name.end, expressionStart: first.start, expressionEnd: last.end };
}
