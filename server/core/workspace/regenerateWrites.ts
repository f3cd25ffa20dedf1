/**
 * "Regenerate" for a stale skene_retention/loops.json: of everything Initialize would write, only what follows from
 * the config — the manifest, the Celery beat entry (its crontab and the comment that repeats the cron) — and the
 * manifest's recorded hash in .skene/generated.json, so the next Initialize still recognises the file as its own.
 * Nothing else of a full Initialize (models, migrations, settings, the vendored SDK) is touched, and no migrate step
 * follows: no migration changed.
 */
import { contentHash, parseState, serializeState, STATE_FILE } from '../../../generators/state/initState';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
import type { EditorPlan, PlannedWrite } from './planInitialize';

/** The reason the generators give a settings or Celery-module edit that (also) registers the beat entry. */
const BEAT_REGISTRATION = /registers the Skene task in /;

export interface RegeneratePlan {
  writes: PlannedWrite[];
  /** Why nothing is written (the manifest is current, or Initialize never ran), when so. */
  nothing?: string;
}

export function regenerateWrites(plan: EditorPlan, stateText: string | null): RegeneratePlan {
  const manifest = plan.writes.find((write) => write.path === GENERATED_MANIFEST_FILE);
  if (!manifest) {
    const conflict = plan.files.find((file) => file.path === GENERATED_MANIFEST_FILE && file.action === 'conflict');
    return { writes: [], nothing: conflict ? `${GENERATED_MANIFEST_FILE} was edited by hand: \`npx skene-django init --yes\` replaces it.` : `${GENERATED_MANIFEST_FILE} is already current.` };
  }
  const beat = plan.writes.filter((write) => write.path !== GENERATED_MANIFEST_FILE && BEAT_REGISTRATION.test(write.reason) && write.before !== null);
  const writes = [manifest, ...beat];
  const state = parseState(stateText);
  if (stateText !== null && state.files[GENERATED_MANIFEST_FILE] !== undefined) {
    state.files[GENERATED_MANIFEST_FILE] = contentHash(manifest.after);
    const after = serializeState(state);
    if (after !== stateText) writes.push({ path: STATE_FILE, before: stateText, after, reason: `Records the regenerated ${GENERATED_MANIFEST_FILE}.` });
  }
  return { writes };
}
