/**
 * Values inserted by the "add missing key" fix where the schema's own default would not be useful
 * (an empty template name or query would only trade one error for another).
 */
import type { PathSegment } from '../valueTree';
import type { RuleContext } from './ruleContext';

export function userTableOf(ctx: RuleContext): string {
  return ctx.project?.userModel?.table ?? 'auth_user';
}

export function missingKeyValue(key: string, objectPath: readonly PathSegment[], ctx: RuleContext): string | null {
  const query = `\`SELECT id, email FROM ${userTableOf(ctx)}\``;
  const parent = objectPath[objectPath.length - 1];
  switch (key) {
    case 'type':
      if (objectPath.length === 0) return "'retention'";
      return parent === 'trigger' ? "'schedule'" : parent === 'condition' ? "'query'" : parent === 'action' ? "'email'" : null;
    case 'template':
      return "'re_engagement'";
    case 'cron':
      return "'0 9 * * *'";
    case 'query':
      return query;
    case 'delay':
      return "'3d'";
    case 'trigger':
      return "{ type: 'schedule', cron: '0 9 * * *' }";
    case 'condition':
      return `{ type: 'query', query: ${query} }`;
    case 'action':
      return "{ type: 'email', template: 're_engagement' }";
    case 'steps':
      return `[{ trigger: { type: 'schedule', cron: '0 9 * * *' }, condition: { type: 'query', query: ${query} }, action: { type: 'email', template: 're_engagement' } }]`;
    case 'start':
      return "'21:00'";
    case 'end':
      return "'08:00'";
    default:
      return null;
  }
}
