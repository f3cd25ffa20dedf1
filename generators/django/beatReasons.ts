/**
 * The reasons the generators give the writes that carry a loop's beat schedule. Regenerate (the manifest-stale quick
 * fix, server/core/workspace/regenerateWrites.ts) picks those writes out of an Initialize plan by them, so both sides
 * use these; a module of its own, so the server does not load the generators to read them.
 */

/** Starts the reason of a settings or Celery-module edit that registers the beat entry ("… in CELERY_BEAT_SCHEDULE"). */
export const BEAT_REGISTRATION_REASON = 'registers the Skene task in';

/** Starts the reason of an edit that removes the entries of loops no longer in skene.config.ts ("… ('a', 'b') from …"). */
export const BEAT_REMOVAL_REASON = 'removes the beat entries of loops no longer in skene.config.ts';

/** The reason of the Celery app Initialize creates (and, recorded as its own, regenerates) with the beat schedule. */
export const CELERY_APP_REASON = 'The project had no Celery app: one per Celery\'s Django guide, with the Skene loop in its beat schedule.';

/** Starts the note of a `skene_run` scheduler line that differs from the one the last plan printed (no Celery). */
export const SCHEDULER_CHANGED = 'Scheduling: the line that runs `python manage.py skene_run` changed';
