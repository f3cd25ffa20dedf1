/**
 * The line that schedules `python manage.py skene_run` with the project's own scheduler, for a project that
 * does not use Celery. Initialize prints it (and shows it in the editor's preview) instead of writing into
 * the project's scheduler code, whose shape varies too much to edit safely.
 *
 * A loop whose cron names hours fires hourly at its minutes with `--window-minutes 60`: the command runs
 * only in the hour after the loop's own tick in the loop's time zone, so the scheduler's time zone (cron's
 * is the server's, rq-scheduler's UTC) does not matter. The runtime's tick claim makes extra calls harmless.
 */
import { SCHEDULER_CHANGED } from './beatReasons';
import { crontabSchedules } from './crontabArgs';
import type { ScheduledLoop } from './celeryBeat';
import type { SchedulerPlan } from './scheduler';

export const COMMAND = 'skene_run';

interface Firing {
  cron: string;
  args: string[];
}

function firing(loops: ScheduledLoop[]): Firing {
  const schedules = loops.flatMap((loop) => crontabSchedules(loop.cron));
  const hourly = schedules.every((s) => s.hour === '*' && s.day_of_month === '*' && s.day_of_week === '*' && s.month_of_year === '*');
  const first = schedules[0];
  if (hourly && first && schedules.every((s) => s.minute === first.minute)) return { cron: `${first.minute} * * * *`, args: [] };
  const minutes = [...new Set(schedules.map((s) => s.minute))];
  const minute = minutes.length === 1 && /^\d+$/.test(minutes[0] ?? '') ? minutes[0] ?? '0' : '0';
  return { cron: `${minute} * * * *`, args: ['--window-minutes', '60'] };
}

const py = (values: string[]) => values.map((v) => JSON.stringify(v)).join(', ');

export interface SchedulerLine {
  /** "django-rq (rq-scheduler)", "cron", ... */
  scheduler: string;
  /** Code or a crontab line, several lines at most. */
  code: string;
  where: string;
}

export function schedulerLine(plan: SchedulerPlan, loops: ScheduledLoop[]): SchedulerLine {
  const { cron, args } = firing(loops);
  const command = ['skene_run', ...args];
  switch (plan.system) {
    case 'rq':
      return {
        scheduler: 'django-rq with rq-scheduler',
        where: 'where the project registers its scheduled jobs (run `python manage.py rqscheduler` beside the workers)',
        code: [
          'import django_rq',
          '',
          `django_rq.get_scheduler("default").cron(${JSON.stringify(cron)}, func="django.core.management.call_command", args=[${py(command)}], id="skene-run")`,
        ].join('\n'),
      };
    case 'django-q':
      return {
        scheduler: 'django-q',
        where: 'once, e.g. in a data migration or `python manage.py shell` (django-q\'s cron schedules need croniter)',
        code: [
          'from django_q.models import Schedule',
          '',
          `Schedule.objects.update_or_create(name="skene-run", defaults={"func": "django.core.management.call_command", "args": ${JSON.stringify(command.map((c) => `'${c}'`).join(', '))}, "schedule_type": Schedule.CRON, "cron": ${JSON.stringify(cron)}})`,
        ].join('\n'),
      };
    case 'huey': {
      const minute = cron.split(' ')[0] ?? '0';
      return {
        scheduler: 'Huey',
        where: 'in one of the project\'s tasks.py modules',
        code: [
          'from django.core.management import call_command',
          'from huey import crontab',
          'from huey.contrib.djhuey import db_periodic_task',
          '',
          '',
          `@db_periodic_task(crontab(minute=${JSON.stringify(minute)}))`,
          'def skene_run():',
          `    call_command(${py(command)})`,
        ].join('\n'),
      };
    }
    default:
      return {
        scheduler: 'cron',
        where: 'in the crontab of the user that runs the app (or as a systemd timer / Kubernetes CronJob with the same command)',
        code: `${cron} cd /path/to/project && python manage.py ${command.join(' ')}`,
      };
  }
}

/**
 * The plan's scheduling note: the line to register. When `previous` (the line the last plan printed) differs, a warning
 * that says so and shows the line to replace, since Skene does not edit the project's scheduler.
 */
export function schedulerNote(plan: SchedulerPlan, loops: ScheduledLoop[], previous?: string): { severity: 'info' | 'warning'; message: string } {
  const line = schedulerLine(plan, loops);
  const zone = loops.map((l) => `'${l.cron}' in ${l.timezone}`).join(', ');
  const indented = (code: string) => code.split('\n').map((l) => `    ${l}`);
  if (previous !== undefined && previous !== line.code) {
    return {
      severity: 'warning',
      message: [
        `${SCHEDULER_CHANGED} since the last run (loop cron ${zone}). With ${line.scheduler}, ${line.where}, replace`,
        ...indented(previous),
        'with',
        ...indented(line.code),
      ].join('\n'),
    };
  }
  return {
    severity: 'info',
    message: [
      `Scheduling: the project does not use Celery, so Initialize adds no Celery code. Run \`python manage.py skene_run\` on a schedule (loop cron ${zone}); with ${line.scheduler}, ${line.where}:`,
      ...indented(line.code),
      'Or run `skene init --scheduler celery` to add Celery and a beat entry instead.',
    ].join('\n'),
  };
}
