/**
 * Which beat entries in a project's settings or Celery module Skene wrote, and which of them a re-run removes: a
 * loop's extra `skene-<id>-<n>` entries once its cron needs fewer schedules, and every entry of a loop that is no
 * longer in skene.config.ts (deleted, or renamed by hand), which would otherwise call the Celery task with a loop id
 * loops.json does not have each time it fires. An entry is Skene's when its key is `skene-<id>` or `skene-<id>-<n>`,
 * it runs TASK_NAME with args naming that `<id>`, and Skene's `# Skene: loop "<id>"` comment is right above it; a
 * user's own entry is never removed.
 */
import type { Node } from 'web-tree-sitter';
import { pyString } from '../python/pySyntax';
import { elementsOf, stringValue } from '../python/pyTree';
import { BEAT_REMOVAL_REASON } from './beatReasons';

export const TASK_NAME = 'skene_retention.run_loop';

/** An entry as written: its key and the node a removal takes out (a dict pair, or a module-level statement). */
export type WrittenEntry = [key: string, node: Node];

/**
 * The `# Skene: loop "<id>", …` comment right above a beat entry (the one entryComment wrote), if it is there; also
 * the longer `# Skene: loop "<id>" from skene.config.ts, …` of earlier versions, which a re-run then shortens.
 */
export function skeneCommentAbove(entry: Node, loopId: string): Node | null {
  const above = entry.previousNamedSibling;
  const marker = `# Skene: loop "${loopId}"`;
  return above?.type === 'comment' && (above.text.startsWith(`${marker},`) || above.text.startsWith(`${marker} from skene.config.ts,`)) ? above : null;
}

/** The loop's entries past its `count` schedules: `skene-<id>-<n>` (n > count) that run this loop's id. */
export function extraEntries(entries: WrittenEntry[], loopId: string, count: number): Node[] {
  const args = `(${pyString(loopId)},)`;
  return entries.filter(([key, node]) => {
    const n = key.startsWith(`skene-${loopId}-`) ? key.slice(`skene-${loopId}-`.length) : '';
    // Another loop may be called "<id>-2": only an entry whose args run this loop is one of its extras.
    return /^\d+$/.test(n) && Number(n) > count && node.text.replace(/'/g, '"').includes(args);
  }).map(([, node]) => node);
}

export interface GoneEntry {
  key: string;
  loopId: string;
  node: Node;
  /** Skene's comment above it, removed with it; null when it is missing (then the entry is left and reported). */
  comment: Node | null;
}

/** Skene's entries of loops not in `configured` (the ids of skene.config.ts). */
export function goneEntries(entries: WrittenEntry[], configured: ReadonlySet<string>): GoneEntry[] {
  const gone: GoneEntry[] = [];
  for (const [key, node] of entries) {
    const loopId = skeneLoopOf(key, node);
    if (loopId === null || configured.has(loopId)) continue;
    gone.push({ key, loopId, node, comment: skeneCommentAbove(node, loopId) });
  }
  return gone;
}

/** The loop a Skene entry runs: the id in its args when the key is `skene-<id>` or `skene-<id>-<n>` and the task is Skene's. */
function skeneLoopOf(key: string, entry: Node): string | null {
  if (!key.startsWith('skene-')) return null;
  const body = entryBody(entry);
  if (body?.type !== 'dictionary') return null;
  const value = (name: string) => elementsOf(body).find((pair) => pair.type === 'pair' && stringValue(pair.childForFieldName('key')) === name)?.childForFieldName('value') ?? null;
  if (stringValue(value('task')) !== TASK_NAME) return null;
  const args = value('args');
  const first = args && (args.type === 'tuple' || args.type === 'list') ? elementsOf(args)[0] ?? null : null;
  const loopId = stringValue(first);
  if (loopId === null) return null;
  return key === `skene-${loopId}` || new RegExp(`^skene-${escapeRegExp(loopId)}-\\d+$`).test(key) ? loopId : null;
}

/** The `{...}` of an entry: a dict pair's value, or the right side of `<app>.conf.beat_schedule["…"] = {...}`. */
function entryBody(entry: Node): Node | null {
  if (entry.type === 'pair') return entry.childForFieldName('value');
  const assignment = entry.type === 'expression_statement' ? entry.namedChild(0) : null;
  return assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the plan says about gone loops' entries: which ones it removes, and which it leaves because Skene's comment is gone. */
export function goneSummary(gone: GoneEntry[], where: string): { removes: string | null; kept: string | null } {
  const ids = (entries: GoneEntry[]) => [...new Set(entries.map((e) => `'${e.loopId}'`))].join(', ');
  const removed = gone.filter((e) => e.comment);
  const kept = gone.filter((e) => !e.comment);
  return {
    removes: removed.length ? `${BEAT_REMOVAL_REASON} (${ids(removed)}) from ${where}` : null,
    kept: kept.length
      ? `${kept.map((e) => e.key).join(', ')} in ${where} runs ${kept.length > 1 ? 'loops' : 'loop'} ${ids(kept)}, no longer in skene.config.ts, and fails each time it fires; Skene's comment above it is gone, so it was left as it is: remove it by hand.`
      : null,
  };
}
