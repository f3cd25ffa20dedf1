import type { ProjectModel } from '../core/django/projectModel';
import type { AnalyzeParams } from '../protocol';
import type { ServerContext } from './context';

/**
 * Answers `skene/analyze` from the project the server already keeps up to date (no second analysis): the
 * extension shows these facts (e.g. Copy Prompt for Cursor) without running the CLI.
 */
export async function handleAnalyze(ctx: ServerContext, params: AnalyzeParams): Promise<ProjectModel | null> {
  const state = ctx.projects.find(params.root) ?? ctx.projects.addFolder(params.root);
  await state.ready;
  return state.model;
}
