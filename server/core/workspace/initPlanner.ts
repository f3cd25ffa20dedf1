/** The generators' planner, the one place the server imports it from. */
import type { InitPlanner } from './planInitialize';

/**
 * Loaded on the first Initialize / Preview Plan: the generators bring ts-morph (its project layer and the
 * lib files it carries), Ruff's glue and juice, which a server that only checks the config never needs.
 * Importing them at start cost ~16 MB of RSS for as long as the editor stays open (bench/lsp.ts).
 */
export const initPlanner: InitPlanner = async (project, options, readFile) => {
  const { planInit } = await import('../../../generators/planInit');
  return planInit(project, options, readFile);
};
