import type { DeclaredDependency } from './declaredDependencies';
import type { CeleryInfo, JobsInfo } from './projectModel';

type System = Exclude<JobsInfo['system'], 'none'>;
type Place = { file: string; line: number };

/** How each job system shows itself: packages that provide it, and INSTALLED_APPS entries of its Django glue. */
const SYSTEMS: Array<{ system: System; packages: string[]; apps: string[] }> = [
  { system: 'celery', packages: ['celery', 'django-celery-beat', 'django-celery-results'], apps: ['django_celery_beat', 'django_celery_results'] },
  { system: 'rq', packages: ['django-rq', 'rq', 'rq-scheduler', 'django-rq-scheduler'], apps: ['django_rq'] },
  { system: 'django-q', packages: ['django-q', 'django-q2'], apps: ['django_q'] },
  { system: 'huey', packages: ['huey'], apps: ['huey.contrib.djhuey'] },
  { system: 'dramatiq', packages: ['dramatiq', 'django-dramatiq'], apps: ['django_dramatiq'] },
];

/**
 * The background job system: the one with the strongest evidence (an app module or INSTALLED_APPS entry beats
 * a dependency line; ties go to the order above), and the scheduler that runs its periodic jobs.
 */
export function detectJobs(
  deps: Map<string, DeclaredDependency>,
  installedApps: string[],
  installedAppsAt: Place | null,
  celery: CeleryInfo | null,
): JobsInfo {
  let best: { system: System; score: number; declaredIn: Place[] } | null = null;
  for (const { system, packages, apps } of SYSTEMS) {
    const declaredIn: Place[] = packages.flatMap((p) => {
      const dep = deps.get(p);
      return dep ? [{ file: dep.file, line: dep.line }] : [];
    });
    let score = declaredIn.length ? 1 : 0;
    if (installedAppsAt && apps.some((a) => installedApps.includes(a))) {
      declaredIn.push(installedAppsAt);
      score += 2;
    }
    if (system === 'celery' && celery?.file) {
      declaredIn.push({ file: celery.file, line: celery.line ?? 1 });
      score += 2;
    }
    if (score > (best?.score ?? 0)) best = { system, score, declaredIn: uniquePlaces(declaredIn) };
  }
  if (!best) return { system: 'none', scheduler: null, declaredIn: [] };
  return { system: best.system, scheduler: schedulerOf(best.system, deps, installedApps, celery), declaredIn: best.declaredIn };
}

function schedulerOf(system: System, deps: Map<string, DeclaredDependency>, apps: string[], celery: CeleryInfo | null): string | null {
  switch (system) {
    case 'celery':
      if (celery?.beat === 'django_celery_beat' || (celery?.scheduler ?? '').startsWith('django_celery_beat')) return 'django_celery_beat';
      if (celery?.beat === 'settings' || celery?.beat === 'app.conf') return 'celery-beat';
      return apps.includes('django_celery_beat') || deps.has('django-celery-beat') ? 'django_celery_beat' : null;
    case 'rq':
      if (deps.has('django-rq-scheduler')) return 'django-rq-scheduler';
      return deps.has('rq-scheduler') ? 'rq-scheduler' : null;
    case 'django-q':
      return 'django-q';
    case 'huey':
      return 'huey';
    case 'dramatiq':
      if (deps.has('periodiq')) return 'periodiq';
      return deps.has('apscheduler') || deps.has('django-apscheduler') ? 'apscheduler' : null;
  }
}

function uniquePlaces(places: Place[]): Place[] {
  const seen = new Set<string>();
  return places.filter((p) => {
    const key = `${p.file}:${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
