/**
 * django-celery-beat keeps a loop's schedule in the database, written by a data migration. A changed cron (Initialize
 * again, or the editor's Regenerate quick fix, which writes the same migration) adds a migration after the earlier one
 * (which may have run): migrated, the periodic task moves to the new crontab; migrated back, it returns to the old
 * one; going back to an earlier cron is a new migration too. Renaming the loop id in the editor (the bundled language
 * server's rename) adds a migration that renames the periodic task. A cron that restricts both day-of-month and
 * day-of-week (cron ORs them, crontab() ANDs them) is two periodic tasks, "skene: <id>" and "skene: <id> (2)": changing
 * to such a cron and back adds and deletes the second one, both ways, and a rename renames both. A loop deleted from the
 * config gets a migration that deletes its periodic tasks (and creates them again, migrated backwards); back in the
 * config, it gets a new schedule migration.
 * Django 3.2 + django-celery-beat 2.4 + PostgreSQL 15.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../lsp/support/applyEdits';
import { withCursor } from '../lsp/support/cursor';
import { PULL_CLIENT, startSession } from '../lsp/support/session';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { withLoops } from '../unit/generators/planKit';
import { SETUP, initProject, lastJson, ok } from './initHarness';

let cluster: PostgresCluster;
let dir = '';
let env: Record<string, string> = {};

before(async () => {
  [cluster, dir] = await Promise.all([startPostgres(), copyProject(path.resolve(__dirname, '../fixtures/init/beatshop'))]);
  await cluster.createDatabase('app');
  env = { ...djangoDbEnv(cluster, 'app'), DJANGO_SETTINGS_MODULE: 'shop.settings' };
  assert.equal((await initProject(dir, { yes: true })).code, 0);
});

after(async () => {
  await cluster?.stop();
  if (dir) await removeTempDir(dir);
});

const schedule = async (loop = 'dormant-users'): Promise<{ hour: string; tz: string; count: number }> =>
  lastJson(await runDjangoPython(dir, `${SETUP}from django_celery_beat.models import PeriodicTask\nt = PeriodicTask.objects.filter(name="skene: ${loop}", args=json.dumps(["${loop}"]))\nc = t.first().crontab if t else None\nprint(json.dumps({"hour": c.hour if c else None, "tz": str(c.timezone) if c else None, "count": t.count()}))`, env));

async function changeCron(from: string, to: string): Promise<void> {
  const file = path.join(dir, 'skene.config.ts');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(`cron: '${from}'`));
  writeFileSync(file, text.replace(`cron: '${from}'`, `cron: '${to}'`));
  assert.equal((await initProject(dir, { yes: true })).code, 0);
}

interface LoopTask {
  name: string;
  crontab: string;
  tz: string;
  args: string[];
  enabled: boolean;
}

/** Every periodic task that runs the loop (its args), by name: "minute hour day_of_month month_of_year day_of_week". */
const loopTasks = async (loop: string): Promise<LoopTask[]> =>
  lastJson(await runDjangoPython(dir, `${SETUP}from django_celery_beat.models import PeriodicTask\nts = PeriodicTask.objects.filter(args=json.dumps(["${loop}"])).order_by("name")\nprint(json.dumps([{"name": t.name, "crontab": " ".join([t.crontab.minute, t.crontab.hour, t.crontab.day_of_month, t.crontab.month_of_year, t.crontab.day_of_week]), "tz": str(t.crontab.timezone), "args": json.loads(t.args), "enabled": t.enabled} for t in ts]))`, env));

const task = (loop: string, crontab: string, suffix = ''): LoopTask => ({ name: `skene: ${loop}${suffix}`, crontab, tz: 'Asia/Tokyo', args: [loop], enabled: true });

const scheduleMigrations = () => readdirSync(path.join(dir, 'skene_retention/migrations')).filter((f) => /_schedule_/.test(f)).sort();

