/**
 * The zod schema: the single definition of a loop. The editor's diagnostics, `skene check`, the TypeScript
 * runner's start-up validation, the manifest and docs/config-reference.md all derive from it.
 *
 * Issues that the static checker must report under a specific diagnostic code carry it in
 * `params.skeneCode` (zod keeps `params` on custom issues), so the mapping never depends on message text.
 */
import { z } from 'zod';
import { DURATION_SYNTAX, isDuration, parseDuration } from './duration';

export const SKENE_CODE_PARAM = 'skeneCode';

function duration(what: string) {
  return z
    .string()
    .refine(isDuration, { message: `${what} must be ${DURATION_SYNTAX}`, params: { [SKENE_CODE_PARAM]: 'invalid-duration' } })
    .describe(`${what} (${DURATION_SYNTAX})`);
}

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'use lowercase letters, digits, "_" or "-", starting with a letter')
  .describe('A stable identifier (lowercase letters, digits, "_", "-"); ledger rows are keyed by it');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour "HH:MM", e.g. "21:00"');

export const LOOP_TYPES = ['retention', 'milestone'] as const;
export const EMAIL_PROVIDERS = ['resend', 'smtp', 'log'] as const;
// Both runtimes implement these two (sdk/runtime/backoff.ts and the Celery task).
export const BACKOFF_KINDS = ['exponential', 'fixed'] as const;
export const AUDIENCES = ['all', 'paying', 'churn_risk', 'free'] as const;

export const scheduleTriggerSchema = z.strictObject({
  type: z.literal('schedule').describe('Run on a cron schedule'),
  cron: z.string().min(1).describe('Five-field cron expression (minute hour day-of-month month day-of-week)'),
  timezone: z.string().min(1).optional().describe("IANA time zone of the cron; defaults to the project's TIME_ZONE, then UTC"),
});
export const triggerSchema = z.discriminatedUnion('type', [scheduleTriggerSchema]);

export const queryConditionSchema = z.strictObject({
  type: z.literal('query').describe('Select the audience with one read-only SQL SELECT'),
  query: z.string().min(1).describe("A single read-only SELECT whose rows expose the user's id and email"),
  timeout: duration('Statement timeout of the query').default('10m'),
});
export const conditionSchema = z.discriminatedUnion('type', [queryConditionSchema]);

export const emailActionSchema = z.strictObject({
  type: z.literal('email').describe('Send one email per selected user'),
  provider: z.enum(EMAIL_PROVIDERS).default('resend').describe('resend (HTTP API), smtp (Django EMAIL_* settings) or log (print only)'),
  template: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" or "-" (the file extension is added for you)')
    .describe('Template name; files live at skene/emails/<name>.html and .txt in a template directory'),
  subject: z.string().min(1).optional().describe('Subject line; may use {{user.<field>}} placeholders'),
  from: z.string().min(3).optional().describe("Sender, e.g. 'Acme <hello@acme.com>'; defaults to DEFAULT_FROM_EMAIL"),
  replyTo: z.string().min(3).optional().describe('Reply-To address'),
  personalization: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use an identifier'), z.string())
    .optional()
    .describe('Template variables; values may use {{user.<field>}} placeholders (HTML-escaped when rendered)'),
});
export const actionSchema = z.discriminatedUnion('type', [emailActionSchema]);

export const stepSchema = z.strictObject({
  id: slug.optional(),
  delay: duration('Delay after the first step of the sequence').optional(),
  trigger: triggerSchema.optional().describe('When the loop runs (first step only)'),
  condition: conditionSchema.optional().describe('Who the loop selects (first step only)'),
  action: actionSchema.describe('What happens to each selected user'),
});

export const exitSchema = z.strictObject({
  onActivity: z.boolean().default(true).describe('Stop the sequence as soon as the user is active again'),
  query: z.string().min(1).optional().describe('Optional read-only SELECT of user ids who leave the sequence'),
});

export const recoverySchema = z.strictObject({
  retries: z.number().int().min(0).max(10).default(3).describe('Retries per email after a retryable failure (0-10)'),
  backoff: z.enum(BACKOFF_KINDS).default('exponential').describe('Delay growth between retries (full jitter)'),
  baseDelay: duration('First retry delay').default('30s'),
  maxDelay: duration('Longest retry delay').default('1h'),
});

