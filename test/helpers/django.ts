import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { PostgresCluster } from './postgres';
import { runProcess, type ProcessResult } from './runProcess';
import { makeTempDir } from './tempDir';

/** Debian's interpreter, the one with Django 3.2, Celery, psycopg2, redis and stripe. `python3` on PATH has none. */
export const DJANGO_PYTHON = '/usr/bin/python3';

/** examples/saas in this repository: the Django project the demo and many tests use. */
export const EXAMPLE_PROJECT_DIR = path.resolve(__dirname, '../../examples/saas');

export type { ProcessResult };

/**
 * Runs `python manage.py <args>` in projectDir. `env` is laid over the current environment (PATH etc.);
 * the exit code is returned, not thrown, so tests can assert on it with the output in view.
 */
export function runManage(projectDir: string, args: string[], env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<ProcessResult> {
  return runProcess(DJANGO_PYTHON, ['manage.py', ...args], { cwd: projectDir, env: { ...process.env, ...env }, timeoutMs: options.timeoutMs });
}

/** Runs `python -c <code>` from projectDir, so the project's packages import as they would under manage.py. */
export function runDjangoPython(projectDir: string, code: string, env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<ProcessResult> {
  return runProcess(DJANGO_PYTHON, ['-c', code], { cwd: projectDir, env: { ...process.env, ...env }, timeoutMs: options.timeoutMs });
}

/**
 * The environment that points a Django project at `dbName` on `cluster`: the POSTGRES_* names that
 * examples/saas/config/settings/base.py reads (any project reading those names works the same), plus
 * DATABASE_URL, which Skene's own runner reads. No bytecode: copies of the project stay clean.
 */
export function djangoDbEnv(cluster: Pick<PostgresCluster, 'host' | 'port' | 'user'>, dbName: string): Record<string, string> {
  return {
    POSTGRES_HOST: cluster.host,
    POSTGRES_PORT: String(cluster.port),
    POSTGRES_USER: cluster.user,
    POSTGRES_PASSWORD: '',
    POSTGRES_DB: dbName,
    DATABASE_URL: `postgres://${cluster.user}@${cluster.host}:${cluster.port}/${dbName}`,
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** Copies a project (default: examples/saas) into a fresh temp dir and returns that dir; __pycache__ and .pyc are skipped. */
export async function copyProject(srcDir: string = EXAMPLE_PROJECT_DIR): Promise<string> {
  const dest = await makeTempDir('skene-project-');
  await cp(srcDir, dest, {
    recursive: true,
    filter: (source) => {
      const name = path.basename(source);
      return name !== '__pycache__' && !name.endsWith('.pyc');
    },
  });
  return dest;
}
