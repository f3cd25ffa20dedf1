/**
 * The editor's activity choice as plain data: every candidate table with the analyzer's reason, which one the
 * analyzer recommends, and what the plan uses. The extension shows them as a quick pick.
 */
import { candidateId, type PlannedActivity } from '../../../generators/activitySource';
import { ACTIVITY_MIDDLEWARE, type ActivitySources } from '../../protocol';
import type { ActivityInfo } from '../django/projectModel';

export function activitySources(analyzed: ActivityInfo, planned: PlannedActivity): ActivitySources {
  return {
    candidates: planned.candidates.map((c) => ({ id: candidateId(c), table: c.table, userColumn: c.userField, timeColumn: c.timeField, why: c.why ?? null })),
    recommended: analyzed.eventsModel ? candidateId(analyzed.eventsModel) : ACTIVITY_MIDDLEWARE,
    used: planned.events ? candidateId(planned.events) : ACTIVITY_MIDDLEWARE,
    chosenBy: planned.chosenBy,
  };
}
