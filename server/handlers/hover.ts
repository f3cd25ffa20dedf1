import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import { hoverAt } from '../core/editor/hoverContent';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';

export async function handleHover(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return null;
  const hover = hoverAt(viewOf(analysis), document.offsetAt(params.position));
  if (!hover) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: hover.markdown },
    range: { start: document.positionAt(hover.start), end: document.positionAt(hover.end) },
  };
}
