/**
 * Types derived from the schema. `LoopConfig` is what a user writes (defaults optional) and is what
 * `defineLoop` accepts, so editors autocomplete keys and enum values; `Loop` is the parsed result with
 * every default filled in. The `*Config` types are the schema's input types spelled out in ./configTypes.ts
 * (scripts/sdkConfigTypes.ts), so that a project's skene.config.ts type-checks before zod is installed;
 * test/unit/generators/configTypeCheck.test.ts holds them equal to `z.input` of each schema.
 */
import type { z } from 'zod';
import type { emailActionSchema, loopSchema, stepSchema } from './schema';

export type { LoopConfig, StepConfig, TriggerConfig, ConditionConfig, ActionConfig, EmailActionConfig } from './configTypes';

export type Loop = z.output<typeof loopSchema>;
export type Step = z.output<typeof stepSchema>;
export type EmailAction = z.output<typeof emailActionSchema>;
export type LoopType = Loop['type'];
export type EmailProvider = EmailAction['provider'];
export type Audience = Loop['audience'];
