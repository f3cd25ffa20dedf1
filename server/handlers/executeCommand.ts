import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  AnnotatedTextEdit,
  ChangeAnnotation,
  CreateFile,
  DeleteFile,
  ExecuteCommandParams,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextIndex } from '../core/config/textIndex';
import { initPlanner } from '../core/workspace/initPlanner';
import { planInitialize, projectReader, type EditorPlan } from '../core/workspace/planInitialize';
import { regenerateWrites } from '../core/workspace/regenerateWrites';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import { STATE_FILE } from '../../generators/state/initState';
import { ServerCommands, type InitializeCommandArgs, type InitializeCommandResult } from '../protocol';
import { uriToPath, type ServerContext } from './context';

export const EXECUTE_COMMANDS: string[] = [ServerCommands.initialize, ServerCommands.previewPlan, ServerCommands.regenerate];

/**
 * Initialize and Preview Plan: run the generators on the project and return the plan. With `apply`,
 * Initialize sends the plan as one workspace/applyEdit whose every change needs confirmation, so VS Code
 * shows its refactor preview (every file, every diff) before anything is written.
 */
export async function handleExecuteCommand(ctx: ServerContext, params: ExecuteCommandParams): Promise<InitializeCommandResult | null> {
  if (!EXECUTE_COMMANDS.includes(params.command)) return null;
  const args = (params.arguments?.[0] ?? {}) as InitializeCommandArgs;
  const root = resolveRoot(ctx, args.root);
  if (!root) return { root: '', files: [], notes: [], error: 'No folder to initialize: open a Django project folder first.' };
  const state = ctx.projects.forFile(path.join(root, 'manage.py'));
  await state.ready;
  const settings = await ctx.settings.get(pathToFileURL(state.root).href);
  const plan = await planInitialize(state, { dormantDays: args.dormancyDays ?? settings.defaultDormancyDays, scheduler: args.scheduler ?? 'auto', agents: args.agents === true, ...(typeof args.activity === 'string' ? { activity: args.activity } : {}) }, initPlanner);
  if (params.command === ServerCommands.regenerate) return regenerate(ctx, plan);
  const files = plan.files.map((f) => ({ path: f.path, action: f.action, after: f.after, diff: f.diff, reason: f.reason }));
  const result: InitializeCommandResult = { root: plan.root, files, notes: plan.notes, ...(plan.error ? { error: plan.error } : {}), ...(plan.activity ? { activity: plan.activity } : {}) };
  if (params.command !== ServerCommands.initialize || !args.apply || plan.error) return result;
  if (!ctx.features.applyEdit) return { ...result, applied: false, error: 'This editor cannot apply workspace edits; run `npx skene-django init` instead.' };
  const applied = await ctx.connection.workspace.applyEdit({ label: 'Skene: Initialize', edit: planEdit(ctx, plan) });
  return { ...result, applied: applied.applied };
}

/** The manifest-stale quick fix: writes only what the config change needs, without a confirmation step. */
async function regenerate(ctx: ServerContext, plan: EditorPlan): Promise<InitializeCommandResult> {
  const none = { root: plan.root, files: [], notes: plan.notes };
  if (plan.error) return { ...none, error: plan.error };
  const stateText = projectReader(plan.root)(STATE_FILE);
  const selected = regenerateWrites(plan, stateText);
  if (selected.nothing) {
    void ctx.connection.window.showInformationMessage(`Skene: ${selected.nothing}`);
    return { ...none, applied: false };
  }
  // The plan's own entry when it is what is written; the state file's content is ours (only the manifest's hash moved).
  const files = selected.writes.map((write) => {
    const planned = plan.files.find((file) => file.path === write.path && file.after === write.after);
    return { path: write.path, action: planned?.action ?? 'modify', after: write.after, diff: planned?.diff ?? '', reason: write.reason };
  });
  const result: InitializeCommandResult = { root: plan.root, files, notes: selected.summary ? [{ severity: 'info', message: selected.summary }] : [] };
  if (!ctx.features.applyEdit) return { ...result, applied: false, error: 'This editor cannot apply workspace edits; run `npx skene-django init` instead.' };
  const applied = await ctx.connection.workspace.applyEdit({ label: `Skene: Regenerate ${GENERATED_MANIFEST_FILE}`, edit: planEdit(ctx, { ...plan, writes: selected.writes, removals: [] }, false) });
  // The quick fix's result goes nowhere in VS Code: the user learns what changed, and whether to migrate, from this.
  if (applied.applied && selected.summary) void ctx.connection.window.showInformationMessage(`Skene: ${selected.summary}`);
  return { ...result, applied: applied.applied };
}

function resolveRoot(ctx: ServerContext, given: string | undefined): string | null {
  if (given) return given.startsWith('file:') ? uriToPath(given) : path.resolve(given);
  return ctx.projects.all()[0]?.root ?? null;
}

/**
 * The plan as one WorkspaceEdit: a change annotation per file, each needing confirmation (refactor preview).
 * An older Skene's vendored files are deleted in the same edit when the client can delete files; otherwise
 * they stay (the plan's note names `skene init --yes`).
 */
export function planEdit(ctx: ServerContext, plan: EditorPlan, confirm = true): WorkspaceEdit {
  const documentChanges: Array<CreateFile | DeleteFile | TextDocumentEdit> = [];
  const changeAnnotations: Record<string, ChangeAnnotation> = {};
  const annotate = confirm && ctx.features.changeAnnotations;
  for (const file of plan.writes) {
    const uri = pathToFileURL(path.join(plan.root, file.path)).href;
    const annotationId = `skene:${file.path}`;
    changeAnnotations[annotationId] = { label: `${file.before === null ? 'Create' : 'Update'} ${file.path}`, description: file.reason, needsConfirmation: true };
    const annotation = annotate ? { annotationId } : {};
    if (file.before === null) documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true }, ...annotation });
    const end = file.before === null ? { line: 0, character: 0 } : new TextIndex(file.before).positionAt(file.before.length);
    const edit: AnnotatedTextEdit = { range: { start: { line: 0, character: 0 }, end }, newText: file.after, annotationId };
    documentChanges.push({ textDocument: { uri, version: null }, edits: [annotate ? edit : { range: edit.range, newText: edit.newText }] });
  }
  for (const removal of ctx.features.deleteFiles ? plan.removals : []) {
    const annotationId = `skene:${removal.path}`;
    changeAnnotations[annotationId] = { label: `Delete ${removal.path}`, description: removal.reason, needsConfirmation: true };
    const uri = pathToFileURL(path.join(plan.root, removal.path)).href;
    documentChanges.push({ kind: 'delete', uri, options: { ignoreIfNotExists: true }, ...(annotate ? { annotationId } : {}) });
  }
  return annotate ? { documentChanges, changeAnnotations } : { documentChanges };
}
