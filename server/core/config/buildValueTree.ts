/**
 * Turns a TypeScript expression into a value tree node. Literals become values with their ranges;
 * `as const`, `satisfies`, parentheses and type assertions are looked through; anything computed
 * (identifiers, calls, `${}` templates, spreads) becomes a `computed` node.
 */
import ts from 'typescript';
import { buildOffsetMap } from './stringOffsets';
import type { TextIndex } from './textIndex';
import type { Loc, ObjectNode, PropertyNode, Span, ValueNode } from './valueTree';

export interface TreeContext {
  file: ts.SourceFile;
  index: TextIndex;
}

export function unwrapExpression(expr: ts.Expression): ts.Expression {
  let current = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
    else if (ts.isTypeAssertionExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else return current;
  }
}

export function spanOf(node: ts.Node, ctx: TreeContext): Span {
  return { start: node.getStart(ctx.file), end: node.getEnd() };
}

export function locOf(span: Span, ctx: TreeContext): Loc {
  const start = ctx.index.positionAt(span.start);
  const end = ctx.index.positionAt(span.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function isMissing(expr: ts.Expression, ctx: TreeContext): boolean {
  return ts.isIdentifier(expr) && (expr.text === '' || expr.getStart(ctx.file) >= expr.getEnd());
}

export function buildValueTree(input: ts.Expression, ctx: TreeContext): ValueNode {
  const expr = unwrapExpression(input);
  const span = spanOf(expr, ctx);
  const base = { span, loc: locOf(span, ctx) };
  if (isMissing(expr, ctx)) return { kind: 'missing', ...base };
  if (ts.isObjectLiteralExpression(expr)) return buildObject(expr, ctx);
  if (ts.isArrayLiteralExpression(expr)) {
    const elements = expr.elements.map((element) => buildValueTree(element, ctx));
    return { kind: 'array', ...base, elements, opaque: expr.elements.some(ts.isSpreadElement) };
  }
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return buildString(expr, ctx);
  if (ts.isNumericLiteral(expr)) return { kind: 'number', ...base, value: Number(expr.text) };
  if (ts.isPrefixUnaryExpression(expr) && ts.isNumericLiteral(expr.operand) && expr.operator === ts.SyntaxKind.MinusToken) {
    return { kind: 'number', ...base, value: -Number(expr.operand.text) };
  }
  if (expr.kind === ts.SyntaxKind.TrueKeyword || expr.kind === ts.SyntaxKind.FalseKeyword) {
    return { kind: 'boolean', ...base, value: expr.kind === ts.SyntaxKind.TrueKeyword };
  }
  if (expr.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null', ...base };
  return { kind: 'computed', ...base, text: ctx.file.text.slice(span.start, span.end) };
}

function buildString(expr: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, ctx: TreeContext): ValueNode {
  const span = spanOf(expr, ctx);
  const template = ts.isNoSubstitutionTemplateLiteral(expr);
  const contentStart = span.start + 1;
  // An unterminated literal (half-typed file) has no closing quote to skip.
  const closing = ctx.file.text[span.end - 1];
  const quote = (ctx.file.text[span.start] ?? "'") as "'" | '"' | '`';
  const contentEnd = span.end - span.start >= 2 && closing === quote ? span.end - 1 : span.end;
  const raw = ctx.file.text.slice(contentStart, contentEnd);
  let offsetMap = buildOffsetMap(raw, contentStart, template);
  // Guard against an escape form we do not map: fall back to plain offsets rather than wrong ones.
  if (offsetMap && offsetMap.length !== expr.text.length + 1) offsetMap = null;
  return { kind: 'string', span, loc: locOf(span, ctx), value: expr.text, contentStart, offsetMap, template, quote };
}

function buildObject(expr: ts.ObjectLiteralExpression, ctx: TreeContext): ObjectNode {
  const span = spanOf(expr, ctx);
  const properties: PropertyNode[] = [];
  let opaque = false;
  for (const member of expr.properties) {
    const key = propertyKey(member);
    if (key === null) {
      opaque = true;
      continue;
    }
    const name = (member as ts.PropertyAssignment).name;
    const keySpan = spanOf(name, ctx);
    const value: ValueNode = ts.isPropertyAssignment(member)
      ? buildValueTree(member.initializer, ctx)
      : { kind: 'computed', span: keySpan, loc: locOf(keySpan, ctx), text: ctx.file.text.slice(keySpan.start, keySpan.end) };
    properties.push({ key, keySpan, span: spanOf(member, ctx), value });
  }
  return { kind: 'object', span, loc: locOf(span, ctx), properties, opaque };
}

/** The static key of an object member, or null for spreads, computed keys and methods. */
function propertyKey(member: ts.ObjectLiteralElementLike): string | null {
  if (!ts.isPropertyAssignment(member) && !ts.isShorthandPropertyAssignment(member)) return null;
  const name = member.name;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
    return name.text;
  }
  return null;
}
