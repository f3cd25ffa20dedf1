/**
 * Go to definition in skene.config.ts, as plain targets: a SQL table to its model class, a SQL column or
 * `{{user.field}}` to the model field (an aliased output column to its `AS` in the query first), a
 * template name to its files, a loop id to where the manifest and the beat entry use it.
 */
import { stringOffset, type StringNode } from '../config/valueTree';
import type { DjangoField, DjangoModel, ProjectModel } from '../django/projectModel';
import { cursorAt, isQueryPath, type ConfigView, type CursorHit } from './configCursor';
import { findLoopUsages, loopUsageFiles } from './loopUsages';
import { lineTarget, type FileTarget, type NavigationTarget, type ProjectFiles } from './navigationTypes';
import { placeholderAt } from './placeholders';
import { placeholderTarget } from './placeholderTarget';
import { readQuery, sqlReferenceAt } from './sqlReferences';
import { stringIndexAt } from './stringCursor';

export interface Definition {
  /** Offsets of the name the cursor is on. */
  start: number;
  end: number;
  targets: NavigationTarget[];
}

export function definitionAt(view: ConfigView, offset: number, files: ProjectFiles): Definition | null {
  const hit = cursorAt(view, offset);
  if (!hit || hit.onKey || hit.node.kind !== 'string') return null;
  const node = hit.node;
  const index = stringIndexAt(node, offset);
  if (index === null) return null;
  const key = hit.path.join('.');
  if (key === 'id') return withTargets(node.span, loopIdUsages(view.project, node.value, files));
  if (/^steps\.\d+\.action\.template$/.test(key)) return withTargets(node.span, files.templateFiles(node.value).map((file) => lineTarget(file, 1)));
  if (isQueryPath(hit.path)) return sqlDefinition(view.project, node, index);
  return placeholderDefinition(view.project, hit, node, index);
}

function withTargets(span: { start: number; end: number }, targets: NavigationTarget[]): Definition | null {
  return targets.length ? { ...span, targets } : null;
}

/** The loop id's uses in the manifest and the beat entry (Initialize's own record is left to rename). */
export function loopIdUsages(project: ProjectModel | null, id: string, files: ProjectFiles): FileTarget[] {
  if (!project || !id) return [];
  return loopUsageFiles(project).flatMap((file) => {
    const text = files.read(file);
    return text === null ? [] : findLoopUsages(id, file, text).filter((u) => u.kind !== 'state').map((u) => u.target);
  });
}

function sqlDefinition(project: ProjectModel | null, node: StringNode, index: number): Definition | null {
  if (!project) return null;
  const reference = sqlReferenceAt(project, readQuery(node.value), index);
  if (!reference) return null;
  const target = reference.kind === 'table' ? modelTarget(reference.model) : fieldTarget(reference.model, reference.field);
  return withTargets({ start: stringOffset(node, reference.start), end: stringOffset(node, reference.end) }, target ? [target] : []);
}

function placeholderDefinition(project: ProjectModel | null, hit: CursorHit, node: StringNode, index: number): Definition | null {
  const placeholder = placeholderAt(node.value, index);
  if (!placeholder) return null;
  const target = placeholderTarget(project, hit.loop, placeholder.field);
  if (!target) return null;
  const targets: NavigationTarget[] = [];
  if (target.alias) targets.push({ kind: 'config', start: stringOffset(target.alias.query, target.alias.alias.start), end: stringOffset(target.alias.query, target.alias.alias.end) });
  const field = target.field ? fieldTarget(target.field.model, target.field.field) : null;
  if (field) targets.push(field);
  return withTargets({ start: stringOffset(node, placeholder.start), end: stringOffset(node, placeholder.end) }, targets);
}

export function modelTarget(model: DjangoModel): FileTarget | null {
  return model.builtin ? null : lineTarget(model.file, model.line);
}

/** The field's own line; an inherited field (no location) goes to the class that inherits it. */
export function fieldTarget(model: DjangoModel, field: DjangoField): FileTarget | null {
  if (field.location) return lineTarget(field.location.file, field.location.line);
  return modelTarget(model);
}

