/**
 * Inlay hints in skene.config.ts: the next run of the cron in the reader's own time zone (the cron runs in
 * the loop's zone, which is often not the reader's), the Django model behind each table after FROM/JOIN,
 * and when each step runs (the first on the trigger, later ones their delay after it).
 */
import { parseDuration } from '../../../sdk/duration';
import type { ParsedLoop } from '../config/checkConfig';
import { isValidTimeZone, nextCronRuns, validateCron } from '../config/describeCron';
import { loopTimeZone } from '../config/rules/cronRule';
import { stringAt, stringOffset, valueAt } from '../config/valueTree';
import type { ConfigView } from './configCursor';
import { durationWords } from './durationWords';
import { modelForTable } from './projectLookup';
import { readQuery } from './sqlReferences';

export type HintKind = 'schedule' | 'table' | 'step';

export interface InlayHintEntry {
  /** Offset the hint is shown at. */
  offset: number;
  label: string;
  kind: HintKind;
  tooltip?: string;
}

const QUERY_PATHS = [['steps', 0, 'condition', 'query'], ['exit', 'query']];

/** Hints whose offset lies in [start, end]. `readerTimeZone` is the editor user's IANA zone. */
export function inlayHints(view: ConfigView, start: number, end: number, readerTimeZone: string): InlayHintEntry[] {
  const hints = view.result.loops.flatMap((loop) => [...scheduleHint(view, loop, readerTimeZone), ...tableHints(view, loop), ...stepHints(loop)]);
  return hints.filter((h) => h.offset >= start && h.offset <= end).sort((a, b) => a.offset - b.offset);
}

function scheduleHint(view: ConfigView, loop: ParsedLoop, readerTimeZone: string): InlayHintEntry[] {
  const cron = stringAt(loop.tree, ['steps', 0, 'trigger', 'cron']);
  if (!cron || !validateCron(cron.value).ok) return [];
  const loopZone = loopTimeZone(loop, { text: view.text, project: view.project, options: {} });
  const [next] = nextCronRuns(cron.value.trim(), loopZone, view.now ?? new Date(), 1);
  if (!next) return [];
  const reader = isValidTimeZone(readerTimeZone) ? readerTimeZone : 'UTC';
  const label = `next run ${formatRun(next, reader)} your time`;
  return [{ offset: cron.span.end, label, kind: 'schedule', tooltip: `${formatRun(next, loopZone)} in ${loopZone}, the loop's time zone; ${formatRun(next, reader)} in ${reader}.` }];
}

/** "Mon 7 Dec 09:00" in a zone. */
export function formatRun(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('hour')}:${part('minute')}`;
}

function tableHints(view: ConfigView, loop: ParsedLoop): InlayHintEntry[] {
  const project = view.project;
  if (!project) return [];
  return QUERY_PATHS.flatMap((path) => {
    const query = stringAt(loop.tree, path);
    if (!query) return [];
    return readQuery(query.value).tables.flatMap((table) => {
      const model = modelForTable(project, table.table);
      return model ? [{ offset: stringOffset(query, table.end), label: `${model.app}.${model.class}`, kind: 'table' as const, tooltip: `Django model of table ${model.table}${model.builtin ? '' : ` (${model.file}:${model.line})`}` }] : [];
    });
  });
}

function stepHints(loop: ParsedLoop): InlayHintEntry[] {
  const steps = valueAt(loop.tree, ['steps']);
  if (steps?.kind !== 'array') return [];
  return steps.elements.flatMap((step, i): InlayHintEntry[] => {
    if (i === 0) return [{ offset: step.span.start, label: 'step 1: on the schedule', kind: 'step' }];
    const delay = stringAt(step, ['delay'])?.value;
    const words = delay && parseDuration(delay) !== null ? durationWords(delay) : null;
    return [{ offset: step.span.start, label: words ? `step ${i + 1}: ${words} after step 1` : `step ${i + 1}: no delay yet`, kind: 'step' }];
  });
}
