/**
 * `defineLoop` is an identity function with a precise parameter type: it exists so an editor can
 * autocomplete and type-check skene.config.ts. It does not validate (the config is also read statically,
 * where nothing runs); `parseLoops` validates at start-up of a runner.
 */
import { loopSchema, loopsSchema } from './schema';
import type { Loop, LoopConfig } from './types';

export function defineLoop(loop: LoopConfig): LoopConfig {
  return loop;
}

/** Several loops in one config file: `export default defineLoops([retention, milestone])`. */
export function defineLoops(loops: LoopConfig[]): LoopConfig[] {
  return loops;
}

/** Validates a config's default export (one loop or an array); throws the ZodError on failure. */
export function parseLoops(config: unknown): Loop[] {
  return Array.isArray(config) ? loopsSchema.parse(config) : [loopSchema.parse(config)];
}
