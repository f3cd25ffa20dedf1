/** The generators' planner, the one place the server imports it from. */
import { planInit } from '../../../generators/planInit';
import type { InitPlanner } from './planInitialize';

export const initPlanner: InitPlanner = (project, options, readFile) => planInit(project, options, readFile);
