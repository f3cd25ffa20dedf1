/**
 * The config checker's entry: text of skene.config.ts + the ProjectModel in, issues and parsed loops out.
 * Pure and synchronous (the language server calls it per keystroke); call `loadSqlParser()` once before,
 * or SQL checks report `sql-parser-not-ready`.
 */
import type { Loop } from '../../../sdk/types';
import { toManifest, type ManifestLoop } from '../../../sdk/manifest';
import type { ProjectModel } from '../django/projectModel';
import type { CheckOptions } from './checkOptions';
import type { Issue, RawIssue } from './issue';
import { readConfigSource, type ConfigSource, type LoopRoot } from './readConfigSource';
import { checkCron, loopTimeZone } from './rules/cronRule';
import { checkDatabase, checkStaleReadings } from './rules/databaseRule';
import { checkForeverFlags } from './rules/foreverFlagRule';
import { checkManifestFreshness } from './rules/manifestRule';
import { checkPersonalization } from './rules/personalizationRule';
import { checkProviders } from './rules/providerRule';
import type { RuleContext } from './rules/ruleContext';
import { checkSchema } from './rules/schemaRule';
import { checkSensitiveColumns } from './rules/sensitiveFieldRule';
import { checkPlaceholderSyntax } from './rules/placeholderSyntaxRule';
import { checkSql } from './rules/sqlRule';
import { checkStripeAudience } from './rules/stripeAudienceRule';
import { checkTemplates } from './rules/templateRule';
import { userTableOf } from './rules/missingKeyValues';
import { starterConfig } from './starterConfig';
import type { Range } from './textIndex';
import { computedNodes } from './toPlainValue';
import { stringAt, type Span, type ValueNode } from './valueTree';

export interface ParsedLoop {
  index: number;
  /** The loop id as written (or its type when no id is given); null when not known statically. */
  id: string | null;
  tree: ValueNode;
  range: Range;
  anchor: Span;
  /** The loop with defaults applied, when it is valid and fully static. */
  loop: Loop | null;
  manifest: ManifestLoop | null;
}

export interface CheckResult {
  issues: Issue[];
  loops: ParsedLoop[];
}

const MAX_SYNTAX_ERRORS = 20;

export function checkConfig(text: string, project: ProjectModel | null, options: CheckOptions = {}): CheckResult {
  const source = readConfigSource(text);
  const ctx: RuleContext = { text, project, options };
  const raw: RawIssue[] = source.syntaxErrors.slice(0, MAX_SYNTAX_ERRORS).map((e) => ({ code: 'syntax-error', severity: 'error', message: /[.!?]$/.test(e.message) ? e.message : `${e.message}.`, start: e.start, end: e.end }));
  if (!source.loops.length) raw.push(missingExport(source, ctx));
  const loops = source.loops.map((root) => checkLoop(root, ctx, source, raw));
  raw.push(...duplicateIds(loops));
  raw.push(...checkManifestFreshness(loops, ctx));
  return { issues: finish(raw, source), loops };
}

function checkLoop(root: LoopRoot, ctx: RuleContext, source: ConfigSource, raw: RawIssue[]): ParsedLoop {
  for (const node of computedNodes(root.tree)) {
    raw.push({ code: 'not-statically-checked', severity: 'info', message: `\`${abbreviate(node.kind === 'computed' ? node.text : '')}\` is computed when the file runs, so it is not checked statically; \`skene run\` validates it at start-up.`, start: node.span.start, end: node.span.end });
  }
  const schema = checkSchema(root, ctx);
  raw.push(...schema.issues);
  if (root.tree.kind === 'object') {
    raw.push(...checkCron(root, ctx));
    const sql = checkSql(root, ctx);
    raw.push(...sql.issues);
    raw.push(...checkSensitiveColumns(stringAt(root.tree, ['steps', 0, 'condition', 'query']), sql.audience));
    raw.push(...checkPlaceholderSyntax(root));
    raw.push(...checkPersonalization(root, ctx, sql.audience));
    raw.push(...checkTemplates(root, ctx));
    raw.push(...checkProviders(root, ctx));
    raw.push(...checkDatabase(root, ctx), ...checkStaleReadings(root, ctx));
    raw.push(...checkForeverFlags(root, ctx));
    raw.push(...checkStripeAudience(root, ctx));
  }
  const id = stringAt(root.tree, ['id'])?.value ?? stringAt(root.tree, ['type'])?.value ?? null;
  const manifest = schema.loop ? toManifest([schema.loop], { defaultTimezone: loopTimeZone(root, ctx) }).loops[0] ?? null : null;
  return { index: root.index, id, tree: root.tree, range: source.index.rangeOf(root.tree.span.start, root.tree.span.end), anchor: root.anchor, loop: schema.loop, manifest };
}

function abbreviate(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

function missingExport(source: ConfigSource, ctx: RuleContext): RawIssue {
  const firstLineEnd = source.text.search(/\r?\n|$/);
  const at = source.exportSpan ?? { start: 0, end: firstLineEnd };
  const onlyWhitespace = source.text.trim() === '';
  return {
    code: 'missing-default-export',
    severity: 'error',
    message: 'skene.config.ts must `export default defineLoop({ ... })` (or an array of loops).',
    start: at.start,
    end: at.end,
    ...(onlyWhitespace ? { fixes: [{ title: 'Add a starter loop', edits: [{ start: 0, end: source.text.length, newText: starterConfig(userTableOf(ctx)) }] }] } : {}),
  };
}

function duplicateIds(loops: ParsedLoop[]): RawIssue[] {
  const seen = new Set<string>();
  const issues: RawIssue[] = [];
  for (const loop of loops) {
    if (loop.id === null) continue;
    if (seen.has(loop.id)) {
      const node = stringAt(loop.tree, ['id']);
      const span = node?.span ?? loop.anchor;
      issues.push({ code: 'duplicate-loop-id', severity: 'error', message: `Two loops share the id '${loop.id}'; ledger rows are keyed by it. Give each loop its own \`id\`.`, start: span.start, end: span.end, data: { id: loop.id } });
    }
    seen.add(loop.id);
  }
  return issues;
}

/** Offsets -> LSP ranges, duplicates dropped, sorted by position. */
function finish(raw: RawIssue[], source: ConfigSource): Issue[] {
  const seen = new Set<string>();
  const sorted = [...raw].sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
  const issues: Issue[] = [];
  for (const issue of sorted) {
    const key = `${issue.code}:${issue.start}:${issue.end}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const fixes = issue.fixes?.map((fix) => ({ title: fix.title, edits: fix.edits.map((e) => ({ range: source.index.rangeOf(e.start, e.end), newText: e.newText })) }));
    const data = fixes || issue.data ? { ...(issue.data ?? {}), ...(fixes ? { fixes } : {}) } : undefined;
    issues.push({ code: issue.code, severity: issue.severity, message: issue.message, range: source.index.rangeOf(issue.start, issue.end), ...(data ? { data } : {}) });
  }
  return issues;
}
