import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { definitionAt } from '../core/editor/definitions';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';
import { projectFiles, toLocation } from './projectFiles';

export async function handleDefinition(ctx: ServerContext, params: DefinitionParams): Promise<Location[] | null> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return null;
  const project = analysis.state.model;
  const definition = definitionAt(viewOf(analysis), document.offsetAt(params.position), projectFiles(ctx, project));
  if (!definition) return null;
  return definition.targets.map((target) => toLocation(target, analysis.state.root, document));
}