export const trackingSchema = z.strictObject({
  conversionWindow: duration('How long after a send activity counts as re-engaged').default('14d'),
  holdout: z.number().min(0).max(0.5).default(0.1).describe('Fraction of the audience held out (0-0.5)'),
});

export const frequencyCapSchema = z.strictObject({
  max: z.number().int().min(1).max(100).default(1).describe('Most emails this loop sends one user...'),
  per: duration('...within this window').default('30d'),
});

export const globalCapSchema = z.strictObject({
  perDay: z.number().int().min(0).max(10).default(1).describe('Most Skene emails one user gets in any 24 h, across all loops (0 = no limit)'),
  perWeek: z.number().int().min(0).max(50).default(3).describe('Most Skene emails one user gets in any 7 days, across all loops (0 = no limit)'),
});

export const quietHoursSchema = z.strictObject({
  start: clockTime.describe('No sends from this local time...'),
  end: clockTime.describe('...until this local time'),
  timezone: z.string().min(1).optional().describe("IANA zone for users without a valid time zone of their own (the user model's time zone field); defaults to the trigger timezone"),
});

export const loopSchema = z
  .strictObject({
    id: slug.optional().describe('Stable loop id; defaults to the loop type'),
    type: z.enum(LOOP_TYPES).describe('retention (dormant users) or milestone (once per user and milestone)'),
    opinion: z.string().optional().describe('What the loop is for, in one sentence (shown in reports)'),
    audience: z
      .enum(AUDIENCES)
      .default('all')
      .describe('Stripe filter on top of the query: all, paying (active/trialing), churn_risk (past_due or cancelling at period end), free (neither)'),
    steps: z.array(stepSchema).min(1).describe('The first step selects users; later steps (with delay) form a sequence'),
    exit: exitSchema.prefault({}).describe('When a user leaves the sequence'),
    recovery: recoverySchema.prefault({}).describe('Retries of failed sends'),
    tracking: trackingSchema.prefault({}).describe('Holdout and conversion window for `skene report`'),
    frequencyCap: frequencyCapSchema.prefault({}).describe('At most max emails per user per window'),
    globalCap: globalCapSchema.prefault({}).describe('Across every loop: checked from the ledger when an email is claimed; over it, the email waits (deferred)'),
    milestone: slug.optional().describe("Milestone loops: the milestone's key (default: the loop id); a `milestone` column in the query's rows names one per row"),
    quietHours: quietHoursSchema.optional().describe('Local hours during which nothing is sent'),
  })
  .superRefine(checkSequence);

type SequenceInput = { steps: Array<z.output<typeof stepSchema>> };

/** Sequence rules: step 1 selects (trigger + condition); later steps only wait (increasing delays) and act. */
function checkSequence(loop: SequenceInput, ctx: z.RefinementCtx): void {
  const params = { [SKENE_CODE_PARAM]: 'invalid-sequence' };
  let previousDelay = 0;
  loop.steps.forEach((step, index) => {
    const path = ['steps', index];
    if (index === 0) {
      for (const key of ['trigger', 'condition'] as const) {
        if (!step[key]) ctx.addIssue({ code: 'custom', path: [...path, key], message: `the first step needs a ${key}`, params: { [SKENE_CODE_PARAM]: 'missing-key' } });
      }
      return;
    }
    for (const key of ['trigger', 'condition'] as const) {
      if (step[key]) ctx.addIssue({ code: 'custom', path: [...path, key], message: `only the first step has a ${key}; later steps follow it after their delay`, params });
    }
    if (!step.delay) {
      ctx.addIssue({ code: 'custom', path: [...path, 'delay'], message: "a later step needs a delay after the first step, e.g. '3d'", params: { [SKENE_CODE_PARAM]: 'missing-key' } });
      return;
    }
    const delay = parseDuration(step.delay) ?? 0;
    if (delay <= previousDelay) {
      ctx.addIssue({ code: 'custom', path: [...path, 'delay'], message: 'delays count from the first step and must grow from step to step', params });
    }
    previousDelay = delay;
  });
}

/** Multi-loop files: `defineLoops([...])` or `export default [defineLoop(...), ...]`. */
export const loopsSchema = z.array(loopSchema).min(1);
