/**
 * The one SQL gate for a loop's condition, on PostgreSQL's own parse tree (libpg-query): exactly one
 * SELECT, no data-modifying statement anywhere in it (CTEs included), no INTO, no locking clause, no
 * parameter markers, and only allowlisted functions, operators, casts and sampling methods. Pure: it
 * reads a parse tree and returns every problem with the byte offset where it starts. The checker
 * (server/core/config/sql) turns these into diagnostics; `sealCondition` refuses to write a condition
 * with any of them into loops.json; the TypeScript runtime runs it again before a run.
 */
import { ALLOWED_FUNCTIONS, ALLOWED_OPERATORS, ALLOWED_SAMPLING, ALLOWED_TYPES, refusalReason } from './conditionAllowlist';

export type GateCode =
  | 'syntax'
  | 'multiple_statements'
  | 'not_select'
  | 'data_modifying'
  | 'select_into'
  | 'locking'
  | 'function_not_allowed'
  | 'operator_not_allowed'
  | 'type_not_allowed'
  | 'parameter';

export interface GateProblem {
  code: GateCode;
  message: string;
  /** UTF-8 byte offset in the query, when PostgreSQL's tree records one. */
  location: number | null;
  /** The refused function, operator or type (or statement kind). */
  name?: string;
}

type Json = Record<string, unknown>;

export interface ParsedStatement {
  stmt: Json;
  stmt_location?: number;
}

const BUILTIN_SCHEMA = 'pg_catalog';

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const value = ((item as Json).String as Json | undefined)?.sval;
    return typeof value === 'string' ? value : '';
  });
}

function at(node: Json): number | null {
  return typeof node.location === 'number' && node.location >= 0 ? node.location : null;
}

function statementKind(key: string): string {
  return key.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

class GateWalker {
  readonly problems: GateProblem[] = [];

  walk(value: unknown, location: number | null): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, location);
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value as Json)) {
      const node = (child && typeof child === 'object' ? child : {}) as Json;
      const here = at(node) ?? location;
      if (key.endsWith('Stmt') && key !== 'SelectStmt') this.add('data_modifying', `the condition contains ${statementKind(key)}; a condition may only read`, here, statementKind(key));
      else if (key === 'SelectStmt') this.select(node, here);
      else if (key === 'FuncCall') this.func(node);
      else if (key === 'A_Expr') this.operator(names(node.name), here);
      else if (key === 'SubLink' && node.operName) this.operator(names(node.operName), here);
      else if (key === 'TypeName' || key === 'typeName') this.type(node);
      else if (key === 'ParamRef') this.add('parameter', 'parameter markers ($1) are not allowed in a condition: write the value in the query', here, `$${typeof node.number === 'number' ? node.number : ''}`);
      else if (key === 'RangeTableSample') this.sampling(node);
      this.walk(child, here);
    }
  }

  private add(code: GateCode, message: string, location: number | null, name?: string): void {
    this.problems.push({ code, message, location, ...(name !== undefined ? { name } : {}) });
  }

  private select(node: Json, location: number | null): void {
    if (node.intoClause) this.add('select_into', 'SELECT ... INTO creates a table; a condition may only read', at((node.intoClause as Json).rel as Json ?? {}) ?? location);
    if (node.lockingClause) this.add('locking', 'FOR UPDATE/SHARE locks rows the application may be writing; a condition may only read', location);
  }

  private func(node: Json): void {
    const parts = names(node.funcname);
    const name = (parts[parts.length - 1] ?? '').toLowerCase();
    const schema = parts.length > 1 ? parts[0] : null;
    if (schema !== null && schema !== BUILTIN_SCHEMA) {
      this.add('function_not_allowed', `function '${parts.join('.')}' is not allowed in a condition: it is a function of the project (schema ${schema}), which may write`, at(node), parts.join('.'));
    } else if (!ALLOWED_FUNCTIONS.has(name)) {
      this.add('function_not_allowed', `function '${name}' is not allowed in a condition: ${refusalReason(name)}`, at(node), name);
    }
  }

  private operator(parts: string[], location: number | null): void {
    const symbol = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[0] : null;
    if ((schema === null || schema === BUILTIN_SCHEMA) && ALLOWED_OPERATORS.has(symbol)) return;
    this.add('operator_not_allowed', `operator '${parts.join('.')}' is not allowed in a condition: only the operators of built-in types are`, location, parts.join('.'));
  }

  private type(node: Json): void {
    const parts = names(node.names);
    const name = (parts[parts.length - 1] ?? '').toLowerCase();
    const schema = parts.length > 1 ? parts[0] : null;
    if ((schema === null || schema === BUILTIN_SCHEMA) && ALLOWED_TYPES.has(name)) return;
    this.add('type_not_allowed', `cast to '${parts.join('.')}' is not allowed in a condition: only built-in types are (a cast to another type may run a project's function)`, at(node), parts.join('.'));
  }

  private sampling(node: Json): void {
    const parts = names(node.method);
    const name = (parts[parts.length - 1] ?? '').toLowerCase();
    if (parts.length === 1 && ALLOWED_SAMPLING.has(name)) return;
    this.add('function_not_allowed', `TABLESAMPLE method '${parts.join('.')}' is not allowed in a condition: use BERNOULLI or SYSTEM`, at(node), parts.join('.'));
  }
}

/** Every problem of a parsed condition (empty: the condition may run). */
export function gateStatements(statements: ParsedStatement[]): GateProblem[] {
  if (statements.length === 0) return [{ code: 'not_select', message: 'the condition is empty; write one SELECT', location: 0 }];
  if (statements.length > 1) {
    return [{ code: 'multiple_statements', message: `the condition must be one SELECT, found ${statements.length} statements`, location: statements[1]?.stmt_location ?? null }];
  }
  const first = statements[0] as ParsedStatement;
  const kind = Object.keys(first.stmt)[0] ?? 'nothing';
  if (kind !== 'SelectStmt') {
    return [{ code: 'not_select', message: `the condition must be a SELECT, found ${statementKind(kind)}`, location: first.stmt_location ?? 0, name: statementKind(kind) }];
  }
  const walker = new GateWalker();
  walker.walk(first.stmt, first.stmt_location ?? 0);
  return walker.problems;
}
