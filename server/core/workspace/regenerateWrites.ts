/**
 * "Regenerate" for a stale skene_retention/loops.json: of everything Initialize would write, only what follows from
 * the config — the manifest, the Celery beat entry (its crontab and the comment that repeats the cron; in the
 * project's settings or Celery module, or the Celery app Initialize created) — and the recorded hashes of the files
 * Initialize owns among them in .skene/generated.json, so the next Initialize still recognises them as its own.
 * Where django-celery-beat's database scheduler holds the schedule, a changed cron needs a new data migration (the
 * earlier one may have run), and so does a loop deleted from the config (one that deletes its periodic tasks): it is
 * created and recorded, and the summary says to migrate. Beat entries of deleted loops in the settings or Celery module
 * are removed. Without Celery, a `skene_run` scheduler line that changed is recorded and the summary shows what to
 * replace. Nothing else of a full
 * Initialize (models, other migrations, settings, the vendored SDK) is touched, and without a new migration the
 * summary says there is nothing to migrate.
 */
import { contentHash, parseState, serializeState, STATE_FILE } from '../../../generators/state/initState';
import { BEAT_REGISTRATION_REASON, BEAT_REMOVAL_REASON, CELERY_APP_REASON, SCHEDULER_CHANGED } from '../../../generators/django/beatReasons';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
import type { EditorPlan, PlannedWrite } from './planInitialize';

/** A settings or Celery-module edit that (also) registers or removes beat entries, or the Celery app Initialize created. */
const isBeatWrite = (write: PlannedWrite) => write.reason.includes(`${BEAT_REGISTRATION_REASON} `) || write.reason.includes(BEAT_REMOVAL_REASON) || write.reason === CELERY_APP_REASON;
/** The reason the generators give a django-celery-beat schedule migration, or one that unschedules a gone loop. */
const BEAT_MIGRATION = /^(?:Schedules|Unschedules) loop \S+ in django-celery-beat \((.*?)\)/;

export interface RegeneratePlan {
  writes: PlannedWrite[];
  /** Why nothing is written (the manifest is current, or Initialize never ran), when so. */
  nothing?: string;
  /** What the writes do and whether to migrate, for the user. */
  summary?: string;
}

export function regenerateWrites(plan: EditorPlan, stateText: string | null): RegeneratePlan {
  const manifest = plan.writes.find((write) => write.path === GENERATED_MANIFEST_FILE);
  if (!manifest) {
    const conflict = plan.files.find((file) => file.path === GENERATED_MANIFEST_FILE && file.action === 'conflict');
    return { writes: [], nothing: conflict ? `${GENERATED_MANIFEST_FILE} was edited by hand: \`npx skene-django init --yes\` replaces it.` : `${GENERATED_MANIFEST_FILE} is already current.` };
  }
  const beat = plan.writes.filter((write) => write.path !== GENERATED_MANIFEST_FILE && isBeatWrite(write) && write.before !== null);
  const schedules = plan.writes.filter((write) => write.before === null && BEAT_MIGRATION.test(write.reason));
  const writes = [manifest, ...beat, ...schedules];
  const state = recordedState(plan, stateText, [manifest, ...beat], schedules);
  if (state) writes.push(state);
  // Without Celery, Skene does not edit the project's scheduler: a changed `skene_run` line is the user's to replace.
  const scheduler = plan.notes.find((note) => note.message.startsWith(SCHEDULER_CHANGED))?.message;
  return { writes, summary: [summarize(manifest, beat, schedules), scheduler].filter(Boolean).join('\n') };
}

/**
 * The state file with the new hashes of the files Initialize owns among the writes (the manifest, a Celery app it
 * created) and the new schedule migrations' roles (as Initialize records them).
 */
function recordedState(plan: EditorPlan, stateText: string | null, rewritten: PlannedWrite[], schedules: PlannedWrite[]): PlannedWrite | null {
  const state = parseState(stateText);
  if (stateText === null) return null;
  for (const write of rewritten) if (state.files[write.path] !== undefined) state.files[write.path] = contentHash(write.after);
  const planned = parseState(plan.writes.find((write) => write.path === STATE_FILE)?.after ?? null);
  for (const [role, path] of Object.entries(planned.migrations)) {
    if (schedules.some((write) => write.path === path)) state.migrations[role] = path;
  }
  if (planned.scheduler !== undefined) state.scheduler = planned.scheduler;
  const after = serializeState(state);
  return after === stateText ? null : { path: STATE_FILE, before: stateText, after, reason: `Records the regenerated ${GENERATED_MANIFEST_FILE}.` };
}

function summarize(manifest: PlannedWrite, beat: PlannedWrite[], schedules: PlannedWrite[]): string {
  const updated = [manifest.path, ...beat.map(beatUpdate)].join(' and ');
  if (!schedules.length) return `Updated ${updated}. No migration changed: nothing to migrate.`;
  const apps = [...new Set(schedules.map((write) => write.path.split('/migrations/')[0] ?? ''))];
  const moves = schedules.map((write) => `${write.path} (${BEAT_MIGRATION.exec(write.reason)?.[1] ?? 'the new schedule'})`).join(', ');
  return `Updated ${updated}, and added ${moves}: django-celery-beat keeps the schedule in the database, so run \`python manage.py migrate ${apps.join(' ')}\` to apply it.`;
}

/** "the beat entry in <file>", or what removing the entries of loops no longer in the config did there. */
function beatUpdate(write: PlannedWrite): string {
  const removed = new RegExp(`${BEAT_REMOVAL_REASON} \\(([^)]*)\\)`).exec(write.reason)?.[1];
  return removed ? `the beat schedule in ${write.path} (removed the entries of ${removed}, no longer in skene.config.ts)` : `the beat entry in ${write.path}`;
}
