/**
 * The generated Django app (skene_retention): AppConfig, the Celery task, the vendored Python runtime,
 * the unsubscribe view, and — where needed — the per-user activity model and the activity middleware.
 */
import type { GeneratorAssets } from '../assets';
import { activityFeed, type LoopTarget } from '../loopTarget';
import { pySqlLiteral } from '../python/pySql';
import { pyIdentifier, pyString } from '../python/pySyntax';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';
import { touchSql } from './activitySql';
import type { SchedulerPlan } from './scheduler';

export function retentionAppFiles(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, scheduling: SchedulerPlan): GeneratedFile[] {
  const app = target.retentionApp;
  const owned = (path: string, contents: string, reason: string): GeneratedFile => ({ path: `${app}/${path}`, contents, reason, ownership: 'owned' });
  const files = [
    owned('__init__.py', render(assets, 'django/app_init.py.ejs', {}), 'Skene\'s Django app.'),
    owned('apps.py', render(assets, 'django/apps.py.ejs', { appName: pyString(app), loginSignal: !target.events }), 'The AppConfig of Skene\'s Django app.'),
    owned('migrations/__init__.py', '', 'Makes the migrations folder a package.'),
    owned('skene_runtime.py', assets.pythonRuntime, 'The Skene loop runtime for Celery (vendored verbatim: ledger, keys, retries, providers).'),
    owned('run.py', render(assets, 'django/run.py.ejs', {}), 'The entry every scheduler calls: runs a loop once through the vendored runtime (no scheduler or driver imports).'),
    owned('management/__init__.py', '', 'Makes management a package.'),
    owned('management/commands/__init__.py', '', 'Makes management/commands a package.'),
    owned('management/commands/skene_run.py', render(assets, 'django/skene_run.py.ejs', {}), '`python manage.py skene_run [--loop ID] [--dry-run]`: runs the loops once, for cron, systemd, Kubernetes, django-rq, django-q or Huey.'),
    owned('views.py', render(assets, 'django/views.py.ejs', {}), 'One-click unsubscribe (RFC 8058), the Resend webhook (bounces and complaints → suppression list) and the staff report.'),
    owned('urls.py', render(assets, 'django/urls.py.ejs', {}), 'The unsubscribe, webhook and report URLs.'),
  ];
  if (scheduling.celery) files.push(owned('tasks.py', render(assets, 'django/tasks.py.ejs', {}), 'The Celery task (beat runs it) that calls run.py.'));
  // The ledger models exist in migration state only when Skene's 0001 migration declares them (written by
  // this version of Initialize); an older, already applied 0001 keeps the app without them.
  if (ledgerModelsMigrated(ctx, target)) {
    const store = target.store;
    const activity = store.kind === 'activity-table';
    files.push(owned('models.py', render(assets, 'django/models.py.ejs', { activity, table: pyString(store.kind === 'activity-table' ? store.table : ''), feed: activityFeed(target) }), 'Skene\'s tables as models: the send ledger and suppression list (unmanaged, for the admin)' + (activity ? ' and per-user last activity (Django\'s auth.User cannot take a new column).' : '.')));
    files.push(owned('admin.py', render(assets, 'django/admin.py.ejs', {}), 'A read-only admin for the send ledger and the suppression list.'));
  } else if (target.store.kind === 'activity-table') {
    files.push(owned('models.py', render(assets, 'django/models.py.ejs', { activity: true, table: pyString(target.store.table), feed: activityFeed(target) }), 'Per-user last activity (Django\'s auth.User cannot take a new column).'));
  }
  if (!target.events) {
    const field = target.store.kind === 'user-column' ? userFieldName(ctx, target) : '';
    files.push(owned('middleware.py', render(assets, 'django/middleware.py.ejs', {
      mode: target.store.kind,
      field,
      throttleMinutes: String(ctx.options.activityThrottleMinutes),
      touchSql: pySqlLiteral(touchSql(target), 'TOUCH_SQL = '.length),
    }), `Updates last activity on authenticated requests, at most once per user per throttle window (no events table feeds it${notChosen(ctx, target)}).`));
  }
  return files;
}

/** True when Skene's 0001 migration is new, or already declares the unmanaged ledger models. */
function ledgerModelsMigrated(ctx: GeneratorContext, target: LoopTarget): boolean {
  const path = ctx.previous.migrations.retention ?? `${target.retentionApp}/migrations/0001_initial.py`;
  const text = ctx.readFile(path);
  // Either quote: a project's formatter (ruff format with quote-style = "single") writes it with its own.
  if (text === null || /\bname=(["'])SendLedger\1/.test(text)) return true;
  ctx.notes.push({ severity: 'info', message: `${path} was written by an earlier Skene without the ledger models, so the read-only ledger admin (models.py, admin.py) was left out; the report is at /skene/report/.` });
  return false;
}

/** The model field name (the ORM filters on it), not the column. */
function userFieldName(ctx: GeneratorContext, target: LoopTarget): string {
  if (target.store.kind !== 'user-column') return '';
  if (target.store.add) return pyIdentifier(target.store.add.field);
  const column = target.store.column;
  return pyIdentifier(ctx.project.userModel?.fields.find((f) => f.column === column)?.name ?? column);
}

/** The best events-like table that was not chosen, and why: the preview shows what the middleware stands in for. */
function notChosen(ctx: GeneratorContext, target: LoopTarget): string {
  if (target.activityChosenBy === 'user') return '; your choice';
  const best = ctx.project.activity.candidates?.find((c) => c.why);
  return best?.why ? `; ${best.table} was not used: ${best.why}` : '';
}
