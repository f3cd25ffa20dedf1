/**
 * The loop settings that decide who gets an email and how often, as the schema defaults them. skene.config.ts
 * spells each one out (with a comment saying what it does), so nobody is held out, capped or skipped by a value
 * they cannot see. The values come from the zod schema itself: the file and the runtime cannot disagree.
 */
import { exitSchema, frequencyCapSchema, globalCapSchema, trackingSchema } from '../../sdk/schema';
import { tsString } from './tsLiterals';

export interface AudienceDefault {
  key: string;
  /** Initializer text in skene.config.ts. */
  value: string;
  /** One line above it: what the value does to who gets an email. */
  comment: string;
}

const emails = (n: number) => `${n} email${n === 1 ? '' : 's'}`;

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export function audienceDefaults(): AudienceDefault[] {
  const tracking = trackingSchema.parse({});
  const cap = frequencyCapSchema.parse({});
  const globalCap = globalCapSchema.parse({});
  const exit = exitSchema.parse({});
  return [
    { key: 'audience', value: "'all'", comment: "Everyone the query selects; 'paying', 'churn_risk' or 'free' narrow it with the project's Stripe data." },
    { key: 'exit', value: `{ onActivity: ${exit.onActivity} }`, comment: 'A user who is active again gets no later step of the sequence.' },
    {
      key: 'tracking',
      value: `{ holdout: ${tracking.holdout}, conversionWindow: ${tsString(tracking.conversionWindow)} }`,
      comment: `${percent(tracking.holdout)} of the audience is held out (never emailed) to measure lift; activity within ${tracking.conversionWindow} of an email counts as re-engaged.`,
    },
    { key: 'frequencyCap', value: `{ max: ${cap.max}, per: ${tsString(cap.per)} }`, comment: `At most ${emails(cap.max)} from this loop per user in any ${cap.per}.` },
    {
      key: 'globalCap',
      value: `{ perDay: ${globalCap.perDay}, perWeek: ${globalCap.perWeek} }`,
      comment: `Across all Skene loops at most ${emails(globalCap.perDay)} per user a day and ${globalCap.perWeek} a week; over it, an email waits.`,
    },
  ];
}

/** Quiet hours have no default (emails go out when the trigger fires): written as a commented-out example. */
export const QUIET_HOURS_EXAMPLE = [
  'No quiet hours: emails go out when the trigger fires. To hold them overnight in each user\'s time zone:',
  "quietHours: { start: '21:00', end: '08:00' },",
];
