/**
 * What `{{user.<name>}}` reads: the audience query's output column of that name. When the query renames
 * an expression (`COALESCE(first_name, 'there') AS first_name`) that is the alias; otherwise the user
 * model's field. Hover and definition both ask here.
 */
import type { ParsedLoop } from '../config/checkConfig';
import { stringAt, type StringNode } from '../config/valueTree';
import type { DjangoField, DjangoModel, ProjectModel } from '../django/projectModel';
import { fieldOf } from './projectLookup';
import { selectAliases, type SelectAlias } from './selectAliases';
import { tokenizeSql } from './sqlCursor';

export interface PlaceholderTarget {
  alias: { query: StringNode; alias: SelectAlias } | null;
  field: { model: DjangoModel; field: DjangoField } | null;
}

export function placeholderTarget(project: ProjectModel | null, loop: ParsedLoop, name: string): PlaceholderTarget | null {
  const query = stringAt(loop.tree, ['steps', 0, 'condition', 'query']);
  const alias = query ? selectAliases(tokenizeSql(query.value)).find((a) => a.name === name.toLowerCase()) : undefined;
  const user = project?.userModel;
  const field = user ? fieldOf(user, name) : undefined;
  if (!alias && !field) return null;
  return { alias: query && alias ? { query, alias } : null, field: user && field ? { model: user, field } : null };
}
