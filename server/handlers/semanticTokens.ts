import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend, type SemanticTokensParams } from 'vscode-languageserver/node';
import { SEMANTIC_TOKEN_TYPES, sqlSemanticTokens } from '../core/editor/semanticTokens';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [] };

export async function handleSemanticTokens(ctx: ServerContext, params: SemanticTokensParams): Promise<SemanticTokens> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return { data: [] };
  const builder = new SemanticTokensBuilder();
  for (const token of sqlSemanticTokens(viewOf(analysis))) {
    const start = document.positionAt(token.start);
    builder.push(start.line, start.character, token.end - token.start, SEMANTIC_TOKEN_TYPES.indexOf(token.type), 0);
  }
  return builder.build();
}
