/**
 * Which table feeds last activity: only one with evidence that its rows are the user's own actions — a required
 * foreign key to the user model, a timestamp set when the row is written (auto_now_add), and a name that says
 * events. Real projects had RSS feed entries, staff audit logs and a log whose user column is never set picked,
 * and then active users looked dormant. Without such a table the middleware counts activity.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

function write(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

async function activityOf(models: string) {
  const root = await makeTempDir('skene-activity-');
  try {
    write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n');
    write(root, 'site_cfg/__init__.py', '');
    write(root, 'site_cfg/settings.py', 'INSTALLED_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "tracking",\n]\n');
    write(root, 'tracking/__init__.py', '');
    write(root, 'tracking/models.py', `from django.conf import settings\nfrom django.db import models\nfrom django.utils import timezone\n\n${models}`);
    return (await analyzeProject(root)).activity;
  } finally {
    await removeTempDir(root);
  }
}

const USER = 'models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE';

test('an events table with a required user and an insert timestamp is chosen, with the reason', async () => {
  const activity = await activityOf(`class Event(models.Model):\n    user = ${USER})\n    created_at = models.DateTimeField(auto_now_add=True)\n`);
  assert.equal(activity.eventsModel?.table, 'tracking_event');
  assert.equal(activity.eventsModel?.why, 'user_id is set on every row and created_at when the row is written (auto_now_add)');
});

test('default=timezone.now is evidence too: the value is the time the row was written', async () => {
  const activity = await activityOf(`class PageView(models.Model):\n    user = ${USER})\n    viewed_at = models.DateTimeField(default=timezone.now)\n`);
  assert.equal(activity.eventsModel?.why, 'user_id is set on every row and viewed_at when the row is written (default=now)');
});

test('a staff audit log, a log whose user may be empty and a table without an insert timestamp are not chosen, and say why', async () => {
  const activity = await activityOf([
    `class AuditLog(models.Model):\n    user = ${USER})\n    created_at = models.DateTimeField(auto_now_add=True)\n`,
    `class RequestLog(models.Model):\n    user = ${USER}, null=True, blank=True)\n    created_at = models.DateTimeField(auto_now_add=True)\n`,
    `class FeedEntry(models.Model):\n    user = ${USER})\n    date = models.DateTimeField()\n`,
  ].join('\n\n'));
  assert.equal(activity.eventsModel, null);
  const why = Object.fromEntries((activity.candidates ?? []).map((c) => [c.table, c.why]));
  assert.deepEqual(why, {
    tracking_auditlog: 'its name says it records staff or admin actions, not the user\'s own',
    tracking_requestlog: 'user_id may be empty (null=True), so rows may not say whose activity they are',
    tracking_feedentry: 'date is not set when the row is written (no auto_now_add or default=now), so it may not be the time of the user\'s action',
  });
});
