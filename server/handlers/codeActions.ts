import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Issue } from '../core/config/issue';
import { TextIndex } from '../core/config/textIndex';
import { missingTemplateFiles, rewriteQueryEdit } from '../core/editor/extraFixes';
import { fixAllEdits } from '../core/editor/fixAll';
import type { ConfigAnalysis } from '../core/workspace/configAnalyses';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, ServerCommands } from '../protocol';
import { analyzeOpenConfig, type ServerContext } from './context';

/**
 * Quick fixes from diagnostic code + data (looked up in the shared analysis by code and range, never by
 * message), plus the "Fix all Skene problems" source action.
 */
export async function handleCodeActions(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  const uri = params.textDocument.uri;
  const analysis = await analyzeOpenConfig(ctx, uri);
  if (!analysis) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      const issue = issueFor(analysis, diagnostic);
      if (issue) actions.push(...quickFixes(ctx, analysis, issue, diagnostic));
    }
  }
  if (wants(only, FIX_ALL_KIND)) {
    const edits = fixAllEdits(analysis.result.issues);
    if (edits.length) actions.push({ title: 'Fix all Skene problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: edits } } });
  }
  return actions;
}

/** `only: ['source']` asks for source.fixAll.skene too; no `only` means every kind. */
function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/** The issue of the current version behind a diagnostic the client hands back, matched by code and range. */
function issueFor(analysis: ConfigAnalysis, diagnostic: Diagnostic): Issue | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data as { code?: unknown } | undefined;
  const code = diagnostic.code ?? data?.code;
  const same = (a: Diagnostic['range'], b: Issue['range']) =>
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
  return analysis.result.issues.find((issue) => issue.code === code && same(diagnostic.range, issue.range));
}

function quickFixes(ctx: ServerContext, analysis: ConfigAnalysis, issue: Issue, diagnostic: Diagnostic): CodeAction[] {
  const uri = analysis.uri;
  const fixes = issue.data?.fixes ?? [];
  const actions: CodeAction[] = fixes.map((fix, index) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: index === 0,
    edit: { changes: { [uri]: fix.edits } },
  }));
  if (issue.code === 'missing-template') actions.push(...createTemplateAction(ctx, analysis, issue, diagnostic));
  if (issue.code === 'sql-not-select') actions.push(...rewriteAction(analysis, issue, diagnostic));
  if (issue.code === 'manifest-stale') actions.push(regenerateAction(analysis, diagnostic));
  return actions;
}

/**
 * A stale loops.json: the server command rewrites only what the config change needs (regenerateWrites.ts), not a
 * whole Initialize. A command, not an edit: the plan needs the generators, too slow to run for every lightbulb.
 */
function regenerateAction(analysis: ConfigAnalysis, diagnostic: Diagnostic): CodeAction {
  const title = `Regenerate ${GENERATED_MANIFEST_FILE} (and the beat entry) from this config`;
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, command: { title, command: ServerCommands.regenerate, arguments: [{ root: analysis.state.root }] } };
}

function createTemplateAction(ctx: ServerContext, analysis: ConfigAnalysis, issue: Issue, diagnostic: Diagnostic): CodeAction[] {
  if (!ctx.features.documentChanges || !ctx.features.createFiles) return [];
  const files = missingTemplateFiles(analysis.result, issue.data);
  if (!files.length) return [];
  const edit: WorkspaceEdit = {
    documentChanges: files.flatMap((file) => {
      const uri = pathToFileURL(path.join(analysis.state.root, file.path)).href;
      return [
        { kind: 'create' as const, uri, options: { ignoreIfExists: true } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.content }] },
      ];
    }),
  };
  return [{ title: `Create ${files.map((f) => f.path).join(' and ')}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit }];
}

function rewriteAction(analysis: ConfigAnalysis, issue: Issue, diagnostic: Diagnostic): CodeAction[] {
  const index = new TextIndex(analysis.text);
  const edit = rewriteQueryEdit(analysis.result, index.offsetAt(issue.range.start));
  if (!edit) return [];
  const range = index.rangeOf(edit.start, edit.end);
  return [{ title: 'Rewrite as a SELECT of the same rows', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [analysis.uri]: [{ range, newText: edit.newText }] } } }];
}
