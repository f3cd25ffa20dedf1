import type { Loc, ModuleIr, Stmt } from './pyIr';

/** Moves every location of a chunk's statements down by `lines` (chunks are parsed on their own). */
export function shiftIr(ir: ModuleIr, lines: number): ModuleIr {
  if (lines === 0) return ir;
  return { body: ir.body.map((s) => shiftStmt(s, lines)), errorLines: ir.errorLines.map((l) => l + lines) };
}

function shiftLoc(loc: Loc, lines: number): Loc {
  return { line: loc.line + lines, column: loc.column, endLine: loc.endLine + lines, endColumn: loc.endColumn };
}

function shiftBody(body: Stmt[], lines: number): Stmt[] {
  return body.map((s) => shiftStmt(s, lines));
}

function shiftStmt(stmt: Stmt, lines: number): Stmt {
  const loc = shiftLoc(stmt.loc, lines);
  switch (stmt.k) {
    case 'assign':
    case 'augassign':
      return { ...stmt, loc, valueLoc: shiftLoc(stmt.valueLoc, lines) };
    case 'class':
    case 'block':
      return { ...stmt, loc, body: shiftBody(stmt.body, lines) };
    case 'if':
      return { ...stmt, loc, body: shiftBody(stmt.body, lines), orelse: shiftBody(stmt.orelse, lines) };
    case 'try':
      return {
        ...stmt,
        loc,
        body: shiftBody(stmt.body, lines),
        handlers: stmt.handlers.map((h) => shiftBody(h, lines)),
        orelse: shiftBody(stmt.orelse, lines),
        final: shiftBody(stmt.final, lines),
      };
    case 'def':
      return { ...stmt, loc, body: stmt.body ? shiftBody(stmt.body, lines) : null };
    default:
      return { ...stmt, loc };
  }
}