/** Renames the loop id through the bundled language server's rename and writes its WorkspaceEdit (a new migration too). */
async function renameInEditor(t: TestContext, from: string, to: string): Promise<void> {
  const session = await startSession(t, { rootPath: dir, capabilities: PULL_CLIENT });
  const uri = pathToFileURL(path.join(dir, 'skene.config.ts')).href;
  const { text, position } = withCursor(readFileSync(path.join(dir, 'skene.config.ts'), 'utf8').replace(`id: '${from}'`, `id: '${from.slice(0, 3)}|${from.slice(3)}'`));
  await session.open(uri, text);
  const edit = await session.rename(uri, position, to);
  const written: string[] = [];
  for (const change of edit?.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      continue;
    }
    const file = fileURLToPath(change.textDocument.uri);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, applyEdits(file.endsWith('skene.config.ts') ? text : existsSync(file) ? readFileSync(file, 'utf8') : '', change.edits));
    written.push(file);
  }
  await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: written.map((file) => ({ uri: pathToFileURL(file).href, type: FileChangeType.Changed })) });
  await session.close();
}

test('a changed cron: a new schedule migration after the earlier one moves the task; migrated back, the earlier schedule returns', async () => {
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule(), { hour: '9', tz: 'Asia/Tokyo', count: 1 });

  await changeCron('0 9 * * *', '0 10 * * *');
  assert.deepEqual(scheduleMigrations(), ['0003_schedule_dormant_users.py', '0004_schedule_dormant_users.py']);
  // One leaf: the new migration follows the earlier one, and the models need no migration.
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule(), { hour: '10', tz: 'Asia/Tokyo', count: 1 });

  ok(await runManage(dir, ['migrate', 'skene_retention', '0003', '--no-input'], env));
  assert.deepEqual(await schedule(), { hour: '9', tz: 'Asia/Tokyo', count: 1 });
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule(), { hour: '10', tz: 'Asia/Tokyo', count: 1 });
});

test('back to an earlier cron: another migration (the one that set it first has run already)', async () => {
  await changeCron('0 10 * * *', '0 9 * * *');
  assert.deepEqual(scheduleMigrations(), ['0003_schedule_dormant_users.py', '0004_schedule_dormant_users.py', '0005_schedule_dormant_users.py']);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule(), { hour: '9', tz: 'Asia/Tokyo', count: 1 });
  // Unchanged now: a further init writes nothing.
  const again = await initProject(dir, { dryRun: true });
  assert.match(again.stdout, /\(0 create, 0 modify, \d+ unchanged, 0 conflict, 0 delete\)/);
});

test('renaming the loop id in the editor: a new migration renames the periodic task (and back); a later cron change follows it', async (t) => {
  await renameInEditor(t, 'dormant-users', 'lapsed-users');
  assert.ok(scheduleMigrations().length === 3 && existsSync(path.join(dir, 'skene_retention/migrations/0006_rename_dormant_users_to_lapsed_users.py')));

  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule('lapsed-users'), { hour: '9', tz: 'Asia/Tokyo', count: 1 });
  assert.equal((await schedule('dormant-users')).count, 0);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0005', '--no-input'], env));
  assert.deepEqual(await schedule('dormant-users'), { hour: '9', tz: 'Asia/Tokyo', count: 1 });
  ok(await runManage(dir, ['migrate', '--no-input'], env));

  // The renamed loop's next schedule change follows the rename migration and moves the renamed task.
  await changeCron('0 9 * * *', '0 11 * * *');
  assert.deepEqual(scheduleMigrations(), ['0003_schedule_dormant_users.py', '0004_schedule_dormant_users.py', '0005_schedule_dormant_users.py', '0007_schedule_lapsed_users.py']);
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await schedule('lapsed-users'), { hour: '11', tz: 'Asia/Tokyo', count: 1 });
});

test('a cron that restricts day-of-month and day-of-week: two periodic tasks; back to one and forth again, both ways', async () => {
  await changeCron('0 11 * * *', '30 8 1 * 1');
  const split = '0008_schedule_lapsed_users.py';
  assert.deepEqual(scheduleMigrations().slice(-1), [split]);
  const text = readFileSync(path.join(dir, 'skene_retention/migrations', split), 'utf8');
  assert.doesNotMatch(text, /only the day-of-month/);
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  // Cron fires on the 1st OR on Mondays: crontab() would AND the two, so each is its own task.
  const two = [task('lapsed-users', '30 8 1 * *'), task('lapsed-users', '30 8 * * 1', ' (2)')];
  assert.deepEqual(await loopTasks('lapsed-users'), two);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0007', '--no-input'], env));
  assert.deepEqual(await loopTasks('lapsed-users'), [task('lapsed-users', '0 11 * * *')]);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('lapsed-users'), two);
  const unchanged = await initProject(dir, { dryRun: true });
  assert.match(unchanged.stdout, /\(0 create, 0 modify, \d+ unchanged, 0 conflict, 0 delete\)/);
});

