/**
 * Who runs the loop on schedule. Celery is used only where the project already depends on it (a Celery app
 * in the code, or Celery in requirements / pyproject / setup.cfg / Pipfile), or when the user chooses it
 * (`skene init --scheduler celery`, the editor's Initialize). Everywhere else Initialize writes nothing that
 * imports Celery: `python manage.py skene_run` is the entry, and the plan shows the line to register it with
 * the scheduler the project has (django-rq, django-q, Huey) or with cron.
 */
import type { ProjectModel } from '../../server/core/django/projectModel';
import type { SchedulerChoice } from '../types';

/** The analyzer's view of background jobs (ProjectModel.jobs). */
export interface JobsFacts {
  system: 'celery' | 'rq' | 'django-q' | 'huey' | 'dramatiq' | 'none';
  scheduler: string | null;
  declaredIn: Array<{ file: string; line: number }>;
}

export interface SchedulerPlan {
  /** Write tasks.py and register a Celery beat entry. */
  celery: boolean;
  /** Celery was chosen but the project does not declare it: add it to the requirements. */
  addCeleryDependency: boolean;
  /** The job system the project uses (what the printed line targets when Celery is not used). */
  system: JobsFacts['system'];
  scheduler: string | null;
}

export function jobsOf(project: ProjectModel): JobsFacts | null {
  return (project as ProjectModel & { jobs?: JobsFacts }).jobs ?? null;
}

export function planScheduler(project: ProjectModel, choice: SchedulerChoice): SchedulerPlan {
  const jobs = jobsOf(project);
  // A Celery app in the code means Celery is importable wherever the project starts.
  const dependsOnCelery = project.celery !== null || jobs?.system === 'celery';
  const celery = choice === 'celery' || (choice === 'auto' && dependsOnCelery);
  return {
    celery,
    addCeleryDependency: celery && !dependsOnCelery,
    system: project.celery ? 'celery' : jobs?.system ?? 'none',
    scheduler: jobs?.scheduler ?? null,
  };
}
