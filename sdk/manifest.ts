/**
 * The manifest: a parsed loop flattened into plain JSON for the runtimes (the Celery task in Python and the
 * TypeScript runner). Every default is filled in and every duration is already in milliseconds, so neither
 * runtime parses durations or re-implements defaults. Shape documented in docs/config-reference.md.
 */
import { parseDuration } from './duration';
import type { Audience, EmailProvider, Loop, LoopType } from './types';

export const MANIFEST_VERSION = 1;

export interface ManifestStep {
  /** Stable id (ledger key part): the step's `id`, else `step-<n>` (1-based). */
  id: string;
  index: number;
  /** Milliseconds after the first step (0 for the first step). */
  delayMs: number;
  channel: 'email';
  provider: EmailProvider;
  template: string;
  subject: string | null;
  from: string | null;
  replyTo: string | null;
  personalization: Record<string, string>;
}

export interface ManifestLoop {
  id: string;
  type: LoopType;
  opinion: string | null;
  audience: Audience;
  schedule: { cron: string; timezone: string };
  /** The audience SELECT (from the first step's condition) and its statement timeout. */
  query: string;
  timeoutMs: number;
  steps: ManifestStep[];
  exit: { onActivity: boolean; query: string | null };
  recovery: { retries: number; backoff: Loop['recovery']['backoff']; baseDelayMs: number; maxDelayMs: number };
  tracking: { conversionWindowMs: number; holdout: number };
  frequencyCap: { max: number; perMs: number };
  globalCap: { perDay: number; perWeek: number };
  /** Milestone loops: the milestone key (the loop id when not given); null for retention loops. */
  milestone: string | null;
  quietHours: { start: string; end: string; timezone: string } | null;
}

export interface LoopManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  loops: ManifestLoop[];
}

export interface ManifestOptions {
  /** The project's TIME_ZONE, used when a trigger names none. */
  defaultTimezone?: string | null;
}

/** Normalises parsed loops (output of `parseLoops` / `loopSchema.parse`) into the runtime manifest. */
export function toManifest(loops: Loop[], options: ManifestOptions = {}): LoopManifest {
  return { manifestVersion: MANIFEST_VERSION, loops: loops.map((loop) => toManifestLoop(loop, options)) };
}

function ms(text: string): number {
  const value = parseDuration(text);
  // The schema already rejected bad durations; reaching this means the caller skipped validation.
  if (value === null) throw new Error(`not a duration: ${text}`);
  return value;
}

function toManifestLoop(loop: Loop, options: ManifestOptions): ManifestLoop {
  const first = loop.steps[0];
  if (!first?.trigger || !first.condition) throw new Error('the first step needs a trigger and a condition');
  const timezone = first.trigger.timezone ?? options.defaultTimezone ?? 'UTC';
  return {
    id: loop.id ?? loop.type,
    type: loop.type,
    opinion: loop.opinion ?? null,
    audience: loop.audience,
    schedule: { cron: first.trigger.cron, timezone },
    query: first.condition.query,
    timeoutMs: ms(first.condition.timeout),
    steps: loop.steps.map((step, index) => ({
      id: step.id ?? `step-${index + 1}`,
      index,
      delayMs: step.delay ? ms(step.delay) : 0,
      channel: step.action.type,
      provider: step.action.provider,
      template: step.action.template,
      subject: step.action.subject ?? null,
      from: step.action.from ?? null,
      replyTo: step.action.replyTo ?? null,
      personalization: { ...(step.action.personalization ?? {}) },
    })),
    exit: { onActivity: loop.exit.onActivity, query: loop.exit.query ?? null },
    recovery: {
      retries: loop.recovery.retries,
      backoff: loop.recovery.backoff,
      baseDelayMs: ms(loop.recovery.baseDelay),
      maxDelayMs: ms(loop.recovery.maxDelay),
    },
    tracking: { conversionWindowMs: ms(loop.tracking.conversionWindow), holdout: loop.tracking.holdout },
    frequencyCap: { max: loop.frequencyCap.max, perMs: ms(loop.frequencyCap.per) },
    globalCap: { perDay: loop.globalCap.perDay, perWeek: loop.globalCap.perWeek },
    milestone: loop.type === 'milestone' ? (loop.milestone ?? loop.id ?? loop.type) : null,
    quietHours: loop.quietHours
      ? { start: loop.quietHours.start, end: loop.quietHours.end, timezone: loop.quietHours.timezone ?? timezone }
      : null,
  };
}
