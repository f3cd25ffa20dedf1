/**
 * The tick a run belongs to: the latest time at or before `now` that the loop's cron fires, in the loop's
 * time zone. Two beats, a retried task or a late worker inside the same period all compute the same tick,
 * so the tick claim (unique (loop, scheduled_at)) lets only one of them run. Python mirrors this exactly
 * (vectors: test/vectors/ticks.json). Known gap: inside a DST fold the two runtimes may pick different
 * occurrences of the repeated hour; the lease and the ledger still prevent duplicates.
 */

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SEARCH_DAYS = 366 * 5;

interface Field { values: Set<number>; restricted: boolean }
export interface CronSpec { minute: Field; hour: Field; dom: Field; month: Field; dow: Field }

function parseValue(text: string, names: string[] | null, offset: number): number {
  const index = names ? names.indexOf(text.toLowerCase()) : -1;
  if (index >= 0) return index + offset;
  if (!/^\d+$/.test(text)) throw new Error(`not a cron value: ${text}`);
  return Number(text);
}

function parseField(text: string, min: number, max: number, names: string[] | null = null, offset = 0): Field {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad cron step: ${part}`);
    let [low, high] = [min, max];
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      low = parseValue(a, names, offset);
      high = b === undefined ? (stepText === undefined ? low : max) : parseValue(b, names, offset);
    }
    if (low < min || high > max || low > high) throw new Error(`cron value out of range: ${part}`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return { values, restricted: !text.startsWith('*') };
}

export function parseCron(expression: string): CronSpec {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron needs 5 fields, got ${parts.length}: ${expression}`);
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  const dowField = parseField(dow, 0, 7, DAYS);
  if (dowField.values.delete(7)) dowField.values.add(0);
  return { minute: parseField(minute, 0, 59), hour: parseField(hour, 0, 23), dom: parseField(dom, 1, 31), month: parseField(month, 1, 12, MONTHS, 1), dow: dowField };
}

/** cron's rule: when both day fields are restricted a day matches either; otherwise both must match. */
function dayMatches(spec: CronSpec, day: number, weekday: number): boolean {
  const byDom = spec.dom.values.has(day);
  const byDow = spec.dow.values.has(weekday);
  return spec.dom.restricted && spec.dow.restricted ? byDom || byDow : byDom && byDow;
}

/** Wall-clock fields of an instant in a zone (Intl; the same zone database Python's zoneinfo reads). */
export function wallClock(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - Math.floor(ms / 60_000) * 60_000;
}

/** Wall time in a zone -> UTC instant (the offset in force at that wall time). */
export function zonedToUtc(wallMs: number, timeZone: string): number {
  const guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  return wallMs - zoneOffsetMs(guess, timeZone);
}

function latestAtOrBefore(values: Set<number>, limit: number): number[] {
  return [...values].filter((value) => value <= limit).sort((a, b) => b - a);
}

export function scheduledTick(expression: string, timeZone: string, now: Date): Date {
  const spec = parseCron(expression);
  const wall = wallClock(now.getTime(), timeZone);
  for (let back = 0; back <= SEARCH_DAYS; back++) {
    const day = new Date(Date.UTC(wall.y, wall.mo - 1, wall.d - back));
    if (!spec.month.values.has(day.getUTCMonth() + 1) || !dayMatches(spec, day.getUTCDate(), day.getUTCDay())) continue;
    for (const hour of latestAtOrBefore(spec.hour.values, back === 0 ? wall.h : 23)) {
      const minuteLimit = back === 0 && hour === wall.h ? wall.mi : 59;
      const minute = latestAtOrBefore(spec.minute.values, minuteLimit)[0];
      if (minute === undefined) continue;
      return new Date(zonedToUtc(day.getTime() + hour * 3_600_000 + minute * 60_000, timeZone));
    }
  }
  throw new Error(`cron "${expression}" does not fire in the ${SEARCH_DAYS} days before ${now.toISOString()}`);
}
