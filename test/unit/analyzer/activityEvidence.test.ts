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

async function activityOf(models: string, code: Record<string, string> = {}) {
  const root = await makeTempDir('skene-activity-');
  try {
    write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n');
    write(root, 'site_cfg/__init__.py', '');
    write(root, 'site_cfg/settings.py', 'INSTALLED_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "tracking",\n]\n');
    write(root, 'tracking/__init__.py', '');
    write(root, 'tracking/models.py', `from django.conf import settings\nfrom django.db import models\nfrom django.utils import timezone\n\n${models}`);
    for (const [rel, text] of Object.entries(code)) write(root, rel, text);
    return (await analyzeProject(root)).activity;
  } finally {
    await removeTempDir(root);
  }
}

const USER = 'models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE';

/** A view that records what the signed-in user did: the write evidence most projects have. */
const VIEW = (model: string) => `from django.http import JsonResponse\n\nfrom .models import ${model}\n\n\ndef track(request):\n    ${model}.objects.create(user=request.user)\n    return JsonResponse({})\n`;

test('an events table with a required user and an insert timestamp, written in a view with request.user, is chosen; why names the file and line', async () => {
  const activity = await activityOf(`class Event(models.Model):\n    user = ${USER})\n    created_at = models.DateTimeField(auto_now_add=True)\n`, { 'tracking/views.py': VIEW('Event') });
  assert.equal(activity.eventsModel?.table, 'tracking_event');
  assert.equal(activity.eventsModel?.why, 'user_id is set on every row and created_at when the row is written (auto_now_add); rows are written with the acting user at tracking/views.py:7 Event.objects.create(user=request.user)');
});

test('default=timezone.now is evidence too: the value is the time the row was written', async () => {
  const activity = await activityOf(`class PageView(models.Model):\n    user = ${USER})\n    viewed_at = models.DateTimeField(default=timezone.now)\n`, { 'tracking/views.py': VIEW('PageView') });
  assert.match(activity.eventsModel?.why ?? '', /^user_id is set on every row and viewed_at when the row is written \(default=now\); rows are written/);
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

const EVENT = `class Event(models.Model):\n    user = ${USER})\n    created_at = models.DateTimeField(auto_now_add=True)\n`;

test('every way a project writes rows with the acting user counts: Model(...).save(), bulk_create, a reverse manager, a signal receiver, a DRF serializer', async () => {
  const writers: Record<string, string> = {
    'tracking/save.py': 'from .models import Event\n\n\ndef track(request):\n    event = Event(user=request.user)\n    event.save()\n',
    'tracking/bulk.py': 'from .models import Event\n\n\nclass Batch:\n    def flush(self, users):\n        Event.objects.bulk_create([Event(user_id=self.request.user.id)])\n',
    'tracking/reverse.py': 'def track(request):\n    request.user.event_set.create()\n',
    'tracking/receivers.py': 'from django.contrib.auth.signals import user_logged_in\nfrom django.dispatch import receiver\n\nfrom .models import Event\n\n\n@receiver(user_logged_in)\ndef on_login(sender, request, user, **kwargs):\n    Event.objects.create(user=user)\n',
    'tracking/api.py': 'from rest_framework import generics\n\nfrom .serializers import EventSerializer\n\n\nclass EventCreate(generics.CreateAPIView):\n    serializer_class = EventSerializer\n\n    def perform_create(self, serializer):\n        serializer.save(user=self.request.user)\n',
  };
  // The serializer alone writes nothing; the view that saves it with the user does.
  const serializer = 'from rest_framework import serializers\n\nfrom .models import Event\n\n\nclass EventSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Event\n        fields = ["id"]\n';
  assert.equal((await activityOf(EVENT, { 'tracking/serializers.py': serializer })).eventsModel, null);
  for (const [file, text] of Object.entries(writers)) {
    const activity = await activityOf(EVENT, { [file]: text, 'tracking/serializers.py': serializer });
    assert.equal(activity.eventsModel?.table, 'tracking_event', file);
    assert.match(activity.eventsModel?.why ?? '', new RegExp(`rows are written with the acting user at ${file.replace('.', '\\.')}:\\d+ `), file);
  }
});

test('a log whose user column is never set by the code is not chosen, and why says so (the middleware counts activity)', async () => {
  const middleware = 'from .models import RequestLog\n\n\nclass LogRequests:\n    def __call__(self, request):\n        RequestLog.objects.create(path=request.path)\n        return self.get_response(request)\n';
  const activity = await activityOf(`class RequestLog(models.Model):\n    user = ${USER})\n    path = models.CharField(max_length=200)\n    created_at = models.DateTimeField(auto_now_add=True)\n`, { 'tracking/middleware.py': middleware });
  assert.equal(activity.eventsModel, null);
  assert.match(activity.candidates?.[0]?.why ?? '', /^no code in the project writes its rows with the acting user \(looked for RequestLog\.objects\.create\(user=request\.user\)/);
});

test('RSS entries written by a feed importer with the feed owner are not chosen: a user, but not one acting', async () => {
  const importer = 'from .models import FeedEvent\n\n\ndef import_feed(feed, entries):\n    for entry in entries:\n        FeedEvent.objects.create(user=feed.owner, title=entry.title)\n';
  const activity = await activityOf(`class FeedEvent(models.Model):\n    user = ${USER})\n    title = models.CharField(max_length=200)\n    created_at = models.DateTimeField(auto_now_add=True)\n`, { 'tracking/importer.py': importer });
  assert.equal(activity.eventsModel, null);
  assert.match(activity.candidates?.[0]?.why ?? '', /rows are written with another user \(tracking\/importer\.py:6 FeedEvent\.objects\.create\(user=feed\.owner\)\)$/);
});

test('writes in tests, factories and migrations are not evidence; a moderator\'s report actions are not the user\'s activity', async () => {
  const inTests = await activityOf(EVENT, {
    'tracking/tests/test_views.py': 'from tracking.models import Event\n\n\ndef test_track(rf, user):\n    Event.objects.create(user=user)\n',
    'tracking/factories.py': 'from .models import Event\n\n\ndef make(user):\n    return Event(user=user)\n',
  });
  assert.equal(inTests.eventsModel, null);
  const reports = await activityOf(`class ReportAction(models.Model):\n    user = ${USER})\n    created_at = models.DateTimeField(auto_now_add=True)\n`, {
    'tracking/report.py': 'from .models import ReportAction\n\n\ndef comment(report, user, note):\n    ReportAction.objects.create(user=user, note=note)\n',
  });
  assert.equal(reports.eventsModel, null);
  assert.match(reports.candidates?.[0]?.why ?? '', /staff or admin actions/);
});
