/**
 * Initialize's "what counts as activity?" question: the server's candidate tables, each with the analyzer's
 * reason, and the middleware with the login signal. Pure (no vscode import): the items are QuickPickItems.
 */
import { ACTIVITY_MIDDLEWARE, type ActivitySources } from '../server/protocol';

export interface ActivityPickItem {
  label: string;
  description: string;
  detail: string;
  /** What InitializeCommandArgs.activity takes for this item. */
  choice: string;
}

export const ACTIVITY_PICK_TITLE = 'Skene: what counts as a user being active?';

/** The recommended source first, then the other tables, then the middleware (unless it is the recommendation). */
export function activityPickItems(sources: ActivitySources): ActivityPickItem[] {
  const tables = sources.candidates.map((c): ActivityPickItem => {
    const recommended = c.id === sources.recommended;
    return {
      label: `Inserts into ${c.table}`,
      description: `${c.id} · ${c.userColumn}, ${c.timeColumn}${recommended ? ' · recommended' : ''}${c.id === sources.used ? ' · in the plan' : ''}`,
      detail: c.why ? `${recommended ? 'Evidence' : 'Not recommended'}: ${c.why}.` : 'A foreign key to the user and a timestamp.',
      choice: c.id,
    };
  });
  const middlewareRecommended = sources.recommended === ACTIVITY_MIDDLEWARE;
  const middleware: ActivityPickItem = {
    label: 'Middleware + login signal (no table)',
    description: `throttled, no trigger${middlewareRecommended ? ' · recommended' : ''}${sources.used === ACTIVITY_MIDDLEWARE ? ' · in the plan' : ''}`,
    detail: 'Counts requests of signed-in users (Django sessions; DRF session, token and JWT) and each login, at most one write per user every few minutes.',
    choice: ACTIVITY_MIDDLEWARE,
  };
  const recommended = tables.filter((t) => t.choice === sources.recommended);
  const others = tables.filter((t) => t.choice !== sources.recommended);
  return middlewareRecommended ? [middleware, ...others] : [...recommended, ...others, middleware];
}

/**
 * The `activity` argument for a new plan after a pick, or undefined when the plan at hand already uses the
 * picked source. Picking the recommendation sends 'auto' (it clears a pick an earlier run recorded, and later
 * runs follow the evidence); any other pick is sent as is and recorded.
 */
export function activityArgument(sources: ActivitySources, picked: ActivityPickItem): string | undefined {
  if (picked.choice === sources.used) return undefined;
  return picked.choice === sources.recommended ? 'auto' : picked.choice;
}
