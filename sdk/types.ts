/**
 * Types derived from the schema. `LoopConfig` is what a user writes (defaults optional) and is what
 * `defineLoop` accepts, so editors autocomplete keys and enum values; `Loop` is the parsed result with
 * every default filled in.
 */
import type { z } from 'zod';
import type {
  actionSchema,
  conditionSchema,
  emailActionSchema,
  loopSchema,
  stepSchema,
  triggerSchema,
} from './schema';

export type LoopConfig = z.input<typeof loopSchema>;
export type StepConfig = z.input<typeof stepSchema>;
export type TriggerConfig = z.input<typeof triggerSchema>;
export type ConditionConfig = z.input<typeof conditionSchema>;
export type ActionConfig = z.input<typeof actionSchema>;
export type EmailActionConfig = z.input<typeof emailActionSchema>;

export type Loop = z.output<typeof loopSchema>;
export type Step = z.output<typeof stepSchema>;
export type EmailAction = z.output<typeof emailActionSchema>;
export type LoopType = Loop['type'];
export type EmailProvider = EmailAction['provider'];
export type Audience = Loop['audience'];
