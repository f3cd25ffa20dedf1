/**
 * Static reading of skene.config.ts: finds the default export and the loops in it, without running
 * anything. Accepted shapes:
 *   export default defineLoop({...})            const loop = defineLoop({...}); export default loop
 *   export default defineLoops([{...}, ...])    export default [defineLoop({...}), ...]
 *   export default {...} (satisfies LoopConfig)
 */
import ts from 'typescript';
import { buildValueTree, spanOf, unwrapExpression, type TreeContext } from './buildValueTree';
import { parseConfigText, syntaxProblems, type SyntaxProblem } from './tsConfigProject';
import { TextIndex } from './textIndex';
import type { Span, ValueNode } from './valueTree';

export interface LoopRoot {
  /** Position in the file's list of loops. */
  index: number;
  tree: ValueNode;
  /** Where a loop-wide problem is reported: the `defineLoop` name, else the start of the value. */
  anchor: Span;
}

export interface ConfigSource {
  text: string;
  index: TextIndex;
  syntaxErrors: SyntaxProblem[];
  /** The `export default ...` statement, if any. */
  exportSpan: Span | null;
  /** The file's shape allows several loops (array / defineLoops). */
  multi: boolean;
  loops: LoopRoot[];
}

const MAX_ALIAS_DEPTH = 8;

export function readConfigSource(text: string): ConfigSource {
  const file = parseConfigText(text);
  const index = new TextIndex(text);
  const ctx: TreeContext = { file, index };
  const source: ConfigSource = { text, index, syntaxErrors: syntaxProblems(file), exportSpan: null, multi: false, loops: [] };
  const exported = findDefaultExport(file);
  if (!exported) return source;
  source.exportSpan = spanOf(exported, ctx);
  collectLoops(exported.expression, ctx, source, 0, null);
  return source;
}

function findDefaultExport(file: ts.SourceFile): ts.ExportAssignment | undefined {
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return statement;
  }
  return undefined;
}

/** The initializer of a top-level `const name = ...`, so `export default loop` can be followed. */
function resolveIdentifier(name: string, file: ts.SourceFile): ts.Expression | undefined {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return declaration.initializer;
    }
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
}

function collectLoops(input: ts.Expression, ctx: TreeContext, source: ConfigSource, depth: number, anchor: Span | null): void {
  const expr = unwrapExpression(input);
  if (ts.isIdentifier(expr) && depth < MAX_ALIAS_DEPTH) {
    const initializer = resolveIdentifier(expr.text, ctx.file);
    if (initializer) return collectLoops(initializer, ctx, source, depth + 1, anchor);
  }
  if (ts.isCallExpression(expr)) {
    const name = calleeName(expr);
    const argument = expr.arguments[0];
    if ((name === 'defineLoop' || name === 'defineLoops') && argument) {
      return collectLoops(argument, ctx, source, depth + 1, anchor ?? spanOf(expr.expression, ctx));
    }
  }
  if (ts.isArrayLiteralExpression(expr) && depth < MAX_ALIAS_DEPTH) {
    source.multi = true;
    for (const element of expr.elements) collectLoops(element, ctx, source, depth + 1, null);
    return;
  }
  const tree = buildValueTree(expr, ctx);
  const span = anchor ?? { start: tree.span.start, end: Math.min(tree.span.end, tree.span.start + 1) };
  source.loops.push({ index: source.loops.length, tree, anchor: span });
}
