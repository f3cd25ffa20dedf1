/**
 * Completions in skene.config.ts as plain entries (label, what it replaces): schema keys and enum values
 * with their docs, `{{user.` -> the user model's fields, table and column names inside the SQL query,
 * template names, providers (an enum) and time zones.
 */
import { GENERATED_TEMPLATE_NAMES, EMAIL_TEMPLATE_FOLDER } from '../../../sdk/emailTemplates';
import { isSensitiveFieldName } from '../../protocol';
import { timeZoneNames } from '../config/describeCron';
import { knownTablesCached } from '../config/knownTables';
import { enumValues, isRequiredKey, objectKeys, schemaAtPath } from '../config/schemaIntrospection';
import { toPlainValue } from '../config/toPlainValue';
import { stringOffset, valueAt, type PathSegment, type StringNode } from '../config/valueTree';
import { cursorAt, isQueryPath, type ConfigView, type CursorHit } from './configCursor';
import { placeholderPrefix } from './placeholders';
import { fieldMarkdown, modelForTable } from './projectLookup';
import { keyDescription } from './schemaDocs';
import { fromTables, sqlCursorAt, tokenizeSql } from './sqlCursor';
import { stringIndexAt } from './stringCursor';
import { isColumn } from '../django/columnFields';

export type CompletionKind = 'key' | 'value' | 'field' | 'table' | 'column' | 'template' | 'timezone';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText: string;
  /** Offsets of the text the entry replaces. */
  start: number;
  end: number;
  sortText?: string;
}

export function completionsAt(view: ConfigView, offset: number): CompletionEntry[] {
  const hit = cursorAt(view, offset);
  if (!hit) return [];
  if (hit.onKey && hit.property) return keyEntries(hit, hit.path.slice(0, -1), hit.property.keySpan, hit.property.key);
  if (hit.node.kind === 'object') return keyEntries(hit, hit.path, wordAround(view.text, offset), null);
  if (hit.node.kind === 'string') {
    const index = offset < hit.node.span.end ? stringIndexAt(hit.node, offset) : null;
    return index === null ? [] : stringEntries(view, hit, hit.node, index);
  }
  if (hit.property && (hit.node.kind === 'missing' || hit.node.kind === 'computed')) {
    return enumEntries(hit, { start: hit.node.span.start, end: hit.node.span.end }, "'");
  }
  return [];
}

function keyEntries(hit: CursorHit, objectPath: PathSegment[], span: { start: number; end: number }, editing: string | null): CompletionEntry[] {
  const data = toPlainValue(hit.loop.tree);
  const schema = schemaAtPath(objectPath, data);
  const object = valueAt(hit.loop.tree, objectPath);
  const present = new Set(object?.kind === 'object' ? object.properties.map((p) => p.key).filter((k) => k !== editing) : []);
  return objectKeys(schema)
    .filter((key) => !present.has(key))
    .map((key) => {
      const required = isRequiredKey(schema, key);
      const documentation = keyDescription(objectPath, key, data);
      return {
        label: key,
        kind: 'key' as const,
        detail: required ? 'required' : 'optional',
        ...(documentation ? { documentation } : {}),
        insertText: editing === null ? `${key}: ` : key,
        start: span.start,
        end: span.end,
        sortText: `${required ? 0 : 1}${key}`,
      };
    });
}

function stringEntries(view: ConfigView, hit: CursorHit, node: StringNode, index: number): CompletionEntry[] {
  if (isQueryPath(hit.path)) return sqlEntries(view, node, index);
  const prefix = placeholderPrefix(node.value, index);
  // Close the placeholder unless the text after the name already does (`{{user.fi|}}`).
  const closing = /^\s*\}\}/.test(node.value.slice(prefix?.end ?? 0)) ? '' : '}}';
  if (prefix) return userFieldEntries(view, { start: stringOffset(node, prefix.start), end: stringOffset(node, prefix.end) }, closing);
  const whole = { start: node.contentStart, end: stringOffset(node, node.value.length) };
  const key = hit.path[hit.path.length - 1];
  if (key === 'template') return templateEntries(view, whole);
  if (key === 'timezone') return timeZoneNames().map((zone) => ({ label: zone, kind: 'timezone' as const, insertText: zone, ...whole }));
  return enumEntries(hit, whole, '');
}

function enumEntries(hit: CursorHit, span: { start: number; end: number }, quote: string): CompletionEntry[] {
  const data = toPlainValue(hit.loop.tree);
  const values = enumValues(schemaAtPath(hit.path, data));
  const key = hit.path[hit.path.length - 1];
  const documentation = typeof key === 'string' ? keyDescription(hit.path.slice(0, -1), key, data) : undefined;
  return values.map((value) => ({
    label: value,
    kind: 'value' as const,
    ...(documentation ? { documentation } : {}),
    insertText: `${quote}${value}${quote}`,
    ...span,
  }));
}

function userFieldEntries(view: ConfigView, span: { start: number; end: number }, closing: string): CompletionEntry[] {
  const project = view.project;
  const user = project?.userModel;
  if (!project || !user) return [];
  return user.fields
    .filter(isColumn)
    .filter((f) => !isSensitiveFieldName(f.name) && !isSensitiveFieldName(f.column))
    .map((field) => ({
      label: field.column,
      kind: 'field' as const,
      detail: `${field.type} · ${user.app}.${user.class}`,
      documentation: fieldMarkdown(project, user, field),
      insertText: `${field.column}${closing}`,
      ...span,
    }));
}

function templateEntries(view: ConfigView, span: { start: number; end: number }): CompletionEntry[] {
  const prefix = `${EMAIL_TEMPLATE_FOLDER}/`;
  const existing = (view.existingTemplates ?? []).filter((f) => f.startsWith(prefix) && f.endsWith('.html')).map((f) => f.slice(prefix.length, -'.html'.length));
  const names = [...new Set([...existing, ...GENERATED_TEMPLATE_NAMES])];
  return names.map((name) => ({
    label: name,
    kind: 'template' as const,
    detail: existing.includes(name) ? `${prefix}${name}.html` : 'created by Skene: Initialize',
    insertText: name,
    ...span,
  }));
}

function sqlEntries(view: ConfigView, node: StringNode, index: number): CompletionEntry[] {
  const project = view.project;
  if (!project) return [];
  const tokens = tokenizeSql(node.value);
  const cursor = sqlCursorAt(tokens, index);
  const span = { start: stringOffset(node, cursor.start), end: stringOffset(node, cursor.end) };
  if (cursor.kind === 'table') {
    return [...knownTablesCached(project).values()].map((table) => ({ label: table.name, kind: 'table' as const, detail: table.origin, insertText: table.name, ...span }));
  }
  const tables = fromTables(tokens);
  const scope = cursor.qualifier ? tables.filter((t) => t.alias === cursor.qualifier || t.table === cursor.qualifier) : tables;
  const names = scope.length ? scope.map((t) => t.table) : project.userModel ? [project.userModel.table] : [];
  const seen = new Set<string>();
  const entries: CompletionEntry[] = [];
  for (const name of names) {
    const model = modelForTable(project, name);
    const columns = model ? model.fields.filter(isColumn).filter((f) => !isSensitiveFieldName(f.column)) : [];
    for (const field of columns) {
      if (seen.has(field.column) || !model) continue;
      seen.add(field.column);
      entries.push({ label: field.column, kind: 'column', detail: `${field.type} · ${model.table}`, documentation: fieldMarkdown(project, model, field), insertText: field.column, ...span });
    }
  }
  return entries;
}

function wordAround(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1] ?? '')) start--;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end] ?? '')) end++;
  return { start, end };
}
