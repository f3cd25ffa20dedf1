/**
 * V8 settings for commands that parse and exit (analyze, check, init). Their WebAssembly (tree-sitter,
 * libpg-query: 2.4 MB) runs for milliseconds, yet V8's defaults compile every function with its baseline
 * compiler up front and then recompile the hot ones with its optimizing compiler on background threads —
 * work that outlives the command's output and delays the process exit (about a third of a cold `skene check`,
 * bench/cliStart.ts). Compiling each function on its first call with the baseline compiler only is the
 * cheap path for a short run. Long runs (`skene run`, the demo's embedded PostgreSQL) keep the defaults.
 * V8 reads these flags when it compiles a module, so they take effect if set before any wasm is loaded.
 */
import { setFlagsFromString } from 'node:v8';

export const SHORT_RUN_WASM_FLAGS = ['--liftoff-only', '--wasm-lazy-compilation'] as const;

export function useShortRunWasmFlags(): void {
  for (const flag of SHORT_RUN_WASM_FLAGS) setFlagsFromString(flag);
}
