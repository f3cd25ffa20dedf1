/**
 * Durations in a loop config: `'30s'`, `'10m'`, `'36h'`, `'7d'`, `'2w'`. One number, one unit, no spaces.
 * This is the only parser of durations: the schema, the static checker, the manifest and both runtimes
 * (through the manifest's *Ms fields) use it, so `'10m'` can never mean two things.
 */

export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w';

export const DURATION_UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The accepted syntax, for docs and error messages. */
export const DURATION_SYNTAX = "a whole number followed by s, m, h, d or w, e.g. '10m', '36h', '7d'";

const DURATION_RE = /^(\d{1,9})(s|m|h|d|w)$/;

/** Milliseconds for a duration string, or null when it is not one (never throws). */
export function parseDuration(text: string): number | null {
  const match = DURATION_RE.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2] as DurationUnit;
  return amount * DURATION_UNIT_MS[unit];
}

export function isDuration(text: string): boolean {
  return parseDuration(text) !== null;
}

/** The shortest exact duration string for a number of milliseconds (rounded up to whole seconds). */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const units: Array<[DurationUnit, number]> = [['w', 604_800], ['d', 86_400], ['h', 3_600], ['m', 60]];
  for (const [unit, size] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

const UNIT_WORDS: Record<string, DurationUnit> = {
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', week: 'w', weeks: 'w',
};

/**
 * Reads what a person probably meant ('10 min', '7 days', '1H') and returns the canonical form, or null.
 * Used only to offer a quick fix; the schema itself accepts the canonical form alone.
 */
export function suggestDuration(text: string): string | null {
  const match = /^\s*(\d{1,9})\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!match) return null;
  const unit = UNIT_WORDS[(match[2] ?? '').toLowerCase()];
  return unit ? `${Number(match[1])}${unit}` : null;
}
