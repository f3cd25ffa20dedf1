/**
 * `skene demo`: the whole product on embedded defaults, nothing to start by hand. A copy of examples/saas
 * is initialized like `skene init --yes`, an embedded PostgreSQL (PGlite) gets the tables the migrations
 * create, people and events are seeded, and the loop from the generated skene.config.ts runs twice on the
 * real engine with the `log` provider: the first run emails the dormant users, the second (the next day's
 * tick) emails nobody, because the ledger already holds their email for this dormancy episode.
 * The engine's clock is fixed (its `now` option) so the ticks and the output are the same on every run.
 */
import { rmSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { runLoopOnce, type LoopManifest, type RunSummary } from '../../sdk/runtime';
import { buildRuntimeLoops } from '../run/buildRuntimeLoops';
import type { CommandIo } from '../run/commandIo';
import { formatCounts } from '../run/formatSummary';
import { configErrors, formatConfigIssues, readLoopProject, type LoopProject } from '../run/readLoopProject';
import { demoMailbox, type DemoMailbox } from './demoMailbox';
import { createDemoSchema, demoTables } from './demoSchema';
import { findExampleProject } from './findExampleProject';
import { copyExample, generatedMigrations, initializeProject, planLines } from './initializeCopy';
import { pgliteClient, startPglite } from './pgliteClient';
import { describePeople } from './describePeople';
import { DEMO_PEOPLE, seedDemo } from './seedDemo';

/** 09:30 in Europe/Paris (the example's TIME_ZONE): just after the loop's daily 09:00 tick. */
export const DEMO_NOW = new Date('2025-06-02T07:30:00Z');
const DAY_MS = 24 * 3_600_000;
/** Signs the demo's unsubscribe links only; a deployment sets its own SKENE_SECRET. */
const DEMO_SECRET = 'skene-demo-secret';
const DEMO_UNSUBSCRIBE_URL = 'http://localhost:8000/skene/unsubscribe/';

export interface DemoOptions {
  /** Keep the initialized copy instead of deleting it at the end. */
  keep?: boolean;
  exampleDir?: string;
}

export async function runDemo(io: CommandIo, options: DemoOptions = {}): Promise<number> {
  const started = performance.now();
  const example = options.exampleDir ?? findExampleProject();
  if (!example) {
    io.stderr('skene demo: examples/saas was not found; run the demo from a checkout of the repository (npm run demo).\n');
    return 2;
  }
  // PGlite boots while Initialize analyzes and writes: both take a few seconds.
  const booting = startPglite();
  booting.catch(() => undefined);
  const dir = copyExample(example);
  let db: PGlite | null = null;
  try {
    const initialized = await initialize(io, dir);
    if (!initialized) return 1;
    const { loopProject, migrations } = initialized;
    db = await booting;
    await prepareDatabase(io, db, loopProject, migrations);
    const code = await runTwice(io, db, loopProject);
    io.stdout(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.${options.keep ? ` The initialized copy is in ${dir}.` : ''}\n`);
    io.stdout('On your project: npx skene-django init, python manage.py migrate, then Celery beat runs the loop (or npx skene-django run).\n');
    return code;
  } finally {
    await (db ?? (await booting.catch(() => null)))?.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function initialize(io: CommandIo, dir: string): Promise<{ loopProject: LoopProject; migrations: string[] } | null> {
  io.stdout('Skene demo: the retention loop end to end on examples/saas, with an embedded PostgreSQL.\n\n');
  io.stdout('1. Initialize (what `skene init --yes` does) on a copy of examples/saas:\n');
  const plan = await initializeProject(dir);
  io.stdout(`${planLines(plan).join('\n')}\n`);
  const loopProject = await readLoopProject(dir);
  if (configErrors(loopProject).length) {
    io.stderr(formatConfigIssues(loopProject, dir));
    io.stderr('skene demo: the generated skene.config.ts has errors (a bug in Initialize).\n');
    return null;
  }
  return { loopProject, migrations: generatedMigrations(plan) };
}

async function prepareDatabase(io: CommandIo, db: PGlite, loopProject: LoopProject, migrations: string[]): Promise<void> {
  const project = loopProject.project;
  if (!project) throw new Error(`the initialized copy could not be analyzed: ${loopProject.projectError ?? 'unknown error'}`);
  const version = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  io.stdout(`\n2. Embedded PostgreSQL ${version} (PGlite, in this process): the tables the migrations create\n`);
  const tables = demoTables(project);
  const facts = loopProject.generated?.project;
  if (!facts) throw new Error('Initialize wrote no loops.json');
  for (const step of await createDemoSchema(db, project, tables, migrations)) io.stdout(`   ${step.what}\n`);
  const events = project.activity.eventsModel;
  if (!events) throw new Error('the example project has no events model');
  const eventCount = await seedDemo(db, tables.userModel, tables.eventsModel, events, facts.activityColumn);
  io.stdout(`\n3. Seeded ${DEMO_PEOPLE.length} people and ${eventCount} events (the generated trigger moved last activity to each one's latest event):\n`);
  io.stdout(`${(await describePeople(db, facts)).join('\n')}\n`);
}

async function runTwice(io: CommandIo, db: PGlite, loopProject: LoopProject): Promise<number> {
  const defaultFrom = loopProject.project?.email.defaultFromEmail ?? 'Demo <demo@example.com>';
  const loops = buildRuntimeLoops(loopProject, { defaultFrom, unsubscribeUrl: DEMO_UNSUBSCRIBE_URL });
  const mailbox = demoMailbox(io.stdout, io.unicode);
  let ok = true;
  for (const loop of loops) {
    io.stdout(`\n4. Run 1 of loop ${loop.id} (${loop.cron} in ${loop.timezone}) with the log provider: nothing leaves this machine\n`);
    const first = await runDemoLoop(db, loop, mailbox, DEMO_NOW);
    io.stdout(report(first, mailbox));
    io.stdout('\n5. Run 2, at the next day\'s tick: the same people are still dormant\n');
    const second = await runDemoLoop(db, loop, mailbox, new Date(DEMO_NOW.getTime() + DAY_MS));
    io.stdout(report(second, mailbox));
    if (second.sent === 0 && first.sent > 0) io.stdout('   Nobody twice: each dormant user already has this dormancy episode\'s email in the ledger (skene_send_ledger).\n');
    ok &&= first.status === 'succeeded' && first.sent > 0 && second.status === 'succeeded' && second.sent === 0;
  }
  if (!ok) io.stderr('skene demo: the runs did not go as expected (see the summaries above).\n');
  return ok ? 0 : 1;
}

function runDemoLoop(db: PGlite, loop: LoopManifest, mailbox: DemoMailbox, now: Date): Promise<RunSummary> {
  mailbox.clear();
  // The engine's own per-batch lines carry idempotency keys, which differ from seeding to seeding: the
  // mailbox prints the emails and the summary follows.
  return runLoopOnce(loop, { connect: () => Promise.resolve(pgliteClient(db)), provider: mailbox.provider, secret: DEMO_SECRET, now, log: () => undefined });
}

function report(summary: RunSummary, mailbox: DemoMailbox): string {
  const recipients = mailbox.recipients();
  return [
    `   tick ${summary.scheduledAt}: ${summary.status}${summary.reason ? ` (${summary.reason})` : ''}`,
    `   Emailed: ${recipients.length ? recipients.join(', ') : 'nobody'}`,
    `   Summary: ${formatCounts(summary)}`,
  ].join('\n') + '\n';
}
