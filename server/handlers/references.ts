import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import { referencesAt } from '../core/editor/references';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';
import { projectFiles, toLocation } from './projectFiles';

export async function handleReferences(ctx: ServerContext, params: ReferenceParams): Promise<Location[]> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return [];
  const files = projectFiles(ctx, analysis.state.model);
  const targets = referencesAt(viewOf(analysis), document.offsetAt(params.position), files, params.context.includeDeclaration);
  return targets.map((target) => toLocation(target, analysis.state.root, document));
}
