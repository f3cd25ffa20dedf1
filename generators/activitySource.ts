/**
 * What keeps last activity current: a trigger on one of the analyzer's candidate tables, or the middleware
 * (with the login signal). By default the analyzer's choice by evidence; the user can pick another candidate
 * or the middleware (`skene init --activity`, the editor's Initialize asks), and a re-run keeps that pick.
 */
import type { ActivityInfo, EventsModelInfo } from '../server/core/django/projectModel';
import { ACTIVITY_MIDDLEWARE } from '../server/protocol';
import type { PlanNote } from './types';

/** `InitOptions.activity`: 'auto', 'middleware', or a candidate as "app_label.Model" or its table name. */
export const ACTIVITY_AUTO = 'auto';
export { ACTIVITY_MIDDLEWARE };

export interface ActivityDecision {
  events: EventsModelInfo | null;
  /** 'evidence': the analyzer's choice; 'user': picked by the user (this run or recorded by an earlier one). */
  chosenBy: 'evidence' | 'user';
}

/** "events.Event": how a candidate is named in choices, the state file and `--activity`. */
export function candidateId(candidate: Pick<EventsModelInfo, 'app' | 'class'>): string {
  return `${candidate.app}.${candidate.class}`;
}

/** The candidate a choice names ("app_label.Model", case-insensitive, or the table), or undefined. */
export function findCandidate(activity: ActivityInfo, choice: string): EventsModelInfo | undefined {
  const wanted = choice.trim().toLowerCase();
  return (activity.candidates ?? []).find((c) => candidateId(c).toLowerCase() === wanted || c.table.toLowerCase() === wanted);
}

/**
 * The decision for a choice, or null (with a blocking note) when the choice names no candidate: a table the
 * analyzer did not find with a foreign key to the user and a timestamp cannot feed the trigger.
 */
export function decideActivitySource(activity: ActivityInfo, choice: string, notes: PlanNote[]): ActivityDecision | null {
  if (choice === ACTIVITY_AUTO) return { events: activity.eventsModel, chosenBy: 'evidence' };
  if (choice === ACTIVITY_MIDDLEWARE) return { events: null, chosenBy: 'user' };
  const candidate = findCandidate(activity, choice);
  if (candidate) return { events: candidate, chosenBy: 'user' };
  const known = (activity.candidates ?? []).map(candidateId);
  notes.push({
    severity: 'error',
    blocking: true,
    message: `Activity source ${JSON.stringify(choice)} is not a table with a foreign key to the user and a timestamp. Choose ${[ACTIVITY_AUTO, ACTIVITY_MIDDLEWARE, ...known].join(', ')}.`,
  });
  return null;
}

const SUMMARY_CANDIDATES = 5;

/** The plan's activity: the decision and the candidates it was made among (the editor offers them as choices). */
export interface PlannedActivity extends ActivityDecision {
  candidates: EventsModelInfo[];
}

/**
 * One line for the CLI's plan: what feeds last activity, why, and what else could (so the user knows the choice
 * exists). Null when there was nothing to choose among.
 */
export function activitySummary(activity: PlannedActivity): string | null {
  const { events: chosen, chosenBy, candidates } = activity;
  if (!candidates.length && chosenBy === 'evidence') return null;
  let head: string;
  if (chosen) {
    const why = chosen.why ? (chosenBy === 'user' ? ` (the analyzer's note: ${chosen.why})` : `: ${chosen.why}`) : '';
    head = `Activity: inserts into ${chosen.table} (${candidateId(chosen)}) move last activity, ${chosenBy === 'user' ? 'your choice' : 'chosen by evidence'}${why}.`;
  } else {
    head = `Activity: the middleware and the login signal count authenticated requests (no table), ${chosenBy === 'user' ? 'your choice' : 'as no table has the evidence'}.`;
  }
  const rest = candidates.filter((c) => c.table !== chosen?.table);
  // bookwyrm has 35 candidates: the best few say enough, `skene analyze --json` lists every one with its reason.
  const others = rest.slice(0, SUMMARY_CANDIDATES).map((c) => `${candidateId(c)} (${c.why ?? 'no reason recorded'})`);
  if (rest.length > SUMMARY_CANDIDATES) others.push(`${rest.length - SUMMARY_CANDIDATES} more tables (\`skene analyze --json\` lists them under activity.candidates)`);
  const choices = chosen ? [...others, `${ACTIVITY_MIDDLEWARE} (no table)`] : others;
  return choices.length ? `${head} Other choices (--activity): ${choices.join('; ')}.` : head;
}
