/**
 * Class-based settings as readthedocs writes them (the pattern, not its code): INSTALLED_APPS and MIDDLEWARE
 * are properties that build a list, append to it under conditions and return it; CELERY_BEAT_SCHEDULE is a class
 * attribute; `load_settings(__name__)` exports the class into the settings module; the Celery app is built by a
 * module-level function (`app = create_application()`). Before, every entry was "add by hand", the beat entry went
 * into a module global the settings module never exports, and a second Celery app was created.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { InitPlan } from '../../../generators/types';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { planInit } from '../../../generators/planInit';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { diskReader } from './planKit';

const FIXTURE = path.resolve(__dirname, '../../fixtures/projects/property-settings');

const BASE = `from celery.schedules import crontab

from site_conf.loader import Settings


class CommunitySettings(Settings):
    SECRET_KEY = "dev"
    USE_SESSIONS = False
    AUTH_USER_MODEL = "accounts.Account"

    @property
    def INSTALLED_APPS(self):
        apps = [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "accounts",
        ]
        if self.USE_SESSIONS:
            apps.append("django.contrib.sessions")
        return apps

    @property
    def MIDDLEWARE(self):
        middlewares = [
            "django.middleware.common.CommonMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ]
        if self.USE_SESSIONS:
            middlewares.insert(0, "django.contrib.sessions.middleware.SessionMiddleware")
        return middlewares

    CELERY_BEAT_SCHEDULE = {
        "every-day-cleanup": {
            "task": "notes.tasks.cleanup",
            "schedule": crontab(minute=0, hour=3),
        },
    }

    @property
    def DATABASES(self):
        return {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "notes"}}
`;

const WORKER = `import os

from celery import Celery


def create_application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings.dev")
    application = Celery("site_conf")
    application.config_from_object("django.conf:settings", namespace="CELERY")
    application.autodiscover_tasks()
    return application


app = create_application()
`;

let dir = '';
let plan: InitPlan;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'skene-class-settings-'));
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(path.join(dir, 'site_conf/settings/base.py'), BASE);
  writeFileSync(path.join(dir, 'site_conf/worker.py'), WORKER);
  writeFileSync(path.join(dir, 'requirements.txt'), 'Django>=3.2\ncelery>=5.2\n');
  const project = await analyzeProject(dir);
  await loadSqlParser();
  plan = await planInit(project, {}, diskReader(dir));
});

after(() => rmSync(dir, { recursive: true, force: true }));

const after_ = (rel: string) => plan.files.find((f) => f.path === rel)?.after ?? null;

test('INSTALLED_APPS of the settings class in use (`return super().INSTALLED_APPS + ["notes"]`): into the list it adds', () => {
  assert.match(after_('site_conf/settings/dev.py') ?? '', /return super\(\)\.INSTALLED_APPS \+ \["notes", "skene_retention"\]/);
});

test('MIDDLEWARE into the list its property returns, the beat entry into the class attribute', () => {
  const base = after_('site_conf/settings/base.py');
  assert.ok(base, plan.notes.map((n) => n.message).join('\n'));
  assert.doesNotMatch(base, /skene_retention",/, 'the app is added once, in dev.py');
  assert.match(base, /"django\.contrib\.auth\.middleware\.AuthenticationMiddleware",\n            "skene_retention\.middleware\.LastActivityMiddleware",\n/);
  assert.match(base, /            "schedule": crontab\(minute=0, hour=3\),\n        },\n        # Skene: loop "[^"]+", cron '[^']+' in [^\n]+\n        "skene-[^"]+": \{\n            "task": "skene_retention\.run_loop",/);
  // Nothing at module level after the class: the settings module would never see it.
  assert.doesNotMatch(base, /^CELERY_BEAT_SCHEDULE/m);
  assert.equal(plan.notes.filter((n) => /by hand/.test(n.message) && /INSTALLED_APPS|MIDDLEWARE|beat/i.test(n.message)).length, 0, plan.notes.map((n) => n.message).join('\n'));
});

test('the app create_application() builds is the project\'s Celery app: no second one', () => {
  assert.equal(plan.files.some((f) => f.path.endsWith('/celery.py')), false, plan.files.map((f) => f.path).join('\n'));
});
