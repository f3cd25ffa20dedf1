/**
 * Cron → Celery `crontab()` named arguments. Celery ANDs day_of_month with day_of_week where cron ORs them
 * (when both are restricted), so such a cron becomes two schedules — its day-of-month part first, then its
 * day-of-week part; the runtime's tick claim makes a double firing harmless anyway. Every writer of a loop's
 * schedule (beat entries, django-celery-beat migrations, the skene_run line) takes all of them.
 */
import { CRON_NICKNAMES } from '../../server/core/config/describeCron';

/** In crontab()'s own parameter order. */
export type CrontabArgs = Record<'minute' | 'hour' | 'day_of_week' | 'day_of_month' | 'month_of_year', string>;


export function crontabSchedules(cron: string): CrontabArgs[] {
  const fields = (CRON_NICKNAMES[cron.trim().toLowerCase()] ?? cron).trim().split(/\s+/);
  const [minute = '*', hour = '*', dom = '*', month = '*', dow = '*'] = fields;
  const make = (dayOfWeek: string, dayOfMonth: string): CrontabArgs => ({ minute, hour, day_of_week: dayOfWeek, day_of_month: dayOfMonth, month_of_year: month });
  if (dom !== '*' && dow !== '*') return [make('*', dom), make(dow, '*')];
  return [make(dow, dom)];
}

/** What each of a split cron's schedules runs, in crontabSchedules' order (for comments that tell them apart). */
export const SPLIT_PARTS = ['day-of-month', 'day-of-week'] as const;

/** The hourly variant used when Celery's time zone is not the loop's (the task checks the loop's own tick). */
export function hourlyAtMinutes(args: CrontabArgs): CrontabArgs {
  return { minute: args.minute, hour: '*', day_of_week: '*', day_of_month: '*', month_of_year: '*' };
}
