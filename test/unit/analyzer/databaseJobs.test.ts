/**
 * The database facts generators and the checker share (options, postgresSupport, driver, postgresRefusal)
 * and the job system, on small projects written to a temp folder for each case.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { postgresRefusal } from '../../../server/core/django/postgresSupport';
import type { ProjectModel } from '../../../server/core/django/projectModel';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-dbjobs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n';
const APPS = 'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n';
let n = 0;

/** A project with site_conf/settings.py = `settings` and any extra files. */
async function project(settings: string, extra: Record<string, string> = {}): Promise<ProjectModel> {
  const dir = path.join(tmp, `p${n++}`);
  const files: Record<string, string> = { 'manage.py': MANAGE, 'site_conf/__init__.py': '', 'site_conf/settings.py': settings, ...extra };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return analyzeProject(dir);
}

const PG = 'django.db.backends.postgresql';
const SQLITE = 'django.db.backends.sqlite3';

describe('database engine options and the PostgreSQL refusal', () => {
  test('a literal PostgreSQL engine: always, no refusal', async () => {
    const m = await project(`${APPS}DATABASES = {"default": {"ENGINE": "${PG}", "NAME": "x"}}\n`);
    assert.equal(m.database.postgresSupport, 'always');
    assert.deepEqual(m.database.options, [{ engine: PG, condition: null, file: 'site_conf/settings.py', line: 2 }]);
    assert.equal(postgresRefusal(m), null);
  });

  test('SQLite only: never, and the refusal names the engine and where', async () => {
    const m = await project(`${APPS}DATABASES = {"default": {"ENGINE": "${SQLITE}", "NAME": "db"}}\n`);
    assert.equal(m.database.postgresSupport, 'never');
    assert.equal(postgresRefusal(m), `Skene needs PostgreSQL; this project's DATABASES uses ${SQLITE} (site_conf/settings.py:2).`);
  });

  test('a helper dict bound in both branches of an engine test, then used by DATABASES (linkding): both engines, not refused', async () => {
    const m = await project(
      `import os\n${APPS}LD_DB_ENGINE = os.getenv("LD_DB_ENGINE", "sqlite")\nif LD_DB_ENGINE == "postgres":\n    default_database = {"ENGINE": "${PG}", "NAME": "ld"}\nelse:\n    default_database = {"ENGINE": "${SQLITE}", "NAME": "db"}\nDATABASES = {"default": default_database}\n`,
    );
    assert.equal(m.database.engine, SQLITE);
    assert.equal(m.database.postgresSupport, 'conditional');
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition, o.line]), [[SQLITE, 'LD_DB_ENGINE!=postgres', 8], [PG, 'LD_DB_ENGINE=postgres', 8]]);
    assert.equal(postgresRefusal(m), null);
  });

  test('a helper bound again unconditionally before DATABASES uses it: the branch value is forgotten', async () => {
    const m = await project(
      `import os\n${APPS}if os.getenv("DB") == "postgres":\n    default_database = {"ENGINE": "${PG}"}\nelse:\n    default_database = {"ENGINE": "${SQLITE}"}\ndefault_database = {"ENGINE": "${SQLITE}", "NAME": "db"}\nDATABASES = {"default": default_database}\n`,
    );
    assert.equal(m.database.postgresSupport, 'never');
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition]), [[SQLITE, null]]);
  });

  test('an engine switched by DB=postgres: conditional, named, not refused', async () => {
    const m = await project(
      `import os\n${APPS}DATABASES = {"default": {"ENGINE": "${SQLITE}", "NAME": "db"}}\nif os.environ.get("DB") == "postgres":\n    DATABASES["default"]["ENGINE"] = "${PG}"\n`,
    );
    assert.equal(m.database.engine, SQLITE);
    assert.equal(m.database.postgresSupport, 'conditional');
    assert.equal(m.database.postgresCondition, 'DB=postgres');
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition]), [[SQLITE, null], [PG, 'DB=postgres']]);
    assert.equal(postgresRefusal(m), null);
    assert.ok(!m.unresolved.some((u) => u.message.includes('DATABASES')), JSON.stringify(m.unresolved));
  });

  test('the else branch of a != test, and `in` a list', async () => {
    const m = await project(
      `import os\n${APPS}if os.getenv("DB_KIND", "sqlite") != "pg":\n    DATABASES = {"default": {"ENGINE": "${SQLITE}"}}\nelse:\n    DATABASES = {"default": {"ENGINE": "${PG}"}}\n`,
    );
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition]), [[SQLITE, 'DB_KIND!=pg'], [PG, 'DB_KIND=pg']]);
    assert.equal(m.database.postgresCondition, 'DB_KIND=pg');
    const list = await project(`import os\n${APPS}DATABASES = {"default": {"ENGINE": "${SQLITE}"}}\nif os.getenv("DB") in ("pg", "postgres"):\n    DATABASES = {"default": {"ENGINE": "${PG}"}}\n`);
    assert.equal(list.database.postgresCondition, 'DB in (pg, postgres)');
  });

  test('dj_database_url with a SQLite default: PostgreSQL when the URL says so', async () => {
    const m = await project(`import dj_database_url\n${APPS}DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}\n`);
    assert.equal(m.database.engine, SQLITE);
    assert.equal(m.database.urlEnv, 'DATABASE_URL');
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition]), [
      [SQLITE, 'DATABASE_URL is not set'],
      [PG, 'DATABASE_URL is a postgres:// URL'],
    ]);
    assert.equal(m.database.postgresSupport, 'conditional');
    assert.equal(postgresRefusal(m), null);
  });

  test('django-environ env.db() with a postgres:// default: always', async () => {
    const m = await project(`import environ\nenv = environ.Env()\n${APPS}DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///app")}\n`);
    assert.equal(m.database.engine, PG);
    assert.equal(m.database.postgresSupport, 'always');
  });

  test('ENGINE read from the environment with a SQLite default', async () => {
    const m = await project(`import os\n${APPS}DATABASES = {"default": {"ENGINE": os.environ.get("DB_ENGINE", "${SQLITE}")}}\n`);
    assert.equal(m.database.postgresSupport, 'conditional');
    assert.equal(m.database.postgresCondition, `DB_ENGINE=${PG}`);
  });

  test('PostgreSQL in the branch taken with no environment set (plane: if bool(os.environ.get("DATABASE_URL"))): always', async () => {
    const m = await project(`import os\nimport dj_database_url\n${APPS}if bool(os.environ.get("DATABASE_URL")):\n    DATABASES = {"default": dj_database_url.config()}\nelse:\n    DATABASES = {"default": {"ENGINE": "${PG}", "NAME": os.environ.get("POSTGRES_DB")}}\n`);
    assert.equal(m.database.postgresSupport, 'always');
    assert.deepEqual(m.database.options?.map((o) => o.condition), ['DATABASE_URL is not set', 'DATABASE_URL is a postgres:// URL']);
  });

  test('a walrus in an if on the environment is an environment condition (djangopackages)', async () => {
    const m = await project(`import os\n${APPS}DATABASES = {"default": {"ENGINE": "${SQLITE}"}}\nif USE_PG := os.environ.get("USE_PG"):\n    DATABASES = {"default": {"ENGINE": "${PG}"}}\n`);
    assert.equal(m.database.postgresSupport, 'conditional');
    assert.equal(m.database.postgresCondition, 'USE_PG is set');
  });

  test('django-environ scheme defaults (DefectDojo: environ.FileAwareEnv(X=(str, default)) then env("X")): the engine is the default', async () => {
    const m = await project(
      `import os\nimport environ\n${APPS}env = environ.FileAwareEnv(DD_DATABASE_ENGINE=(str, "${PG}"), DD_DEBUG=(bool, False))\nif os.getenv("DD_DATABASE_URL") is not None:\n    DATABASES = {"default": env.db("DD_DATABASE_URL")}\nelse:\n    DATABASES = {"default": {"ENGINE": env("DD_DATABASE_ENGINE"), "NAME": env.str("DD_DATABASE_NAME")}}\n`,
    );
    assert.equal(m.database.engine, PG);
    assert.deepEqual(m.database.options?.map((o) => [o.engine, o.condition]), [[PG, 'DD_DATABASE_URL is not set'], [PG, 'DD_DATABASE_URL is a postgres:// URL']]);
  });

  test('a default URL built with % from a path (kpi: "sqlite:///%s/db.sqlite3" % BASE_DIR): SQLite unless DATABASE_URL says postgres', async () => {
    const m = await project(`import environ\nfrom pathlib import Path\n${APPS}env = environ.Env()\nBASE_DIR = Path(__file__).resolve().parent\nDATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite:///%s/db.sqlite3" % BASE_DIR)}\n`);
    assert.equal(m.database.engine, SQLITE);
    assert.equal(m.database.postgresCondition, 'DATABASE_URL is a postgres:// URL');
  });

  test('python-decouple config("DATABASE_URL", cast=dj_database_url.parse) (kitsune): the URL\'s scheme', async () => {
    const m = await project(`import dj_database_url\nfrom decouple import config\n${APPS}DATABASES = {"default": config("DATABASE_URL", cast=dj_database_url.parse)}\n`);
    assert.equal(m.database.urlEnv, 'DATABASE_URL');
    assert.equal(m.database.postgresCondition, 'DATABASE_URL is a postgres:// URL');
  });

  test('a method of a project class with an __init__ (self.x = ...): its return value, the engine from the arguments', async () => {
    const db = `class DbSettings:\n    def __init__(self, name, engine="${SQLITE}"):\n        self.name = name\n        self.engine = engine\n\n    def as_dict(self, **extra):\n        return {"ENGINE": self.engine, "NAME": self.name}\n`;
    const m = await project(`from .db import DbSettings\n${APPS}DATABASES = {"default": DbSettings("app", engine="${PG}").as_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(m.database.engine, PG);
    assert.equal(m.database.postgresSupport, 'always');
    const sqlite = await project(`from .db import DbSettings\n${APPS}DATABASES = {"default": DbSettings("app").as_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(sqlite.database.engine, SQLITE);
  });

  test('a subclass overriding a dataclass field default; a method inherited from the base', async () => {
    const db = `import dataclasses\n\n@dataclasses.dataclass\nclass Base:\n    name: str\n    engine: str = "${SQLITE}"\n\n    def to_dict(self):\n        return {"ENGINE": self.engine, "NAME": self.name}\n\n@dataclasses.dataclass\nclass Pg(Base):\n    engine: str = "${PG}"\n`;
    const m = await project(`from .db import Pg, Base\n${APPS}DATABASES = {"default": Pg("app").to_dict(), "other": Base(name="x").to_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(m.database.engine, PG);
  });

  test('a method that calls itself through self: not followed, no hang', async () => {
    const db = `class Loop:\n    def __init__(self):\n        self.me = self\n\n    def as_dict(self):\n        return self.me.as_dict()\n`;
    const m = await project(`from .db import Loop\n${APPS}DATABASES = {"default": Loop().as_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(m.database.postgresSupport, 'unknown');
  });

  test('a class with neither __init__ nor fields: followed when its bases are the project\'s, not when one is a library\'s', async () => {
    const db = `import environ\n\nclass Plain:\n    ENGINE = "${PG}"\n\n    def as_dict(self):\n        return {"ENGINE": self.ENGINE}\n\nclass Child(Plain, object):\n    pass\n\nclass FromLibrary(environ.Env):\n    def as_dict(self):\n        return {"ENGINE": "${PG}"}\n`;
    const m = await project(`from .db import Child\n${APPS}DATABASES = {"default": Child().as_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(m.database.postgresSupport, 'always');
    const library = await project(`from .db import FromLibrary\n${APPS}DATABASES = {"default": FromLibrary().as_dict()}\n`, { 'site_conf/db.py': db });
    assert.equal(library.database.postgresSupport, 'unknown');
  });

  test('settings included from outside the project after DATABASES (AWX: /etc/tower/conf.d/*.py): SQLite read, not refused', async () => {
    const m = await project(`from split_settings.tools import include, optional\n${APPS}DATABASES = {"default": {"ENGINE": "${SQLITE}"}}\ninclude(optional("/etc/app/conf.d/*.py"), scope=locals())\n`);
    assert.equal(m.database.engine, SQLITE);
    assert.equal(m.database.postgresSupport, 'unknown');
    assert.equal(postgresRefusal(m), null);
    assert.deepEqual(m.unresolved.map((u) => [u.line, u.message]), [
      [4, 'include("/etc/app/conf.d/*.py") reads settings from outside the project (written at deploy time); what they set is unknown'],
      [4, `DATABASES['default'] uses ${SQLITE} in the project, but /etc/app/conf.d/*.py (outside the project) runs after it and may replace it; assuming nothing about the engine (the loop needs PostgreSQL)`],
    ]);
  });

  test('split-settings include(*names) of a list built in branches on the environment (Tabbycat): the branch taken with none set', async () => {
    const m = await project(
      `import os\nfrom split_settings.tools import include\n\nbase = ["core.py"]\nif os.environ.get("ON_HEROKU", ""):\n    base.append("heroku.py")\nelse:\n    base.append("local.py")\ninclude(*base)\n`,
      { 'site_conf/core.py': APPS, 'site_conf/local.py': `DATABASES = {"default": {"ENGINE": "${SQLITE}"}}\n`, 'site_conf/heroku.py': `DATABASES = {"default": {"ENGINE": "${PG}"}}\n` },
    );
    assert.equal(m.settings?.files.join(','), 'site_conf/core.py,site_conf/local.py');
    assert.equal(m.database.engine, SQLITE);
  });

  test('django-configurations values.Value inside DATABASES (richie): read from environ_name with its default', async () => {
    const settings = `from configurations import Configuration, values\n\nclass Development(Configuration):\n    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n    DATABASES = {"default": {"ENGINE": values.Value("${PG}", environ_name="DB_ENGINE", environ_prefix=None), "PORT": values.Value(5432)}}\n`;
    const m = await project(settings, { 'manage.py': `${MANAGE}os.environ.setdefault("DJANGO_CONFIGURATION", "Development")\n` });
    assert.equal(m.database.engine, PG);
    assert.equal(m.database.postgresSupport, 'always');
  });

  test('an unreadable engine: unknown, reported, not refused', async () => {
    const m = await project(`from .db import make\n${APPS}DATABASES = make()\n`);
    assert.equal(m.database.postgresSupport, 'unknown');
    assert.equal(postgresRefusal(m), null);
    assert.ok(m.unresolved.some((u) => u.file === 'site_conf/settings.py' && u.message.includes('comes from site_conf.db.make(...), which Skene could not follow to a literal')));
  });

  test('models built before these fields existed: the refusal falls back to the engine', () => {
    const model = { database: { engine: SQLITE } } as ProjectModel;
    assert.match(postgresRefusal(model) ?? '', /uses django\.db\.backends\.sqlite3/);
    assert.equal(postgresRefusal({ database: { engine: PG } } as ProjectModel), null);
  });
});

describe('PostgreSQL driver from dependency declarations', () => {
  const settings = `${APPS}DATABASES = {"default": {"ENGINE": "${PG}"}}\n`;
  const cases: Array<[string, Record<string, string>, 'psycopg2' | 'psycopg' | null]> = [
    ['requirements.txt psycopg2-binary', { 'requirements.txt': 'Django==4.2\npsycopg2-binary==2.9.9\n' }, 'psycopg2'],
    ['requirements/base.txt psycopg[binary]', { 'requirements/base.txt': 'psycopg[binary]>=3.1  # pg\n' }, 'psycopg'],
    ['pyproject PEP 621 one-line array', { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["django>=4", "psycopg2>=2.9"]\n' }, 'psycopg2'],
    ['Poetry table', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\npsycopg = {extras = ["binary"], version = "^3.1"}\n' }, 'psycopg'],
    ['setup.cfg install_requires', { 'setup.cfg': '[metadata]\nname = x\n[options]\ninstall_requires =\n    Django>=3.2\n    psycopg2\n' }, 'psycopg2'],
    ['setup.py install_requires', { 'setup.py': 'from setuptools import setup\nsetup(\n    name="psycopg-demo",\n    install_requires=["django>=3.2", "psycopg2-binary"],\n)\n' }, 'psycopg2'],
    ['Pipfile', { Pipfile: '[packages]\ndjango = "*"\npsycopg2-binary = "*"\n' }, 'psycopg2'],
    ['both drivers: psycopg 3 (Django imports it first)', { 'requirements.txt': 'psycopg2==2.9\npsycopg==3.1\n' }, 'psycopg'],
    ['dev-requirements.txt (a prefix before "requirements")', { 'dev-requirements.txt': 'psycopg2==2.9\n' }, 'psycopg2'],
    ['test_requirements/databases.txt (django-cms: a folder named for requirements)', { 'test_requirements/databases.txt': '-r requirements_base.txt\npsycopg>=3.1.8\n' }, 'psycopg'],
    ['none', { 'requirements.txt': 'Django==4.2\n' }, null],
  ];
  for (const [name, files, driver] of cases) {
    test(name, async () => assert.equal((await project(settings, files)).database.driver, driver));
  }
});

describe('background job system', () => {
  test('Celery: the app module and the dependency; beat from settings', async () => {
    const m = await project(`${APPS}CELERY_BEAT_SCHEDULE = {}\n`, {
      'requirements.txt': 'celery==5.2.7\n',
      'site_conf/celery.py': 'from celery import Celery\napp = Celery("site_conf")\napp.config_from_object("django.conf:settings", namespace="CELERY")\n',
    });
    assert.deepEqual(m.jobs, {
      system: 'celery',
      scheduler: 'celery-beat',
      declaredIn: [{ file: 'requirements.txt', line: 1 }, { file: 'site_conf/celery.py', line: 2 }],
    });
  });

  test('beat entries set on the app under an if (taiga: only when a setting is on): the project schedules with app.conf statements', async () => {
    const app = [
      'from celery import Celery',
      'from django.conf import settings',
      'app = Celery("site_conf")',
      'app.config_from_object("django.conf:settings", namespace="CELERY")',
      'if settings.ENABLE_TELEMETRY:',
      '    app.conf.beat_schedule["send-telemetry"] = {"task": "t.send", "schedule": 3600}',
      '',
    ].join('\n');
    const m = await project(APPS, { 'requirements.txt': 'celery\n', 'site_conf/celery.py': app });
    assert.equal(m.celery?.beat, 'app.conf');
    assert.deepEqual(m.celery?.beatAt, { file: 'site_conf/celery.py', line: 6 });
  });

  test('an app built by a module-level function (readthedocs: app = create_application()): that app, its namespace, the beat schedule in settings', async () => {
    const worker = [
      'import os',
      'from celery import Celery',
      'from django.conf import settings',
      '',
      'def create_application():',
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")',
      '    application = Celery(settings.CELERY_APP_NAME)',
      '    application.config_from_object("django.conf:settings", namespace="CELERY")',
      '    application.autodiscover_tasks(None)',
      '    return application',
      '',
      'app = create_application()',
      '',
    ].join('\n');
    const m = await project(`${APPS}CELERY_BEAT_SCHEDULE = {"x": {"task": "t", "schedule": 60}}\n`, { 'requirements.txt': 'celery\n', 'site_conf/worker.py': worker });
    assert.deepEqual(
      { appModule: m.celery?.appModule, file: m.celery?.file, line: m.celery?.line, namespace: m.celery?.namespace, beat: m.celery?.beat },
      { appModule: 'site_conf.worker', file: 'site_conf/worker.py', line: 12, namespace: 'CELERY', beat: 'settings' },
    );
    // A function that builds something else is not an app.
    const other = await project(APPS, { 'requirements.txt': 'celery\n', 'site_conf/worker.py': 'from celery import Celery\n\ndef make():\n    return dict()\n\napp = make()\nCelery\n' });
    assert.equal(other.celery, null);
  });

  test('Celery with django_celery_beat installed', async () => {
    const m = await project('INSTALLED_APPS = ["django.contrib.auth", "django_celery_beat"]\n', { 'requirements.txt': 'celery\ndjango-celery-beat\n' });
    assert.equal(m.jobs?.system, 'celery');
    assert.equal(m.jobs?.scheduler, 'django_celery_beat');
  });

  test('django-rq in INSTALLED_APPS with rq-scheduler', async () => {
    const m = await project('INSTALLED_APPS = ["django.contrib.auth", "django_rq"]\n', { 'requirements.txt': 'django-rq==2.8\nrq-scheduler\n' });
    assert.deepEqual(m.jobs, {
      system: 'rq',
      scheduler: 'rq-scheduler',
      declaredIn: [{ file: 'requirements.txt', line: 1 }, { file: 'requirements.txt', line: 2 }, { file: 'site_conf/settings.py', line: 1 }],
    });
  });

  test('django-q, Huey, Dramatiq from INSTALLED_APPS', async () => {
    const q = await project('INSTALLED_APPS = ["django_q"]\n');
    assert.deepEqual([q.jobs?.system, q.jobs?.scheduler], ['django-q', 'django-q']);
    const huey = await project('INSTALLED_APPS = ["huey.contrib.djhuey"]\n');
    assert.deepEqual([huey.jobs?.system, huey.jobs?.scheduler], ['huey', 'huey']);
    const dram = await project('INSTALLED_APPS = ["django_dramatiq"]\n', { 'pyproject.toml': '[project]\ndependencies = [\n  "dramatiq",\n  "periodiq",\n]\n' });
    assert.deepEqual([dram.jobs?.system, dram.jobs?.scheduler], ['dramatiq', 'periodiq']);
  });

  test('usage beats a stray dependency: django_rq installed, celery only in requirements', async () => {
    const m = await project('INSTALLED_APPS = ["django_rq"]\n', { 'requirements.txt': 'celery\n' });
    assert.equal(m.jobs?.system, 'rq');
  });

  test('none', async () => {
    assert.deepEqual((await project(APPS)).jobs, { system: 'none', scheduler: null, declaredIn: [] });
  });
});
