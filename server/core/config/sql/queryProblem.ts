import type { IssueCode } from '../issue';

/** A problem in a query, in UTF-16 indices of the query's value (not yet of the config file). */
export interface QueryProblem {
  code: IssueCode;
  message: string;
  start: number;
  end: number;
  severity?: 'error' | 'warning';
  /** Did-you-mean names; each becomes a replacement of [start, end). */
  candidates?: string[];
  /** Text to insert at `insertAt` (e.g. a missing select-list column). */
  insert?: { at: number; text: string; title: string };
  /** Delete from here to the end of the query (multiple statements). */
  removeFrom?: number;
  data?: Record<string, unknown>;
}
