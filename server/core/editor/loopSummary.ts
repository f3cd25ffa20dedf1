/**
 * The one-line summary a code lens shows over the user model: "Skene · dormant 7 d · daily 09:00
 * Europe/Paris · 1 step". Read from the parsed value tree, so a loop with problems still gets a summary.
 */
import type { CheckResult, ParsedLoop } from '../config/checkConfig';
import { loopTimeZone } from '../config/rules/cronRule';
import { stringAt, valueAt } from '../config/valueTree';
import type { ProjectModel } from '../django/projectModel';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const INTERVAL_UNITS: Record<string, string> = { minute: 'min', hour: 'h', day: 'd', week: 'w', month: 'mo' };

export function summarizeConfig(text: string, result: CheckResult, project: ProjectModel | null): string {
  const [first, ...rest] = result.loops;
  if (!first) return 'Skene · no loop exported';
  const parts = ['Skene', ...loopParts(text, first, project)];
  if (rest.length) parts.push(`+${rest.length} more loop${rest.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export interface LoopLensSummary {
  /** Index of the loop in the config (ParsedLoop.index). */
  loopIndex: number;
  title: string;
}

/**
 * One summary per loop: a config with one loop gets summarizeConfig's line; with several, each loop's line
 * starts with its id ("Skene · onboarding · weekly Mon 07:30 America/New_York · 3 steps"), so each lens can
 * open the config at its own loop instead of one lens that only knows the first.
 */
export function summarizeLoops(text: string, result: CheckResult, project: ProjectModel | null): LoopLensSummary[] {
  if (result.loops.length <= 1) return [{ loopIndex: result.loops[0]?.index ?? 0, title: summarizeConfig(text, result, project) }];
  return result.loops.map((loop) => ({
    loopIndex: loop.index,
    title: ['Skene', loop.id ?? `loop ${loop.index + 1}`, ...loopParts(text, loop, project)].join(' · '),
  }));
}

function loopParts(text: string, loop: ParsedLoop, project: ProjectModel | null): string[] {
  const parts: string[] = [];
  const query = stringAt(loop.tree, ['steps', 0, 'condition', 'query'])?.value;
  const dormancy = query ? dormancyOf(query) : null;
  if (dormancy) parts.push(`dormant ${dormancy}`);
  const cron = stringAt(loop.tree, ['steps', 0, 'trigger', 'cron'])?.value;
  if (cron) parts.push(`${scheduleWords(cron)} ${loopTimeZone(loop, { text, project, options: {} })}`);
  const steps = valueAt(loop.tree, ['steps']);
  if (steps?.kind === 'array') parts.push(`${steps.elements.length} step${steps.elements.length === 1 ? '' : 's'}`);
  return parts;
}

/** `INTERVAL '7 days'` (the dormancy threshold the generated query uses) -> "7 d". */
export function dormancyOf(query: string): string | null {
  const match = /interval\s+'\s*(\d+)\s*(minute|hour|day|week|month)s?\s*'/i.exec(query);
  if (!match) return null;
  return `${match[1]} ${INTERVAL_UNITS[(match[2] ?? '').toLowerCase()] ?? match[2]}`;
}

/** "0 9 * * *" -> "daily 09:00"; "30 8 * * 1" -> "weekly Mon 08:30"; anything else stays as written. */
export function scheduleWords(cron: string): string {
  const [minute, hour, day, month, weekday, ...extra] = cron.trim().split(/\s+/);
  const numeric = (v: string | undefined) => v !== undefined && /^\d{1,2}$/.test(v);
  if (extra.length || !numeric(minute) || day !== '*' || month !== '*') return cron.trim();
  if (hour === '*' && weekday === '*') return `hourly at :${pad(minute)}`;
  if (!numeric(hour)) return cron.trim();
  const time = `${pad(hour)}:${pad(minute)}`;
  if (weekday === '*') return `daily ${time}`;
  if (numeric(weekday)) return `weekly ${DAY_NAMES[Number(weekday) % 7]} ${time}`;
  if (weekday === '1-5') return `weekdays ${time}`;
  return cron.trim();
}

function pad(value: string | undefined): string {
  return (value ?? '0').padStart(2, '0');
}
