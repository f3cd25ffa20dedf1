/** Models and fields of the ProjectModel by table, name or column, and file:line links to their source. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DjangoField, DjangoModel, ProjectModel } from '../django/projectModel';

export function allModels(project: ProjectModel): DjangoModel[] {
  const models = [...(project.models ?? [])];
  if (project.userModel && !models.some((m) => m.table === project.userModel?.table)) models.unshift(project.userModel);
  return models;
}

export function modelForTable(project: ProjectModel, table: string): DjangoModel | undefined {
  const wanted = table.toLowerCase();
  return allModels(project).find((m) => m.table.toLowerCase() === wanted);
}

/** A field by its column or its attribute name (`team_id` and `team` both find the ForeignKey). */
export function fieldOf(model: DjangoModel, name: string): DjangoField | undefined {
  const wanted = name.toLowerCase();
  return model.fields.find((f) => f.column?.toLowerCase() === wanted) ?? model.fields.find((f) => f.name.toLowerCase() === wanted);
}

export interface SourceLink {
  label: string;
  uri: string;
}

/** Where a field is declared: its own line, else the model class (inherited fields), else nothing (Django's). */
export function fieldLink(project: ProjectModel, model: DjangoModel, field: DjangoField): SourceLink | null {
  if (field.location) return link(project, field.location.file, field.location.line);
  return modelLink(project, model);
}

export function modelLink(project: ProjectModel, model: DjangoModel): SourceLink | null {
  return model.builtin ? null : link(project, model.file, model.line);
}

function link(project: ProjectModel, file: string, line: number): SourceLink {
  const uri = `${pathToFileURL(path.join(project.root, file)).href}#L${line}`;
  return { label: `${file}:${line}`, uri };
}

export function fieldMarkdown(project: ProjectModel, model: DjangoModel, field: DjangoField): string {
  const lines = [`**${model.app}.${model.class}.${field.name}** — \`${field.type}\``, ''];
  const facts = [`table \`${model.table}\`, column \`${field.column}\``];
  if (field.inheritedFrom) facts.push(`inherited from \`${field.inheritedFrom}\``);
  if (field.null) facts.push('nullable');
  lines.push(facts.join(' · '));
  const where = fieldLink(project, model, field);
  if (where) lines.push('', `[${where.label}](${where.uri})`);
  return lines.join('\n');
}

export function modelMarkdown(project: ProjectModel, model: DjangoModel): string {
  const columns = model.fields.filter((f) => f.type !== 'ManyToManyField').map((f) => `\`${f.column}\``);
  const user = project.userModel?.table === model.table ? ' (AUTH_USER_MODEL)' : '';
  const lines = [`**${model.app}.${model.class}**${user} — table \`${model.table}\``, '', `Columns: ${columns.join(', ')}`];
  const where = modelLink(project, model);
  if (where) lines.push('', `[${where.label}](${where.uri})`);
  return lines.join('\n');
}
