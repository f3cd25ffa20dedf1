/** Cron syntax, time zones, and a timeout that would outlast the gap between two runs. */
import { formatDuration, parseDuration } from '../../../../sdk/duration';
import { isValidTimeZone, shortestCronPeriod, timeZoneNames, validateCron } from '../describeCron';
import { didYouMean } from '../didYouMean';
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { replaceStringFix } from '../textFixes';
import { propertyOf, stringAt, valueAt, type PathSegment } from '../valueTree';
import type { RuleContext } from './ruleContext';

const TRIGGER: PathSegment[] = ['steps', 0, 'trigger'];

/** The zone the loop's cron runs in: the trigger's, else the project's TIME_ZONE, else UTC. */
export function loopTimeZone(root: LoopRoot, ctx: RuleContext): string {
  const written = stringAt(root.tree, [...TRIGGER, 'timezone'])?.value;
  if (written && isValidTimeZone(written)) return written;
  const project = ctx.project?.settings.timeZone;
  return project && isValidTimeZone(project) ? project : 'UTC';
}

export function checkCron(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const issues: RawIssue[] = [];
  const cron = stringAt(root.tree, [...TRIGGER, 'cron']);
  let valid = false;
  if (cron) {
    const check = validateCron(cron.value);
    valid = check.ok;
    if (!check.ok) {
      const fixes = check.suggestion ? [replaceStringFix(`Use '${check.suggestion}'`, cron, check.suggestion)] : [];
      issues.push({ code: 'invalid-cron', severity: 'error', message: `Invalid cron '${cron.value}': ${check.message}.`, start: cron.span.start, end: cron.span.end, ...(fixes.length ? { fixes } : {}) });
    }
  }
  for (const path of [[...TRIGGER, 'timezone'], ['quietHours', 'timezone']]) issues.push(...checkTimeZone(root, path));
  if (cron && valid) issues.push(...checkTimeout(root, ctx, cron.value));
  return issues;
}

function checkTimeZone(root: LoopRoot, path: PathSegment[]): RawIssue[] {
  const node = stringAt(root.tree, path);
  if (!node || isValidTimeZone(node.value)) return [];
  const candidates = didYouMean(node.value, timeZoneNames(), 3);
  const fixes = candidates.map((zone) => replaceStringFix(`Use '${zone}'`, node, zone));
  const hint = candidates[0] ? ` Did you mean '${candidates[0]}'?` : " Use an IANA name such as 'Europe/Paris' or 'UTC'.";
  return [{ code: 'unknown-timezone', severity: 'error', message: `Unknown time zone '${node.value}'.${hint}`, start: node.span.start, end: node.span.end, ...(fixes.length ? { fixes } : {}), data: { candidates } }];
}

function checkTimeout(root: LoopRoot, ctx: RuleContext, cron: string): RawIssue[] {
  const condition = valueAt(root.tree, ['steps', 0, 'condition']);
  if (condition?.kind !== 'object') return [];
  const timeoutProperty = propertyOf(condition, 'timeout');
  const timeoutNode = timeoutProperty?.value;
  if (timeoutNode && timeoutNode.kind !== 'string') return [];
  const timeoutMs = parseDuration(timeoutNode?.kind === 'string' ? timeoutNode.value : '10m');
  const period = shortestCronPeriod(cron, loopTimeZone(root, ctx), ctx.options.now ?? new Date());
  if (timeoutMs === null || period === null || timeoutMs <= period) return [];
  const suggestion = formatDuration(period);
  const written = timeoutNode?.kind === 'string' ? `'${timeoutNode.value}'` : "'10m' (the default)";
  const anchor = timeoutNode ?? propertyOf(valueAt(root.tree, ['steps', 0]), 'condition')?.value ?? condition;
  const span = timeoutNode ? timeoutNode.span : { start: anchor.span.start, end: anchor.span.start + 1 };
  const fixes = timeoutNode ? [replaceStringFix(`Use '${suggestion}'`, timeoutNode, suggestion)] : [];
  return [{
    code: 'timeout-exceeds-schedule',
    severity: 'warning',
    message: `The query timeout ${written} is longer than the ${suggestion} between two runs of '${cron}', so runs could overlap. Use a timeout of at most '${suggestion}' or run less often.`,
    start: span.start,
    end: span.end,
    ...(fixes.length ? { fixes } : {}),
    data: { timeoutMs, periodMs: period, replacement: suggestion },
  }];
}
