/**
 * Quiet hours in the user's time zone (vectors: test/vectors/quietHours.json). An email whose send time
 * falls inside the window is deferred to the window's end, never dropped. `start` == `end` means no
 * quiet hours; `start` > `end` spans midnight (21:00 → 08:00).
 */
import { wallClock, zonedToUtc } from './scheduledTick';

export interface QuietHours {
  start: string;
  end: string;
  /** The zone used when the user has no valid zone of their own. */
  timezone: string;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when the zone name is one the runtime can use (Intl here, zoneinfo in Python). */
export function isKnownZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The user's zone when it is valid, else the quiet hours' zone. */
export function effectiveZone(userZone: unknown, quiet: QuietHours): string {
  return isKnownZone(userZone) ? userZone : quiet.timezone;
}

/** null when `nowMs` is outside the quiet window in `zone`; else the instant (ms) the window ends. */
export function quietUntil(nowMs: number, zone: string, quiet: Pick<QuietHours, 'start' | 'end'>): number | null {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const wall = wallClock(nowMs, zone);
  const minute = wall.h * 60 + wall.mi;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const nextDay = start > end && minute >= start ? 1 : 0;
  const endWall = Date.UTC(wall.y, wall.mo - 1, wall.d + nextDay) + end * 60_000;
  return zonedToUtc(endWall, zone);
}
