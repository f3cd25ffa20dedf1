/**
 * `skene init --yes` on three more project shapes, each on Django 3.2 + PostgreSQL 15:
 * - plainblog: Django's auth.User, no Celery (Initialize adds no Celery code: `manage.py skene_run` runs the loop), no events table (middleware);
 * - teamapp: custom user in a models package, Celery with app.conf.beat_schedule, no events (middleware);
 * - beatshop: auth.User, django-celery-beat's database scheduler, an events model (trigger).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, checkProject, initProject, lastJson, ok, planActions, sql } from './initHarness';

const FIXTURES = path.resolve(__dirname, '../fixtures/init');

interface Shape {
  name: string;
  settings: string;
  /** `migrate <app> <node>` that takes Skene's migrations back off. */
  back: [string, string];
  /** Python (after `User` is imported) that sets user `u`'s last activity to `days` ago. */
  setActivity: string;
  /** How the test moves activity: a request through the middleware, or an event row (trigger). */
  activity: 'middleware' | 'trigger';
  /** SQL reading the last activity of user `$1` (username). */
  readActivity: string;
  /** Python printing the beat schedule of the loop as JSON {task, minute, hour, tz}; null: no Celery. */
  beat: string | null;
  expectedBeat: Record<string, unknown>;
}

const ACTIVITY_TABLE = "SELECT a.last_activity_at AS at FROM skene_user_activity a JOIN auth_user u ON u.id = a.user_id WHERE u.username = $1";
const appConfBeat = (module: string) => `from ${module} import app\ne = app.conf.beat_schedule["skene-dormant-users"]\ns = e["schedule"]\nprint(json.dumps({"task": e["task"], "minute": sorted(s.minute), "hour": sorted(s.hour), "tz": str(app.conf.timezone)}))`;

const SHAPES: Shape[] = [
  {
    name: 'plainblog',
    settings: 'blogsite.settings',
    back: ['skene_retention', 'zero'],
    setActivity: 'from skene_retention.models import UserActivity\nUserActivity.objects.update_or_create(user=u, defaults={"last_activity_at": timezone.now() - timedelta(days=days)})',
    activity: 'middleware',
    readActivity: ACTIVITY_TABLE,
    beat: null,
    expectedBeat: {},
  },
  {
    name: 'teamapp',
    settings: 'project.settings',
    back: ['accounts', '0001'],
    setActivity: 'User.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=days))',
    activity: 'middleware',
    readActivity: 'SELECT last_activity_at AS at FROM accounts_user WHERE username = $1',
    beat: appConfBeat('project.celery'),
    expectedBeat: { task: 'skene_retention.run_loop', minute: [0], hour: [9], tz: 'UTC' },
  },
  {
    name: 'beatshop',
    settings: 'shop.settings',
    back: ['skene_retention', 'zero'],
    setActivity: 'from skene_retention.models import UserActivity\nUserActivity.objects.update_or_create(user=u, defaults={"last_activity_at": timezone.now() - timedelta(days=days)})',
    activity: 'trigger',
    readActivity: ACTIVITY_TABLE,
    beat: 'from django_celery_beat.models import PeriodicTask\nt = PeriodicTask.objects.get(name="skene: dormant-users")\nc = t.crontab\nprint(json.dumps({"task": t.task, "args": json.loads(t.args), "minute": c.minute, "hour": c.hour, "tz": str(c.timezone)}))',
    expectedBeat: { task: 'skene_retention.run_loop', args: ['dormant-users'], minute: '0', hour: '9', tz: 'Asia/Tokyo' },
  },
];

