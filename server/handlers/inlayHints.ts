import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver/node';
import { inlayHints } from '../core/editor/inlayHints';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';

export async function handleInlayHints(ctx: ServerContext, params: InlayHintParams): Promise<InlayHint[]> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return [];
  const entries = inlayHints(viewOf(analysis), document.offsetAt(params.range.start), document.offsetAt(params.range.end), ctx.readerTimeZone);
  return entries.map((entry) => ({
    position: document.positionAt(entry.offset),
    label: entry.kind === 'table' ? `→ ${entry.label}` : entry.label,
    ...(entry.kind === 'step' ? { paddingRight: true } : { paddingLeft: true, kind: InlayHintKind.Type }),
    ...(entry.tooltip ? { tooltip: entry.tooltip } : {}),
  }));
}
