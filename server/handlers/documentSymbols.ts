import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentSymbols, type OutlineKind, type OutlineSymbol } from '../core/editor/documentSymbols';
import { analyzeOpenConfig, type ServerContext } from './context';

const KIND: Record<OutlineKind, SymbolKind> = {
  loop: SymbolKind.Module,
  step: SymbolKind.Function,
  trigger: SymbolKind.Event,
  condition: SymbolKind.Boolean,
  action: SymbolKind.Method,
};

export async function handleDocumentSymbols(ctx: ServerContext, params: DocumentSymbolParams): Promise<DocumentSymbol[]> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return [];
  return documentSymbols(analysis.result.loops).map((symbol) => toDocumentSymbol(symbol, document));
}

function toDocumentSymbol(symbol: OutlineSymbol, document: TextDocument): DocumentSymbol {
  const range = (span: { start: number; end: number }) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  return {
    name: symbol.name,
    ...(symbol.detail ? { detail: symbol.detail } : {}),
    kind: KIND[symbol.kind],
    range: range(symbol.range),
    selectionRange: range(symbol.selection),
    children: symbol.children.map((child) => toDocumentSymbol(child, document)),
  };
}
