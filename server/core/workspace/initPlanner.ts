/** The generators' planner, the one place the server imports it from. */
import type { InitPlanner } from './planInitialize';

export const initPlanner: InitPlanner = () => {
  throw new Error('generators/ has no planInit yet');
};
