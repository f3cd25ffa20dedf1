/**
 * Tables and columns of a SELECT checked against the project's tables, scope by scope: FROM items
 * (tables, aliases, joins, sub-selects, CTEs) define what a column reference may name; sub-queries see
 * their outer scopes. Also works out the query's output columns (for the id/email and placeholder rules).
 */
import { didYouMean } from '../didYouMean';
import type { KnownTables } from '../knownTables';
import type { QueryProblem } from './queryProblem';
import { readIdentifierChain } from './queryPositions';

type Json = Record<string, unknown>;

/** libpg-query's JSON holds names as strings; anything else (absent, a node) reads as `fallback`. */
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

interface ScopeEntry {
  alias: string;
  table: string | null;
  /** null: unknown (sub-select with *, function, unknown table) — references to it are not checked. */
  columns: string[] | null;
}

interface Scope {
  entries: ScopeEntry[];
  parent: Scope | null;
  /** Select-list aliases (ORDER BY / GROUP BY may name them). */
  outputNames: string[];
}

export interface ReferenceResult {
  problems: QueryProblem[];
  /** Output column names of the top-level SELECT; null when not known statically. */
  output: string[] | null;
  /** FROM entries of the top-level SELECT (alias -> table), for fixes that qualify a column. */
  topEntries: Array<{ alias: string; table: string | null }>;
  /** Index of the first select-list item of the top-level SELECT. */
  firstTarget: number | null;
}

class Walker {
  readonly problems: QueryProblem[] = [];
  private readonly ctes = new Map<string, string[] | null>();

  constructor(
    private readonly query: string,
    private readonly tables: KnownTables,
    private readonly toIndex: (byte: number) => number,
  ) {}

  select(node: Json, parent: Scope | null): { output: string[] | null; scope: Scope } {
    const scope: Scope = { entries: [], parent, outputNames: [] };
    if (node.op && node.op !== 'SETOP_NONE') {
      const left = this.select(node.larg as Json, parent);
      this.select(node.rarg as Json, parent);
      return left;
    }
    for (const cte of (((node.withClause as Json | undefined)?.ctes ?? []) as Json[])) {
      const body = cte.CommonTableExpr as Json | undefined;
      const inner = (body?.ctequery as Json | undefined)?.SelectStmt as Json | undefined;
      this.ctes.set(text(body?.ctename), inner ? this.select(inner, parent).output : null);
    }
    for (const item of (node.fromClause ?? []) as Json[]) this.fromItem(item, scope);
    const output = this.targets((node.targetList ?? []) as Json[], scope);
    scope.outputNames = output ?? [];
    for (const key of ['whereClause', 'groupClause', 'havingClause', 'sortClause', 'distinctClause', 'windowClause', 'limitCount', 'limitOffset', 'valuesLists']) {
      this.expression(node[key], scope);
    }
    return { output, scope };
  }

  private fromItem(item: Json, scope: Scope): void {
    if (item.RangeVar) return this.rangeVar(item.RangeVar as Json, scope);
    if (item.JoinExpr) {
      const join = item.JoinExpr as Json;
      this.fromItem(join.larg as Json, scope);
      this.fromItem(join.rarg as Json, scope);
      return this.expression(join.quals, scope);
    }
    if (item.RangeSubselect) {
      const sub = item.RangeSubselect as Json;
      const inner = (sub.subquery as Json | undefined)?.SelectStmt as Json | undefined;
      const output = inner ? this.select(inner, sub.lateral ? scope : scope.parent).output : null;
      const alias = text((sub.alias as Json | undefined)?.aliasname);
      scope.entries.push({ alias, table: null, columns: output });
      return;
    }
    // Functions in FROM (generate_series, ...) and anything else: known to exist, columns unknown.
    const alias = text(((Object.values(item)[0] as Json | undefined)?.alias as Json | undefined)?.aliasname);
    scope.entries.push({ alias, table: null, columns: null });
    this.expression(item, scope);
  }

  private rangeVar(rangeVar: Json, scope: Scope): void {
    const name = text(rangeVar.relname);
    const alias = text((rangeVar.alias as Json | undefined)?.aliasname, name);
    const schema = rangeVar.schemaname as string | undefined;
    if (!schema && this.ctes.has(name)) {
      scope.entries.push({ alias, table: null, columns: this.ctes.get(name) ?? null });
      return;
    }
    const known = schema && schema !== 'public' ? undefined : this.tables.get(name);
    scope.entries.push({ alias, table: name, columns: known ? known.columns : null });
    if (known || (schema && schema !== 'public')) return;
    const parts = readIdentifierChain(this.query, this.toIndex(Number(rangeVar.location ?? 0)));
    const part = parts[parts.length - 1];
    const candidates = didYouMean(name, this.tables.keys(), 3);
    const hint = candidates[0] ? ` Did you mean '${candidates[0]}'?` : '';
    this.problems.push({
      code: 'unknown-table',
      message: `Table '${name}' is not in this project's models, Django's tables or Skene's tables.${hint}`,
      start: part?.start ?? 0,
      end: part?.end ?? this.query.length,
      candidates,
      data: { table: name },
    });
  }

