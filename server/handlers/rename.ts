import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ErrorCodes,
  ResponseError,
  type ChangeAnnotation,
  type CreateFile,
  type PrepareRenameParams,
  type Range,
  type RenameFile,
  type RenameParams,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planRename, renameTargetAt, type OffsetEdit, type RenamePlan } from '../core/editor/renameEdits';
import { viewOf } from './configView';
import { analyzeOpenConfig, type ServerContext } from './context';
import { projectFiles } from './projectFiles';

export async function handlePrepareRename(ctx: ServerContext, params: PrepareRenameParams): Promise<{ range: Range; placeholder: string } | null> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return null;
  const target = renameTargetAt(viewOf(analysis), document.offsetAt(params.position));
  if (!target) throw new ResponseError(ErrorCodes.InvalidRequest, 'Skene renames a loop id or a template name.');
  return { range: { start: document.positionAt(target.start), end: document.positionAt(target.end) }, placeholder: target.name };
}

/**
 * One WorkspaceEdit over the config, the project files and the template files. With change annotations
 * (VS Code), every change needs confirmation, so the editor shows its refactor preview first.
 */
export async function handleRename(ctx: ServerContext, params: RenameParams): Promise<WorkspaceEdit | null> {
  const analysis = await analyzeOpenConfig(ctx, params.textDocument.uri);
  const document = ctx.documents.get(params.textDocument.uri);
  if (!analysis || !document) return null;
  const files = projectFiles(ctx, analysis.state.model);
  const plan = planRename(viewOf(analysis), document.offsetAt(params.position), params.newName, files);
  if (!plan) return null;
  if ('error' in plan) throw new ResponseError(ErrorCodes.InvalidParams, plan.error);
  const root = analysis.state.root;
  const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).href;
  const textOf = (relative: string) => TextDocument.create(uriOf(relative), 'plaintext', 0, files.read(relative) ?? '');
  const changes = [
    { uri: document.uri, version: document.version, edits: toTextEdits(document, plan.config), file: path.basename(document.uri) },
    ...plan.files.map((f) => ({ uri: uriOf(f.file), version: ctx.documents.get(uriOf(f.file))?.version ?? null, edits: toTextEdits(textOf(f.file), f.edits), file: f.file })),
  ];
  if (plan.scheduleMigration) {
    const migration = plan.scheduleMigration;
    if (!ctx.features.documentChanges || !ctx.features.createFiles) {
      throw new ResponseError(ErrorCodes.InvalidRequest, `Renaming loop '${migration.from}' needs a new django-celery-beat migration (${migration.file}) to rename its periodic task, and this editor cannot create files in a rename.`);
    }
    // Loaded on demand, as Initialize loads the generators: a server that only checks the config never needs ejs.
    const { loopRenameMigration } = await import('../../generators/django/loopRenameMigration');
    changes.push({ uri: uriOf(migration.file), version: null, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: loopRenameMigration(migration) }], file: migration.file });
  }
  if (!ctx.features.documentChanges) return { changes: Object.fromEntries(changes.map((c) => [c.uri, c.edits])) };
  return annotatedEdit(ctx, plan, changes, uriOf);
}

function annotatedEdit(ctx: ServerContext, plan: RenamePlan, changes: Array<{ uri: string; version: number | null; edits: TextEdit[]; file: string }>, uriOf: (relative: string) => string): WorkspaceEdit {
  const annotate = ctx.features.changeAnnotations;
  const annotations: Record<string, ChangeAnnotation> = {};
  const annotationFor = (file: string): string | undefined => {
    if (!annotate) return undefined;
    annotations[file] ??= { label: plan.label, description: [file, plan.warning].filter(Boolean).join(' — '), needsConfirmation: true };
    return file;
  };
  const documentChanges: Array<TextDocumentEdit | RenameFile | CreateFile> = [];
  for (const change of changes) {
    const id = annotationFor(change.file);
    if (change.file === plan.scheduleMigration?.file) documentChanges.push({ kind: 'create', uri: change.uri, options: { overwrite: false, ignoreIfExists: false }, ...(id ? { annotationId: id } : {}) });
    documentChanges.push({ textDocument: { uri: change.uri, version: change.version }, edits: change.edits.map((e) => (id ? { ...e, annotationId: id } : e)) });
  }
  if (ctx.features.renameFiles) {
    for (const move of plan.moves) {
      const id = annotationFor(move.from);
      documentChanges.push({ kind: 'rename', oldUri: uriOf(move.from), newUri: uriOf(move.to), ...(id ? { annotationId: id } : {}) });
    }
  }
  return { documentChanges, ...(annotate ? { changeAnnotations: annotations } : {}) };
}

function toTextEdits(document: TextDocument, edits: OffsetEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.newText }));
}
