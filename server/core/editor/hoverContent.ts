/**
 * Hovers in skene.config.ts, as markdown + the offsets they cover: a cron in words with its next three
 * runs in the loop's time zone, a `{{user.field}}` or SQL column as its Django field, a table as its model,
 * a duration in words, and a key as the schema's description of it.
 */
import { DURATION_SYNTAX } from '../../../sdk/duration';
import { describeCron } from '../config/describeCron';
import { loopTimeZone } from '../config/rules/cronRule';
import { schemaAtPath, schemaDescription } from '../config/schemaIntrospection';
import { toPlainValue } from '../config/toPlainValue';
import type { StringNode } from '../config/valueTree';
import { stringOffset } from '../config/valueTree';
import { cursorAt, isCronPath, isQueryPath, type ConfigView, type CursorHit } from './configCursor';
import { durationWords } from './durationWords';
import { placeholderAt } from './placeholders';
import { fieldMarkdown, modelMarkdown } from './projectLookup';
import { placeholderTarget } from './placeholderTarget';
import { readQuery, sqlReferenceAt } from './sqlReferences';
import { keyDescription } from './schemaDocs';
import { stringIndexAt } from './stringCursor';
import { isTemplatePath, templateHoverMarkdown } from './templateHover';

export interface HoverContent {
  markdown: string;
  start: number;
  end: number;
}

export function hoverAt(view: ConfigView, offset: number): HoverContent | null {
  const hit = cursorAt(view, offset);
  if (!hit) return null;
  if (hit.onKey && hit.property) return keyHover(hit);
  if (hit.node.kind !== 'string') return null;
  const node = hit.node;
  const index = stringIndexAt(node, offset);
  if (index === null) return null;
  if (isCronPath(hit.path)) return cronHover(view, hit, node);
  if (isQueryPath(hit.path)) return sqlHover(view, node, index);
  if (isTemplatePath(hit.path)) return { markdown: templateHoverMarkdown(view, hit, node), start: node.span.start, end: node.span.end };
  return placeholderHover(view, hit, node, index) ?? durationHover(hit, node);
}

function keyHover(hit: CursorHit): HoverContent | null {
  const property = hit.property;
  const description = property ? keyDescription(hit.path.slice(0, -1), property.key, toPlainValue(hit.loop.tree)) : undefined;
  if (!property || !description) return null;
  return { markdown: `**${property.key}** — ${description}`, start: property.keySpan.start, end: property.keySpan.end };
}

function cronHover(view: ConfigView, hit: CursorHit, node: StringNode): HoverContent | null {
  const zone = loopTimeZone(hit.loop, { text: view.text, project: view.project, options: {} });
  const cron = describeCron(node.value, zone, view.now ?? new Date());
  if (!cron) return null;
  const runs = cron.nextRunsLocal.map((run) => `- ${run} (${cron.timezone})`);
  const markdown = [`**Cron** \`${cron.expression}\`: ${cron.text} (${cron.timezone})`, '', 'Next runs:', ...runs].join('\n');
  return { markdown, start: node.span.start, end: node.span.end };
}

function placeholderHover(view: ConfigView, hit: CursorHit, node: StringNode, index: number): HoverContent | null {
  const placeholder = placeholderAt(node.value, index);
  if (!placeholder) return null;
  const target = placeholderTarget(view.project, hit.loop, placeholder.field);
  if (!target) return null;
  const parts: string[] = [];
  if (target.alias) {
    const { query, alias } = target.alias;
    const expression = query.value.slice(alias.expressionStart, alias.expressionEnd).replace(/\s+/g, ' ');
    parts.push(`**${placeholder.field}** — column of the audience query: \`${expression} AS ${alias.name}\``);
  }
  if (target.field && view.project) parts.push(fieldMarkdown(view.project, target.field.model, target.field.field));
  return { markdown: parts.join('\n\n---\n\n'), start: stringOffset(node, placeholder.start), end: stringOffset(node, placeholder.end) };
}

function sqlHover(view: ConfigView, node: StringNode, index: number): HoverContent | null {
  const project = view.project;
  if (!project) return null;
  const reference = sqlReferenceAt(project, readQuery(node.value), index);
  if (!reference) return null;
  const range = { start: stringOffset(node, reference.start), end: stringOffset(node, reference.end) };
  const markdown = reference.kind === 'table' ? modelMarkdown(project, reference.model) : fieldMarkdown(project, reference.model, reference.field);
  return { markdown, ...range };
}

function durationHover(hit: CursorHit, node: StringNode): HoverContent | null {
  const description = schemaDescription(schemaAtPath(hit.path, toPlainValue(hit.loop.tree)));
  if (!description?.includes(DURATION_SYNTAX)) return null;
  const words = durationWords(node.value);
  if (!words) return null;
  return { markdown: `**${node.value}** = ${words}`, start: node.span.start, end: node.span.end };
}
