/**
 * From a parsed loop (sdk/manifest.ts, derived from skene.config.ts) to what both runtimes execute
 * (sdk/runtime/manifest.ts). The Django-specific facts (user table and columns) come from the project, and
 * the email bodies from the template files, so the generated `loops.json` holds a "planned" loop: the
 * runtime manifest without template contents, sender default and unsubscribe URL, which each runtime
 * fills in at start-up (`completeLoop` here; the same few lines in the generated Celery task).
 */
import type { ManifestLoop } from './manifest';
import { sealCondition } from './runtime/conditionSeal';
import { applyAudience, type StripeAudienceSql } from './stripeAudience';
import { MANIFEST_DEFAULTS, type ActivityJoin, type LoopManifest as RuntimeLoop, type ManifestStep as RuntimeStep } from './runtime/manifest';

/** Where the loop reads users, decided by `skene init` from the Django project. */
export interface UserTableFacts {
  /** Table with one row per user, for sequence steps. */
  userTable: string;
  userIdColumn: string;
  emailColumn: string;
  activityColumn: string;
  /** Last activity in its own table (Django's auth.User), joined to userTable by the runtimes. */
  activityJoin?: ActivityJoin;
  /** Template directory (relative to the project root) holding skene/emails/<name>.html and .txt. */
  templateDir: string;
  /** Who is paying / at risk / free, compiled from the project's Stripe tables; present when a loop uses it. */
  stripeAudiences?: StripeAudienceSql;
  /** The user model's IANA time zone column (quiet hours), when it has one. */
  timezoneColumn?: string | null;
  /** The user model's is_active column: inactive accounts are never emailed. */
  isActiveColumn?: string | null;
}

export type PlannedStep = Omit<RuntimeStep, 'html' | 'text' | 'subject' | 'from'> & { subject: string | null; from: string | null };
export type PlannedLoop = Omit<RuntimeLoop, 'steps' | 'unsubscribeUrl'> & { steps: PlannedStep[] };

export const GENERATED_MANIFEST_VERSION = 1;

/** The file the Celery task reads (skene_retention/loops.json). */
export interface GeneratedManifest {
  _generated: string;
  manifestVersion: typeof GENERATED_MANIFEST_VERSION;
  source: string;
  project: UserTableFacts;
  loops: PlannedLoop[];
}

const MS_PER_SECOND = 1000;

/** A loop whose condition the SQL gate refused: it is never written into loops.json nor run. */
export class ConditionRefused extends Error {
  constructor(
    readonly loopId: string,
    readonly problems: Array<{ code: string; message: string }>,
  ) {
    super(`condition refused (${problems.map((p) => `${p.code}: ${p.message}`).join('; ')})`);
  }
}

/** The audience SQL the runtimes run: the loop's condition (narrowed by its Stripe audience), sealed. */
function sealedAudience(loop: ManifestLoop, facts: UserTableFacts): { query: string; sha256: string; timeoutMs: number } {
  const result = sealCondition(applyAudience(loop.query, loop.audience, facts.userIdColumn, facts.stripeAudiences));
  if (!result.ok) throw new ConditionRefused(loop.id, result.problems);
  return { ...result.sealed, timeoutMs: loop.timeoutMs };
}

/** Needs the SQL parser loaded (loadConditionParser); throws ConditionRefused for a condition the gate refuses. */
export function toPlannedLoop(loop: ManifestLoop, facts: UserTableFacts): PlannedLoop {
  return {
    id: loop.id,
    type: loop.type,
    timezone: loop.schedule.timezone,
    cron: loop.schedule.cron,
    audience: sealedAudience(loop, facts),
    steps: loop.steps.map((step) => ({
      index: step.index,
      delaySeconds: Math.round(step.delayMs / MS_PER_SECOND),
      provider: step.provider,
      template: step.template,
      subject: step.subject,
      from: step.from,
      ...(step.replyTo ? { replyTo: step.replyTo } : {}),
      personalization: { ...step.personalization },
    })),
    recovery: { retries: loop.recovery.retries, backoff: loop.recovery.backoff, baseMs: loop.recovery.baseDelayMs, capMs: loop.recovery.maxDelayMs },
    rateLimitPerSecond: MANIFEST_DEFAULTS.rateLimitPerSecond,
    leaseMs: MANIFEST_DEFAULTS.leaseMs,
    userTable: facts.userTable,
    userIdColumn: facts.userIdColumn,
    emailColumn: facts.emailColumn,
    activityColumn: facts.activityColumn,
    ...(facts.activityJoin ? { activityJoin: { ...facts.activityJoin } } : {}),
    frequencyCap: { max: loop.frequencyCap.max, perSeconds: Math.round(loop.frequencyCap.perMs / MS_PER_SECOND) },
    batchSize: MANIFEST_DEFAULTS.batchSize,
    pageSize: MANIFEST_DEFAULTS.pageSize,
    holdout: loop.tracking.holdout,
    conversionWindowSeconds: Math.round(loop.tracking.conversionWindowMs / MS_PER_SECOND),
    globalCap: { ...loop.globalCap },
    quietHours: loop.quietHours ? { ...loop.quietHours } : null,
    timezoneColumn: facts.timezoneColumn ?? null,
    isActiveColumn: facts.isActiveColumn ?? null,
    milestone: loop.milestone,
  };
}

export interface CompletionInputs {
  /** Template contents per step index. */
  templates: Array<{ html: string; text: string }>;
  /** Sender when a step names none (DEFAULT_FROM_EMAIL). */
  defaultFrom: string;
  unsubscribeUrl: string;
}

/** The runtime manifest: template bodies, sender and unsubscribe URL filled in. Subject defaults to the template name. */
export function completeLoop(planned: PlannedLoop, inputs: CompletionInputs): RuntimeLoop {
  return {
    ...planned,
    unsubscribeUrl: inputs.unsubscribeUrl,
    steps: planned.steps.map((step, position) => {
      const body = inputs.templates[position];
      if (!body) throw new Error(`loop ${planned.id}: no template contents for step ${position}`);
      return { ...step, subject: step.subject ?? step.template.replace(/[_-]+/g, ' '), from: step.from ?? inputs.defaultFrom, html: body.html, text: body.text };
    }),
  };
}
