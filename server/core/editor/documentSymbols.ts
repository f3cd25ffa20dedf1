/**
 * The outline of skene.config.ts: each loop (by id) › its steps › trigger, condition and action, with a
 * short detail each (the cron, the queried table, the template), instead of the TypeScript outline of
 * `default › id, type, steps…`. Read from the value tree, so a half-typed loop still has its outline.
 */
import type { ParsedLoop } from '../config/checkConfig';
import { propertyOf, stringAt, valueAt, type PropertyNode, type Span, type ValueNode } from '../config/valueTree';
import { readQuery } from './sqlReferences';

export type OutlineKind = 'loop' | 'step' | 'trigger' | 'condition' | 'action';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: OutlineKind;
  /** The whole value (offsets). */
  range: Span;
  /** What is revealed and highlighted: the id, or the key. */
  selection: Span;
  children: OutlineSymbol[];
}

export function documentSymbols(loops: ParsedLoop[]): OutlineSymbol[] {
  return loops.map((loop) => {
    const id = stringAt(loop.tree, ['id']);
    const type = stringAt(loop.tree, ['type'])?.value ?? '';
    const steps = valueAt(loop.tree, ['steps']);
    const children = steps?.kind === 'array' ? steps.elements.map((step, i) => stepSymbol(step, i)) : [];
    const span = { start: loop.tree.span.start, end: loop.tree.span.end };
    return { name: loop.id ?? `loop ${loop.index + 1}`, detail: type, kind: 'loop', range: span, selection: id ? id.span : span, children };
  });
}

function stepSymbol(step: ValueNode, index: number): OutlineSymbol {
  const delay = stringAt(step, ['delay'])?.value;
  const detail = index === 0 ? 'when the trigger fires' : delay ? `${delay} after step 1` : '';
  const parts: Array<[OutlineKind, string]> = [['trigger', triggerDetail(step)], ['condition', conditionDetail(step)], ['action', actionDetail(step)]];
  const children = parts.flatMap(([key, text]) => {
    const property = propertyOf(step, key);
    return property ? [partSymbol(property, key, text)] : [];
  });
  const span = { start: step.span.start, end: step.span.end };
  return { name: `step ${index + 1}`, detail, kind: 'step', range: span, selection: span, children };
}

function partSymbol(property: PropertyNode, kind: OutlineKind, detail: string): OutlineSymbol {
  return { name: property.key, detail, kind, range: property.span, selection: property.keySpan, children: [] };
}

function triggerDetail(step: ValueNode): string {
  const cron = stringAt(step, ['trigger', 'cron'])?.value;
  const zone = stringAt(step, ['trigger', 'timezone'])?.value;
  return cron ? `cron ${cron}${zone ? ` ${zone}` : ''}` : (stringAt(step, ['trigger', 'type'])?.value ?? '');
}

function conditionDetail(step: ValueNode): string {
  const query = stringAt(step, ['condition', 'query'])?.value;
  const tables = query ? readQuery(query).tables.map((t) => t.table) : [];
  return tables.length ? `SELECT … FROM ${[...new Set(tables)].join(', ')}` : (stringAt(step, ['condition', 'type'])?.value ?? '');
}

function actionDetail(step: ValueNode): string {
  const template = stringAt(step, ['action', 'template'])?.value;
  const provider = stringAt(step, ['action', 'provider'])?.value;
  const type = stringAt(step, ['action', 'type'])?.value ?? '';
  return [type, template, provider ? `via ${provider}` : ''].filter(Boolean).join(' ');
}
