/** Facts about the project's files that the pure checker cannot read itself; the caller gathers them. */
export interface CheckOptions {
  /**
   * Template files that exist, relative to the project's template directories (e.g.
   * "skene/emails/re_engagement.html"). Undefined: not known, so the template check is skipped.
   */
  existingTemplates?: string[];
  /** Environment variable names defined in .env files or the environment, e.g. ["RESEND_API_KEY"]. */
  envNames?: string[];
  /**
   * Text of the loop manifest `skene init` generated for the Celery task (skene_retention/loops.json), or
   * null when the project has none. Undefined: not known, so the staleness check is skipped.
   */
  generatedManifest?: string | null;
  /** "Now" for next cron runs (tests pin it). */
  now?: Date;
}
