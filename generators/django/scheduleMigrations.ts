/**
 * Which django-celery-beat schedule migration a loop gets. A migration may have run somewhere, so a changed schedule
 * never rewrites the earlier one: it gets a new migration after the retention app's last, which moves the periodic
 * task to the new crontab (and, migrated backwards, puts the earlier schedule back). A cron that restricts both
 * day-of-month and day-of-week is two crontabs (two periodic tasks), so a change between one and two is a change too.
 */
import type { CrontabArgs } from './crontabArgs';
import type { Dependency } from './migrations';

const CRONTAB_KEYS: Array<keyof CrontabArgs> = ['minute', 'hour', 'day_of_week', 'day_of_month', 'month_of_year'];

export interface RecordedSchedule {
  role: string;
  path: string;
  /**
   * The schedule that migration set, read back from its role ("beat:<loop>:<crontab values>@<zone>", two crontabs
   * joined by "|" for a cron that restricts both day-of-month and day-of-week).
   */
  crontabs: CrontabArgs[];
  timezone: string;
}

/** The loop's schedule migration with the highest number: what the database holds once migrated. */
export function latestSchedule(recorded: Record<string, string>, loopId: string): RecordedSchedule | null {
  const prefix = `beat:${loopId}:`;
  let latest: RecordedSchedule | null = null;
  for (const [role, path] of Object.entries(recorded)) {
    if (!role.startsWith(prefix)) continue;
    const at = role.lastIndexOf('@');
    const crontabs = at < 0 ? [] : role.slice(prefix.length, at).split('|').map(crontabOf);
    if (!crontabs.length || crontabs.some((crontab) => crontab === null)) continue;
    if (latest && migrationNumber(latest.path) >= migrationNumber(path)) continue;
    latest = { role, path, crontabs: crontabs as CrontabArgs[], timezone: role.slice(at + 1) };
  }
  return latest;
}

/**
 * The loop's unschedule migration (role "beat:<id>:removed") when it comes after `latest`: the database then has no
 * periodic task for the loop, so a schedule migration already written would not bring it back.
 */
export function removedSince(recorded: Record<string, string>, loopId: string, latest: RecordedSchedule | null): string | null {
  const removal = recorded[`beat:${loopId}:removed`];
  return removal && latest && migrationNumber(removal) > migrationNumber(latest.path) ? removal : null;
}

/** Loops with a recorded schedule migration that `configured` (the ids of skene.config.ts) no longer has. */
export function goneScheduledLoops(recorded: Record<string, string>, configured: ReadonlySet<string>): string[] {
  const ids = Object.keys(recorded).map((role) => /^beat:([^:]+):/.exec(role)?.[1]).filter((id): id is string => id !== undefined);
  return [...new Set(ids)].filter((id) => !configured.has(id)).sort();
}

function crontabOf(values: string): CrontabArgs | null {
  const fields = values.split(' ');
  if (fields.length !== CRONTAB_KEYS.length) return null;
  return Object.fromEntries(CRONTAB_KEYS.map((key, i) => [key, fields[i] ?? '*'])) as CrontabArgs;
}

/** The migration of the app just before `path` by number: what a migration written after it depends on. */
export function precedingMigration(known: string[], path: string, app: string): Dependency | null {
  const own = migrationNumber(path);
  const before = known.filter((file) => migrationNumber(file) < own).sort((a, b) => migrationNumber(a) - migrationNumber(b)).pop();
  return before ? [app, before.split('/').pop()?.replace(/\.py$/, '') ?? ''] : null;
}

function migrationNumber(path: string): number {
  return Number(/(?:^|\/)(\d+)_[^/]*\.py$/.exec(path)?.[1] ?? -1);
}
