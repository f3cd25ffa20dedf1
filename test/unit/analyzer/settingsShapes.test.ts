/**
 * Settings shapes met in public Django projects, reproduced in small fixtures:
 * - split-include: django-split-settings `include()` with a glob, `optional()` and a computed path, and the
 *   debug-toolbar recipe `MIDDLEWARE.insert(MIDDLEWARE.index("...") + 1, ...)`.
 * - env-conditions: `if "DATABASE_URL" in os.environ:` (bakerydemo), `if os.environ.get("CI"):`,
 *   `if os.getenv("DB") == "postgres":` (healthchecks) — read as with the variable unset, and reported;
 *   names imported from helper modules (an enum, `conf.env`: styleguide example) that must not make those
 *   modules settings files; a pydantic class in models.py that is not a model (healthchecks).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { ProjectFiles } from '../../../server/core/django/projectFiles';
import { ModuleParser } from '../../../server/core/django/python/moduleParser';
import { SettingsReader } from '../../../server/core/django/settings/readSettings';
import { asStringList } from '../../../server/core/django/settings/settingsValues';

const FIXTURES = path.resolve(__dirname, '../../fixtures/projects');

async function parts(name: string) {
  const model = await analyzeProject(path.join(FIXTURES, name));
  const models = model.models?.map((m) => `${m.app}.${m.class}`);
  return { settings: model.settings, database: model.database, email: model.email, unresolved: model.unresolved, models };
}

describe('settings shapes from real projects', () => {
  test('django-split-settings include(): components run in order, computed paths are reported', async () => {
    assert.deepEqual(await parts('split-include'), {
      settings: {
        module: 'site_conf.settings',
        files: [
          'site_conf/settings/__init__.py',
          'site_conf/settings/components/common.py',
          'site_conf/settings/components/apps_local.py',
          'site_conf/settings/components/database.py',
        ],
        declaredAt: { file: 'manage.py', line: 6, column: 5 },
        installedAppsAt: { file: 'site_conf/settings/components/common.py', line: 2, column: 18, endLine: 5, endColumn: 2 },
        middlewareAt: { file: 'site_conf/settings/components/common.py', line: 6, column: 14, endLine: 9, endColumn: 2 },
        timeZone: 'America/Chicago',
        templateDirs: [],
        fromEnv: [],
      },
      database: {
        engine: 'django.db.backends.postgresql',
        postgres: true,
        urlEnv: null,
        options: [{ engine: 'django.db.backends.postgresql', condition: null, file: 'site_conf/settings/components/database.py', line: 1 }],
        postgresSupport: 'always',
        postgresCondition: null,
        driver: null,
      },
      email: { backend: 'django.core.mail.backends.smtp.EmailBackend', provider: 'smtp', defaultFromEmail: null, apiKeyEnv: [] },
      unresolved: [
        { file: 'site_conf/settings/__init__.py', line: 6, message: 'include() of a computed path (f"environments/{ENV.lower()}.py"); that settings file is not read' },
      ],
      models: ['shop.Order'],
    });
  });

  test('MIDDLEWARE.insert at MIDDLEWARE.index(...) + 1 is applied', async () => {
    const parser = await ModuleParser.create();
    const files = new ProjectFiles(path.join(FIXTURES, 'split-include'), parser);
    try {
      const read = new SettingsReader(files).read('site_conf.settings', null);
      assert.deepEqual(asStringList(read.values.get('MIDDLEWARE')?.value), {
        items: ['django.middleware.security.SecurityMiddleware', 'django.middleware.common.CommonMiddleware', 'shop.middleware.VisitMiddleware'],
        unknown: [],
      });
      assert.deepEqual(asStringList(read.values.get('INSTALLED_APPS')?.value), { items: ['django.contrib.auth', 'django.contrib.contenttypes', 'shop'], unknown: [] });
    } finally {
      files.dispose();
    }
  });

  test('conditions on environment variables read as with the variable unset; helper modules are not settings files', async () => {
    assert.deepEqual(await parts('env-conditions'), {
      settings: {
        module: 'conf.settings',
        files: ['conf/mail.py', 'conf/settings.py'],
        declaredAt: { file: 'manage.py', line: 5, column: 5 },
        installedAppsAt: { file: 'conf/settings.py', line: 9, column: 18, endLine: 13, endColumn: 2 },
        timeZone: 'America/Chicago',
        templateDirs: [],
        fromEnv: [
          { setting: 'EMAIL_DELIVERY', env: 'EMAIL_DELIVERY', default: 'console', hasDefault: true, file: 'conf/mail.py', line: 5 },
          { setting: 'SECRET_KEY', env: 'SECRET_KEY', default: 'dev', hasDefault: true, file: 'conf/settings.py', line: 8 },
        ],
      },
      // Every engine a configuration selects is kept: PostgreSQL under DATABASE_URL or DB=postgres, not refused.
      database: {
        engine: 'django.db.backends.sqlite3',
        postgres: false,
        urlEnv: null,
        options: [
          { engine: 'django.db.backends.sqlite3', condition: 'DATABASE_URL is not set', file: 'conf/settings.py', line: 18 },
          { engine: 'django.db.backends.postgresql', condition: 'DATABASE_URL is a postgres:// URL', file: 'conf/settings.py', line: 16 },
          { engine: 'django.db.backends.postgresql', condition: 'DB=postgres', file: 'conf/settings.py', line: 30 },
        ],
        postgresSupport: 'conditional',
        postgresCondition: 'DATABASE_URL is a postgres:// URL',
        driver: null,
      },
      email: { backend: 'django.core.mail.backends.console.EmailBackend', provider: 'console', defaultFromEmail: null, apiKeyEnv: [] },
      unresolved: [
        {
          file: 'conf/settings.py',
          line: 26,
          message: 'EMAIL_BACKEND is changed under a condition on the environment variable CI (line 25), read as if CI is not set; that change is not applied',
        },
      ],
      models: ['notes.Note'],
    });
  });
});
