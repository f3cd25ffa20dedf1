/**
 * The run summaries' skip keys (docs/runtime.md) grouped into the reasons a reader asks about. Keys that are
 * bookkeeping rather than a person left out (already_sent, already_claimed, held_out, ...) are dropped; an
 * unknown key keeps its own name so a newer runtime's reason still shows.
 */
import type { SkipReason } from './reportTypes';

const REASON_OF: Record<string, string | null> = {
  no_email: 'invalid_email',
  suppressed: 'suppressed',
  'exited:suppressed': 'suppressed',
  frequency_cap: 'capped',
  'deferred:capped': 'capped',
  'deferred:quiet_hours': 'quiet_hours',
  inactive: 'inactive',
  'exited:inactive': 'inactive',
  'exited:returned': 'returned',
  already_sent: null,
  already_deferred: null,
  already_held_out: null,
  already_claimed: null,
  held_out: null,
};

/** Fixed order: the reasons the issue names first, then the rest alphabetically. */
const ORDER = ['suppressed', 'invalid_email', 'capped', 'quiet_hours', 'inactive', 'returned'];

export function groupSkips(rows: Array<{ key: string; count: number }>): SkipReason[] {
  const byReason = new Map<string, SkipReason>();
  for (const { key, count } of rows) {
    const reason = key in REASON_OF ? REASON_OF[key] : key;
    if (!reason || !count) continue;
    const entry = byReason.get(reason) ?? { reason, count: 0, keys: [] };
    entry.count += count;
    entry.keys.push(key);
    byReason.set(reason, entry);
  }
  const rank = (reason: string) => (ORDER.includes(reason) ? ORDER.indexOf(reason) : ORDER.length);
  return [...byReason.values()].sort((a, b) => rank(a.reason) - rank(b.reason) || a.reason.localeCompare(b.reason));
}
