import type { AnalyzeOptions } from '../server/core/django/analyzeProject';

/**
 * The CLI reads the settings module Django itself would use: `manage.py` only sets DJANGO_SETTINGS_MODULE
 * when the environment does not (os.environ.setdefault), so a value in the environment wins there too.
 */
export function cliAnalyzeOptions(env: NodeJS.ProcessEnv = process.env): AnalyzeOptions {
  const module = env.DJANGO_SETTINGS_MODULE?.trim();
  return { settingsModule: module ? module : null };
}