test('renaming a loop with two periodic tasks renames both (and back)', async (t) => {
  await renameInEditor(t, 'lapsed-users', 'churned-users');
  assert.ok(existsSync(path.join(dir, 'skene_retention/migrations/0009_rename_lapsed_users_to_churned_users.py')));
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '30 8 1 * *'), task('churned-users', '30 8 * * 1', ' (2)')]);
  assert.deepEqual(await loopTasks('lapsed-users'), []);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0008', '--no-input'], env));
  assert.deepEqual(await loopTasks('lapsed-users'), [task('lapsed-users', '30 8 1 * *'), task('lapsed-users', '30 8 * * 1', ' (2)')]);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
});

test('from two periodic tasks back to one: the second task is deleted, and migrated backwards it returns', async () => {
  await changeCron('30 8 1 * 1', '0 9 * * *');
  assert.deepEqual(scheduleMigrations().slice(-1), ['0010_schedule_churned_users.py']);
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '0 9 * * *')]);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0009', '--no-input'], env));
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '30 8 1 * *'), task('churned-users', '30 8 * * 1', ' (2)')]);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '0 9 * * *')]);
  // Back to the first schedule migration: the loop had one task then, under its first id.
  ok(await runManage(dir, ['migrate', 'skene_retention', '0003', '--no-input'], env));
  assert.deepEqual(await loopTasks('dormant-users'), [task('dormant-users', '0 9 * * *')]);
  assert.deepEqual(await loopTasks('churned-users'), []);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '0 9 * * *')]);
});

test('a loop deleted from the config: a migration deletes its periodic tasks, reversibly; back in the config, a new migration schedules it', async () => {
  const file = path.join(dir, 'skene.config.ts');
  const single = readFileSync(file, 'utf8');
  const churned = { id: 'churned-users', cron: '0 9 * * *' };
  const digest = { id: 'weekly-digest', cron: '30 8 1 * 1' };
  const migrations = () => readdirSync(path.join(dir, 'skene_retention/migrations')).filter((f) => /^\d{4}_/.test(f)).sort().slice(-1)[0];
  const two = [task('weekly-digest', '30 8 1 * *'), task('weekly-digest', '30 8 * * 1', ' (2)')];
  writeFileSync(file, withLoops(single, [churned, digest], churned));
  assert.equal((await initProject(dir, { yes: true })).code, 0);
  assert.equal(migrations(), '0011_schedule_weekly_digest.py');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), two);

  writeFileSync(file, single);
  const planned = await initProject(dir, { dryRun: true });
  assert.match(planned.stdout, /^ {2}create +skene_retention\/migrations\/0012_unschedule_weekly_digest\.py {2}— Unschedules loop weekly-digest in django-celery-beat \(deletes its periodic tasks: the loop is no longer in skene\.config\.ts\); migrated backwards, it runs on the schedule of skene_retention\/migrations\/0011_schedule_weekly_digest\.py again\.$/m);
  assert.equal((await initProject(dir, { yes: true })).code, 0);
  assert.equal(migrations(), '0012_unschedule_weekly_digest.py');
  assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), []);
  assert.deepEqual(await loopTasks('churned-users'), [task('churned-users', '0 9 * * *')]);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0011', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), two);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), []);
  // Done: a further init writes nothing (the unschedule migration is not written twice).
  assert.match((await initProject(dir, { dryRun: true })).stdout, /\(0 create, 0 modify, \d+ unchanged, 0 conflict, 0 delete\)/);

  // Back in the config: the earlier schedule migration has run and was undone by 0012, so a new one schedules it.
  writeFileSync(file, withLoops(single, [churned, digest], churned));
  assert.equal((await initProject(dir, { yes: true })).code, 0);
  assert.equal(migrations(), '0013_schedule_weekly_digest.py');
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), two);
  ok(await runManage(dir, ['migrate', 'skene_retention', '0012', '--no-input'], env));
  assert.deepEqual(await loopTasks('weekly-digest'), []);
  ok(await runManage(dir, ['migrate', '--no-input'], env));
  assert.match((await initProject(dir, { dryRun: true })).stdout, /\(0 create, 0 modify, \d+ unchanged, 0 conflict, 0 delete\)/);
});
