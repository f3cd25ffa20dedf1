/**
 * What the names of a loop query refer to in the project: a table (FROM/JOIN) to its Django model, a
 * column (bare or `alias.column`) to the field of one of the queried tables. Hover, definition, semantic
 * tokens and inlay hints all resolve names here, so they agree.
 */
import type { DjangoField, DjangoModel, ProjectModel } from '../django/projectModel';
import { fieldOf, modelForTable } from './projectLookup';
import { fromTables, sqlNameAt, tokenizeSql, type FromTable, type SqlToken } from './sqlCursor';

export type SqlReference =
  | { kind: 'table'; model: DjangoModel; start: number; end: number }
  | { kind: 'column'; model: DjangoModel; field: DjangoField; start: number; end: number };

export interface ReadQuery {
  tokens: SqlToken[];
  tables: FromTable[];
}

export function readQuery(query: string): ReadQuery {
  const tokens = tokenizeSql(query);
  return { tokens, tables: fromTables(tokens) };
}

/** The reference under query index `index`, or null (a keyword, a function, an unknown name). */
export function sqlReferenceAt(project: ProjectModel, query: ReadQuery, index: number): SqlReference | null {
  const name = sqlNameAt(query.tokens, index);
  if (!name) return null;
  return resolveName(project, query.tables, name);
}

/** Every name of the query that resolves to the project, in order (for semantic tokens). */
export function sqlReferences(project: ProjectModel, query: ReadQuery): SqlReference[] {
  const found: SqlReference[] = [];
  query.tokens.forEach((token, i) => {
    if (token.kind === 'other') return;
    const previous = query.tokens[i - 1];
    const next = query.tokens[i + 1];
    // `AS name` declares an output name and `name(` calls a function: neither is a project column.
    if (previous?.kind === 'word' && previous.text === 'as') return;
    if (next?.text === '(') return;
    const reference = sqlReferenceAt(project, query, token.start);
    if (reference && reference.start === token.start) found.push(reference);
  });
  return found;
}

function resolveName(project: ProjectModel, tables: FromTable[], name: { name: string; qualifier: string | null; start: number; end: number }): SqlReference | null {
  const range = { start: name.start, end: name.end };
  if (!name.qualifier) {
    const asTable = tables.find((t) => t.start === name.start) ?? tables.find((t) => t.alias === name.name) ?? tables.find((t) => t.table === name.name);
    const model = asTable ? modelForTable(project, asTable.table) : undefined;
    if (model) return { kind: 'table', model, ...range };
    if (asTable) return null;
  }
  const candidates = name.qualifier ? tables.filter((t) => t.alias === name.qualifier || t.table === name.qualifier) : tables;
  for (const table of candidates) {
    const model = modelForTable(project, table.table);
    const field = model ? fieldOf(model, name.name) : undefined;
    if (model && field) return { kind: 'column', model, field, ...range };
  }
  return null;
}
