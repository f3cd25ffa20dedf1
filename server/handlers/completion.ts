import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver/node';
import { completionsAt, type CompletionKind } from '../core/editor/completions';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  field: CompletionItemKind.Field,
  table: CompletionItemKind.Class,
  column: CompletionItemKind.Field,
  template: CompletionItemKind.File,
  timezone: CompletionItemKind.Value,
};

/** Characters after which the client asks without waiting for a word: `{{user.`, `alias.`, an opening quote. */
export const COMPLETION_TRIGGERS = ['.', "'", '"', '`'];

export async function handleCompletion(ctx: ServerContext, params: CompletionParams): Promise<CompletionList> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return { isIncomplete: false, items: [] };
  const entries = completionsAt(viewOf(analysis), document.offsetAt(params.position));
  const items = entries.map((entry): CompletionItem => ({
    label: entry.label,
    kind: KIND[entry.kind],
    ...(entry.detail ? { detail: entry.detail } : {}),
    ...(entry.documentation ? { documentation: { kind: MarkupKind.Markdown, value: entry.documentation } } : {}),
    ...(entry.sortText ? { sortText: entry.sortText } : {}),
    textEdit: { range: { start: document.positionAt(entry.start), end: document.positionAt(entry.end) }, newText: entry.insertText },
  }));
  return { isIncomplete: false, items };
}