for (const shape of SHAPES) {
  describe(`skene init on ${shape.name}`, () => {
    let cluster: PostgresCluster;
    let fake: FakeResend;
    let dir: string;
    let url: string;
    let env: Record<string, string>;
    let firstCode = -1;
    let firstOut = '';
    const py = (code: string) => runDjangoPython(dir, `${SETUP}from datetime import timedelta\nfrom django.utils import timezone\nfrom django.contrib.auth import get_user_model\nUser = get_user_model()\n${code}`, env);

    before(async () => {
      [cluster, dir, fake] = await Promise.all([startPostgres(), copyProject(path.join(FIXTURES, shape.name)), startFakeResend({ apiKey: 're_test' })]);
      url = await cluster.createDatabase('app');
      env = { ...djangoDbEnv(cluster, 'app'), DJANGO_SETTINGS_MODULE: shape.settings, RESEND_BASE_URL: fake.url, RESEND_API_KEY: 're_test', SKENE_UNSUBSCRIBE_URL: 'https://app.example.com/skene/unsubscribe/' };
      const first = await initProject(dir, { yes: true });
      [firstCode, firstOut] = [first.code, first.stdout];
    });

    after(async () => {
      await Promise.all([cluster?.stop(), fake?.stop()]);
      if (dir) await removeTempDir(dir);
    });

    test('init applies, the config checks clean, Django checks pass and no migration is missing', async () => {
      assert.equal(firstCode, 0);
      const { issues } = await checkProject(dir);
      assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
      assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
      assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
    });

    test('migrate, back to the previous node, forward again', async () => {
      const ledger = async () => (await sql(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'skene_send_ledger'")).length;
      ok(await runManage(dir, ['migrate', '--no-input'], env));
      assert.equal(await ledger(), 1);
      ok(await runManage(dir, ['migrate', ...shape.back, '--no-input'], env));
      assert.equal(await ledger(), 0);
      ok(await runManage(dir, ['migrate', '--no-input'], env));
      assert.equal(await ledger(), 1);
    });

    test(`last activity moves (${shape.activity}) and never backwards`, async () => {
      ok(await py('u = User.objects.create_user("mover", "mover@example.com", "pw")\ndays = 30\n' + shape.setActivity));
      const read = async () => (await sql<{ at: Date }>(url, shape.readActivity, ['mover']))[0]?.at.getTime() ?? 0;
      const before = await read();
      if (shape.activity === 'middleware') {
        const hit = 'from django.test import Client\nc = Client()\nc.force_login(User.objects.get(username="mover"))\nprint(json.dumps(c.get("/").status_code))';
        assert.equal(lastJson(await py(hit)), 200);
        const moved = await read();
        assert.ok(moved > before + 29 * 86_400_000, 'the request counts as activity');
        // A second request inside the throttle window writes nothing (same value).
        assert.equal(lastJson(await py(hit)), 200);
        assert.equal(await read(), moved);
      } else {
        const insert = (at: string) => sql(url, "INSERT INTO activity_activitylog (action, created_at, user_id) SELECT 'view', $1, id FROM auth_user WHERE username = 'mover'", [at]);
        await insert(new Date(Date.now() - 86_400_000).toISOString());
        const moved = await read();
        assert.ok(Math.abs(moved - (Date.now() - 86_400_000)) < 5_000, 'the event time is the new last activity');
        await insert('2020-01-01T00:00:00Z');
        assert.equal(await read(), moved);
      }
    });

    if (shape.beat !== null) {
      const beat = shape.beat;
      test('the beat schedule has the loop at 09:00 in the loop\'s time zone', async () => {
        assert.deepEqual(lastJson(await py(beat)), shape.expectedBeat);
      });
    } else {
      test('no Celery: nothing imports it, the plan shows the crontab line for skene_run', async () => {
        assert.ok(!existsSync(path.join(dir, 'blogsite/celery.py')));
        assert.ok(!existsSync(path.join(dir, 'skene_retention/tasks.py')));
        assert.doesNotMatch(readFileSync(path.join(dir, 'blogsite/__init__.py'), 'utf8'), /celery/);
        assert.match(firstOut, /^ {4}0 \* \* \* \* cd \/path\/to\/project && python manage\.py skene_run --window-minutes 60$/m);
        const dry = ok(await runManage(dir, ['skene_run', '--dry-run'], env));
        assert.equal(JSON.parse(dry.stdout.trim().split('\n').pop() ?? '{}').status, 'dry_run');
        const unknown = await runManage(dir, ['skene_run', '--loop', 'nope'], env);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /no loop nope in skene_retention\/loops\.json \(loops: dormant-users\)/);
      });
    }

    test('the loop query runs and the scheduled run emails each dormant user exactly once', async () => {
      const users = [['sleepy', 30], ['dozy', 9], ['awake', 1]] as const;
      ok(await py(users.map(([name, days]) => `u = User.objects.create_user("${name}", "${name}@example.com", "pw")\ndays = ${days}\n${shape.setActivity}`).join('\n') + '\nUser.objects.filter(username="mover").update(is_active=False)'));
      const { loops } = await checkProject(dir);
      const audience = await sql<{ email: string }>(url, `SELECT q.email FROM (${loops[0]?.manifest?.query ?? ''}) AS q ORDER BY 1`);
      assert.deepEqual(audience.map((r) => r.email), ['dozy@example.com', 'sleepy@example.com']);
      const summary = shape.beat === null
        ? JSON.parse(ok(await runManage(dir, ['skene_run', '--loop', 'dormant-users'], env)).stdout.trim().split('\n').pop() ?? '{}')
        : lastJson(await py('from skene_retention.tasks import run_loop\nprint(json.dumps(run_loop.apply(args=("dormant-users",)).get()))'));
      assert.equal(summary.status, 'succeeded', JSON.stringify(summary));
      assert.deepEqual(fake.uniqueEmails().map((e) => e.to.join(',')).sort(), ['dozy@example.com', 'sleepy@example.com']);
    });

    if (shape.readActivity === ACTIVITY_TABLE) {
      test("auth.User: no view pins auth_user's columns, and the runtime's joined reads (users by id, report) run", async () => {
        assert.deepEqual(await sql(url, "SELECT v.relname FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class WHERE d.refobjid = 'auth_user'::regclass AND v.relname <> 'auth_user'"), []);
        const reads = [
          'from pathlib import Path',
          'from django.db import connection',
          'from skene_retention.skene_runtime import array_literal, loop_report, users_by_id_sql',
          'data = json.loads(Path("skene_retention/loops.json").read_text())',
          'loop = data["loops"][0]',
          'ids = [str(u.pk) for u in User.objects.filter(username__in=["sleepy", "dozy"])]',
          'with connection.cursor() as cursor:',
          '    cursor.execute(users_by_id_sql(loop, marker=lambda n: "%s"), [array_literal(ids)])',
          '    found = sorted(row[1] for row in cursor.fetchall())',
          'print(json.dumps([found, sum(step["sent"] for step in loop_report(connection, loop, data["project"]))]))',
        ].join('\n');
        assert.deepEqual(lastJson(await py(reads)), [['dozy@example.com', 'sleepy@example.com'], 2]);
        // What a view selecting u.* refused: Django's auth migrations alter these columns' types.
        await sql(url, 'ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(200)');
        await sql(url, 'ALTER TABLE auth_user ALTER COLUMN username TYPE varchar(150)');
      });
    }

    test('a second init changes nothing', async () => {
      const second = await initProject(dir, { dryRun: true });
      assert.deepEqual(Object.entries(planActions(second.stdout)).filter(([, a]) => a !== 'unchanged'), []);
    });
  });
}
