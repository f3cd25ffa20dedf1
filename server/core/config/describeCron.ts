/**
 * Cron for loops: exactly five fields (minute hour day-of-month month day-of-week), as both runtimes
 * schedule them (Celery crontab() has no seconds). Validation and next runs come from croner, the words
 * from cronstrue; both are exposed for hovers.
 */
import { Cron } from 'croner';
import cronstrue from 'cronstrue';

export type CronCheck =
  | { ok: true; expression: string }
  | { ok: false; message: string; suggestion: string | null };

/** Cron nicknames and their five-field form (the config asks for the latter; the generators accept both). */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export function validateCron(expression: string): CronCheck {
  const trimmed = expression.trim();
  const nickname = CRON_NICKNAMES[trimmed.toLowerCase()];
  if (nickname) return { ok: false, message: `use the five-field form of ${trimmed}: '${nickname}'`, suggestion: nickname };
  const fields = trimmed.split(/\s+/).filter(Boolean);
  if (fields.length === 6) {
    const suggestion = fields.slice(1).join(' ');
    return { ok: false, message: `six fields look like a seconds field; loops use five fields (minute hour day month weekday), e.g. '${suggestion}'`, suggestion };
  }
  if (fields.length !== 5) {
    return { ok: false, message: `a cron needs five fields (minute hour day month weekday), found ${fields.length}, e.g. '0 9 * * *'`, suggestion: null };
  }
  try {
    new Cron(trimmed, { paused: true });
  } catch (error) {
    return { ok: false, message: String((error as Error).message).replace(/^CronPattern:\s*/, ''), suggestion: null };
  }
  return { ok: true, expression: trimmed };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function timeZoneNames(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/** Next `count` runs of a valid cron in a time zone, after `from`. */
export function nextCronRuns(expression: string, timezone: string, from: Date, count: number): Date[] {
  return new Cron(expression, { paused: true, timezone }).nextRuns(count, from);
}

export interface CronDescription {
  expression: string;
  timezone: string;
  /** e.g. "At 09:00" */
  text: string;
  /** ISO timestamps (UTC) of the next runs. */
  nextRuns: string[];
  /** The same runs as wall-clock time in the cron's zone, e.g. "2025-01-02 09:00". */
  nextRunsLocal: string[];
}

/** Words + next three runs for a hover; null when the cron or zone is invalid. */
export function describeCron(expression: string, timezone = 'UTC', from: Date = new Date()): CronDescription | null {
  if (!validateCron(expression).ok || !isValidTimeZone(timezone)) return null;
  const runs = nextCronRuns(expression, timezone, from, 3);
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  let text: string;
  try {
    text = cronstrue.toString(expression, { use24HourTimeFormat: true });
  } catch {
    text = expression;
  }
  return {
    expression,
    timezone,
    text,
    nextRuns: runs.map((d) => d.toISOString()),
    nextRunsLocal: runs.map((d) => format.format(d)),
  };
}

/** Shortest gap between consecutive runs over the next few runs (ms), or null. */
export function shortestCronPeriod(expression: string, timezone: string, from: Date): number | null {
  const runs = nextCronRuns(expression, timezone, from, 8);
  let shortest: number | null = null;
  for (let i = 1; i < runs.length; i++) {
    const gap = (runs[i]?.getTime() ?? 0) - (runs[i - 1]?.getTime() ?? 0);
    if (shortest === null || gap < shortest) shortest = gap;
  }
  return shortest;
}
