/**
 * Find references in skene.config.ts: every place a loop id, a template name, a table or a column is used
 * — in the config (all loops' queries and placeholders) and in the project (manifest, beat entry, template
 * files, the model's declaration).
 */
import { placeholderStrings } from '../config/rules/personalizationRule';
import { stringAt, stringOffset, valueAt, type StringNode } from '../config/valueTree';
import type { ProjectModel } from '../django/projectModel';
import { cursorAt, isQueryPath, type ConfigView } from './configCursor';
import { fieldTarget, loopIdUsages, modelTarget } from './definitions';
import { lineTarget, type ConfigTarget, type NavigationTarget, type ProjectFiles } from './navigationTypes';
import { placeholderAt } from './placeholders';
import { placeholderTarget } from './placeholderTarget';
import { readQuery, sqlReferenceAt, sqlReferences, type SqlReference } from './sqlReferences';
import { stringIndexAt } from './stringCursor';

const QUERY_PATHS = [['steps', 0, 'condition', 'query'], ['exit', 'query']];

export function referencesAt(view: ConfigView, offset: number, files: ProjectFiles, includeDeclaration: boolean): NavigationTarget[] {
  const hit = cursorAt(view, offset);
  if (!hit || hit.onKey || hit.node.kind !== 'string') return [];
  const node = hit.node;
  const index = stringIndexAt(node, offset);
  if (index === null) return [];
  const key = hit.path.join('.');
  if (key === 'id') return [...(includeDeclaration ? [configSpan(node)] : []), ...loopIdUsages(view.project, node.value, files)];
  if (/^steps\.\d+\.action\.template$/.test(key)) return [...templateUses(view, node.value), ...files.templateFiles(node.value).map((f) => lineTarget(f, 1))];
  const project = view.project;
  if (!project) return [];
  const reference = isQueryPath(hit.path) ? sqlReferenceAt(project, readQuery(node.value), index) : placeholderReference(view, hit.loop, node, index);
  if (!reference) return [];
  const declaration = reference.kind === 'table' ? modelTarget(reference.model) : fieldTarget(reference.model, reference.field);
  return [...(includeDeclaration && declaration ? [declaration] : []), ...sameReferences(view, project, reference)];
}

function configSpan(node: StringNode): ConfigTarget {
  return { kind: 'config', start: node.contentStart, end: stringOffset(node, node.value.length) };
}

function templateUses(view: ConfigView, name: string): ConfigTarget[] {
  return view.result.loops.flatMap((loop) => {
    const steps = valueAt(loop.tree, ['steps']);
    const count = steps?.kind === 'array' ? steps.elements.length : 0;
    return Array.from({ length: count }, (_, i) => stringAt(loop.tree, ['steps', i, 'action', 'template'])).filter((n): n is StringNode => n?.value === name).map(configSpan);
  });
}

function placeholderReference(view: ConfigView, loop: Parameters<typeof placeholderTarget>[1], node: StringNode, index: number): SqlReference | null {
  const placeholder = placeholderAt(node.value, index);
  const field = placeholder ? placeholderTarget(view.project, loop, placeholder.field)?.field : null;
  return field && placeholder ? { kind: 'column', model: field.model, field: field.field, start: placeholder.start, end: placeholder.end } : null;
}

const sameTarget = (a: SqlReference, b: SqlReference) => a.kind === b.kind && a.model.table === b.model.table && (a.kind === 'table' || (b.kind === 'column' && a.field.column === b.field.column));

/** Every use in the config of the same table or column: query names, and placeholders of user fields. */
function sameReferences(view: ConfigView, project: ProjectModel, wanted: SqlReference): ConfigTarget[] {
  const out: ConfigTarget[] = [];
  for (const loop of view.result.loops) {
    for (const path of QUERY_PATHS) {
      const query = stringAt(loop.tree, path);
      if (!query) continue;
      for (const found of sqlReferences(project, readQuery(query.value))) {
        if (sameTarget(found, wanted)) out.push({ kind: 'config', start: stringOffset(query, found.start), end: stringOffset(query, found.end) });
      }
    }
    if (wanted.kind !== 'column') continue;
    for (const text of placeholderStrings(loop)) {
      for (const match of text.value.matchAll(/\{\{\s*user\.([A-Za-z0-9_]+)\s*\}\}/g)) {
        const start = match.index + match[0].indexOf('user.') + 5;
        const reference = placeholderReference(view, loop, text, start);
        if (reference && sameTarget(reference, wanted)) out.push({ kind: 'config', start: stringOffset(text, start), end: stringOffset(text, start + (match[1]?.length ?? 0)) });
      }
    }
  }
  return out;
}