  /** Walks an expression tree: column references are checked, sub-selects get their own scope. */
  expression(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.expression(item, scope);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Json)) {
      if (key === 'ColumnRef') this.columnRef(child as Json, scope);
      else if (key === 'SelectStmt') this.select(child as Json, scope);
      else this.expression(child, scope);
    }
  }

  private targets(list: Json[], scope: Scope): string[] | null {
    let output: string[] | null = [];
    for (const item of list) {
      const target = item.ResTarget as Json | undefined;
      if (!target) continue;
      this.expression(target.val, scope);
      const names = outputNames(target, scope);
      output = output && names ? [...output, ...names] : null;
    }
    return output;
  }

  private columnRef(ref: Json, scope: Scope): void {
    const fields = (ref.fields ?? []) as Json[];
    const names = fields.map((f) => (f.String ? String((f.String as Json).sval) : '*'));
    if (names.length > 2 || names.length === 0) return;
    const parts = readIdentifierChain(this.query, this.toIndex(Number(ref.location ?? 0)));
    if (names.length === 1) return this.unqualified(names[0] ?? '', parts, scope);
    return this.qualified(names[0] ?? '', names[1] ?? '', parts, scope);
  }

  private unqualified(column: string, parts: Array<{ start: number; end: number }>, scope: Scope): void {
    if (column === '*') return;
    const visible: string[] = [];
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.outputNames.includes(column)) return;
      for (const entry of s.entries) {
        if (!entry.columns || entry.columns.includes(column)) return;
        visible.push(...entry.columns);
      }
    }
    // No FROM at all (SELECT now()): a bare name would be a PostgreSQL error, but not one about our tables.
    if (!visible.length) return;
    this.unknownColumn(column, visible, parts[0], scope.entries.map((e) => e.table ?? e.alias).join(', '));
  }

  private qualified(qualifier: string, column: string, parts: Array<{ start: number; end: number }>, scope: Scope): void {
    const aliases: string[] = [];
    for (let s: Scope | null = scope; s; s = s.parent) {
      const entry = s.entries.find((e) => e.alias === qualifier);
      if (entry) {
        if (column === '*' || !entry.columns || entry.columns.includes(column)) return;
        return this.unknownColumn(column, entry.columns, parts[1], entry.table ?? qualifier, entry.table);
      }
      aliases.push(...s.entries.map((e) => e.alias));
    }
    const candidates = didYouMean(qualifier, aliases, 3);
    this.problems.push({
      code: 'unknown-table',
      message: `'${qualifier}' is not a table or alias in the FROM clause${candidates[0] ? `. Did you mean '${candidates[0]}'?` : `; add it to FROM or use one of: ${aliases.join(', ')}`}.`,
      start: parts[0]?.start ?? 0,
      end: parts[0]?.end ?? 0,
      candidates,
      data: { alias: qualifier },
    });
  }

  private unknownColumn(column: string, visible: string[], part: { start: number; end: number } | undefined, where: string, table?: string | null): void {
    const candidates = didYouMean(column, visible, 3);
    const m2m = table ? this.tables.get(table)?.manyToMany?.[column] : undefined;
    const hint = candidates[0] ? ` Did you mean '${candidates[0]}'?` : ' Add it to the model (and a migration) or use an existing column.';
    const join = m2m?.throughTable
      ? ` ${column} is a many-to-many field: join ${m2m.throughTable}${m2m.sourceColumn && m2m.targetColumn ? ` (${m2m.sourceColumn}, ${m2m.targetColumn})` : ''}.`
      : null;
    this.problems.push({
      code: 'unknown-column',
      message: `Column '${column}' does not exist in ${where}.${join ?? hint}`,
      start: part?.start ?? 0,
      end: part?.end ?? 0,
      candidates,
      data: { column },
    });
  }
}

/** Names a select-list item produces (PostgreSQL's rules for unnamed items), null when unknown. */
function outputNames(target: Json, scope: Scope): string[] | null {
  if (typeof target.name === 'string') return [target.name];
  const value = target.val as Json | undefined;
  const cast = (value?.TypeCast as Json | undefined)?.arg as Json | undefined;
  const ref = (value?.ColumnRef ?? cast?.ColumnRef) as Json | undefined;
  if (ref) {
    const names = ((ref.fields ?? []) as Json[]).map((f) => (f.String ? String((f.String as Json).sval) : '*'));
    const last = names[names.length - 1] ?? '';
    if (last !== '*') return [last];
    const entries = names.length === 1 ? scope.entries : scope.entries.filter((e) => e.alias === names[0]);
    if (!entries.length || entries.some((e) => !e.columns)) return null;
    return entries.flatMap((e) => e.columns ?? []);
  }
  const call = value?.FuncCall as Json | undefined;
  if (call) {
    const names = (call.funcname ?? []) as Json[];
    return [text(((names[names.length - 1])?.String as Json | undefined)?.sval, '?column?')];
  }
  return ['?column?'];
}

export function checkQueryReferences(query: string, select: Json, tables: KnownTables, toIndex: (byte: number) => number): ReferenceResult {
  const walker = new Walker(query, tables, toIndex);
  const { output, scope } = walker.select(select, null);
  const first = ((select.targetList ?? []) as Json[])[0]?.ResTarget as Json | undefined;
  return {
    problems: walker.problems,
    output,
    topEntries: scope.entries.map((e) => ({ alias: e.alias, table: e.table })),
    firstTarget: first ? toIndex(Number(first.location ?? 0)) : null,
  };
}
