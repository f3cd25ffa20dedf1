/**
 * Benchmark: `skene init --dry-run` on a synthetic 3,000-file Django project (300 apps x 10 files, one 2 MB
 * models.py, custom user, Celery, an events model), the same shape as bench/analyze.ts. Reports the total
 * of the first (cold) run in this process and the share spent in analysis vs generation (planning), then
 * the median of 5 warm runs. Run: `npx tsx bench/init.ts`. Writes bench/results/init.json. Target: total <= 2 s.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { runInit } from '../cli/commands/init';
import { planInit } from '../generators/planInit';
import { loadSqlParser } from '../server/core/config/sql/sqlParser';
import { analyzeProject } from '../server/core/django/analyzeProject';
import { diskReader } from '../test/unit/generators/planKit';

const APPS = 300;
const BIG_MODELS_BYTES = 2 * 1024 * 1024;
const WARM_RUNS = 5;
const TARGET_MS = 2000;
const root = path.resolve(__dirname, '..');

function write(dir: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function modelClass(app: number, i: number): string {
  return `\n\nclass App${app}Model${i}(models.Model):\n    """Model ${i} of app ${app}."""\n\n    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n    title = models.CharField(max_length=200)\n    amount = models.DecimalField(max_digits=10, decimal_places=2, db_column="amount_${i}")\n    created_at = models.DateTimeField(auto_now_add=True)\n\n    class Meta:\n        ordering = ["-created_at"]\n`;
}

function modelsFile(app: number, targetBytes: number): string {
  let text = 'from django.conf import settings\nfrom django.db import models\n';
  for (let i = 0; text.length < targetBytes; i++) text += modelClass(app, i);
  return text;
}

const SETTINGS = (apps: string[]) => `import os

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
${apps.map((a) => `    "${a}",`).join('\n')}
]
MIDDLEWARE = [
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "config.urls"
AUTH_USER_MODEL = "app_001.User"
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "bench"}}
TIME_ZONE = "UTC"
CELERY_BEAT_SCHEDULE = {}
`;

/** 300 apps x 10 files (+ config): app 0's models.py is the 2 MB one, app 1 holds the user and an Event model. */
function generate(dir: string): void {
  const apps = Array.from({ length: APPS }, (_, i) => `app_${String(i).padStart(3, '0')}`);
  write(dir, 'manage.py', 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n');
  write(dir, 'config/__init__.py', '');
  write(dir, 'config/settings.py', SETTINGS(apps));
  write(dir, 'config/urls.py', 'from django.urls import path\n\nurlpatterns = []\n');
  write(dir, 'config/celery.py', 'from celery import Celery\n\napp = Celery("config")\napp.config_from_object("django.conf:settings", namespace="CELERY")\n');
  apps.forEach((app, i) => {
    let models = modelsFile(i, i === 0 ? BIG_MODELS_BYTES : 1500);
    if (i === 1) models = `from django.contrib.auth.models import AbstractUser\n${models}\n\nclass User(AbstractUser):\n    plan = models.CharField(max_length=20)\n\n\nclass Event(models.Model):\n    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n    created_at = models.DateTimeField(auto_now_add=True)\n`;
    write(dir, `${app}/__init__.py`, '');
    write(dir, `${app}/apps.py`, `from django.apps import AppConfig\n\n\nclass App${i}Config(AppConfig):\n    name = "${app}"\n`);
    write(dir, `${app}/models.py`, models);
    write(dir, `${app}/admin.py`, `from django.contrib import admin\n\nfrom .models import App${i}Model0\n\nadmin.site.register(App${i}Model0)\n`);
    write(dir, `${app}/views.py`, `from django.http import JsonResponse\n\nfrom .models import App${i}Model0\n\n\ndef listing(request):\n    return JsonResponse({"count": App${i}Model0.objects.count()})\n`);
    write(dir, `${app}/urls.py`, 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.listing)]\n');
    write(dir, `${app}/tests.py`, 'from django.test import TestCase\n\n\nclass SmokeTest(TestCase):\n    def test_nothing(self):\n        self.assertTrue(True)\n');
    write(dir, `${app}/migrations/__init__.py`, '');
    write(dir, `${app}/migrations/0001_initial.py`, 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = []\n');
    write(dir, `${app}/migrations/0002_auto.py`, `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("${app}", "0001_initial")]\n    operations = []\n`);
  });
}

async function timedRun(dir: string): Promise<{ analysisMs: number; generationMs: number; totalMs: number; files: number }> {
  const started = performance.now();
  const [project] = await Promise.all([analyzeProject(dir), loadSqlParser()]);
  const analyzed = performance.now();
  const plan = await planInit(project, {}, diskReader(project.root));
  const planned = performance.now();
  if (plan.notes.some((n) => n.severity === 'error')) throw new Error(`plan failed: ${JSON.stringify(plan.notes)}`);
  return { analysisMs: analyzed - started, generationMs: planned - analyzed, totalMs: planned - started, files: plan.files.length };
}

const round = (n: number) => Math.round(n * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skene-bench-init-'));
  try {
    generate(dir);
    const cold = await timedRun(dir);
    const warm = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await timedRun(dir));
    // The command end to end (analysis + plan + printing every diff), as `skene init --dry-run` runs it.
    let printed = 0;
    const cliStarted = performance.now();
    const code = await runInit(dir, { dryRun: true }, { stdout: (t) => { printed += t.length; }, stderr: () => undefined, isTTY: false, confirm: () => Promise.resolve(false) });
    const cliMs = performance.now() - cliStarted;
    if (code !== 0) throw new Error(`skene init --dry-run exited ${code}`);
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      project: { pyFiles: APPS * 10 + 4, apps: APPS, bigModelsBytes: BIG_MODELS_BYTES, plannedFiles: cold.files },
      cold: { totalMs: round(cold.totalMs), analysisMs: round(cold.analysisMs), generationMs: round(cold.generationMs), analysisShare: round((cold.analysisMs / cold.totalMs) * 100) / 100 },
      warmMedian: { totalMs: round(median(warm.map((w) => w.totalMs))), analysisMs: round(median(warm.map((w) => w.analysisMs))), generationMs: round(median(warm.map((w) => w.generationMs))) },
      dryRunCommandMs: round(cliMs),
      dryRunOutputChars: printed,
      targetTotalMs: TARGET_MS,
      meetsTarget: cold.totalMs <= TARGET_MS,
    };
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(path.join(root, 'bench/results/init.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
