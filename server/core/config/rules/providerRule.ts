/**
 * Email provider settings: Resend needs RESEND_API_KEY read by the settings or defined in an env file
 * (never written into the config), and every real provider needs a sender address.
 */
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { insertPropertyFix } from '../textFixes';
import { propertyOf, valueAt, type ObjectNode } from '../valueTree';
import type { RuleContext } from './ruleContext';

const RESEND_KEY = 'RESEND_API_KEY';

export function checkProviders(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const steps = valueAt(root.tree, ['steps']);
  if (!ctx.project || steps?.kind !== 'array') return [];
  const issues: RawIssue[] = [];
  steps.elements.forEach((_, i) => {
    const action = valueAt(root.tree, ['steps', i, 'action']);
    if (action?.kind !== 'object' || action.opaque) return;
    const actionKey = propertyOf(valueAt(root.tree, ['steps', i]), 'action')?.keySpan ?? action.span;
    const providerNode = propertyOf(action, 'provider')?.value;
    if (providerNode && providerNode.kind !== 'string') return;
    const provider = providerNode?.kind === 'string' ? providerNode.value : 'resend';
    if (provider === 'log') return;
    if (provider === 'resend' && !hasResendKey(ctx)) {
      const at = providerNode?.span ?? actionKey;
      issues.push({
        code: 'missing-api-key',
        severity: 'warning',
        message: `Resend needs ${RESEND_KEY}, but no settings or .env file reads it. Add ${RESEND_KEY} = os.environ.get("${RESEND_KEY}") to your settings and set it in the environment.`,
        start: at.start,
        end: at.end,
        data: { envName: RESEND_KEY },
      });
    }
    if (!propertyOf(action, 'from') && !ctx.project?.email.defaultFromEmail) issues.push(missingFrom(action, actionKey, ctx));
  });
  return issues;
}

function hasResendKey(ctx: RuleContext): boolean {
  return (ctx.project?.email.apiKeyEnv ?? []).includes(RESEND_KEY) || (ctx.options.envNames ?? []).includes(RESEND_KEY);
}

function missingFrom(action: ObjectNode, at: { start: number; end: number }, ctx: RuleContext): RawIssue {
  const value = "'Your Team <team@example.com>'";
  return {
    code: 'missing-from',
    severity: 'warning',
    message: 'No sender: set `from` on the email action (e.g. \'Acme <hello@acme.com>\') or DEFAULT_FROM_EMAIL in settings.',
    start: at.start,
    end: at.end,
    fixes: [insertPropertyFix('Add a `from` address', action, 'from', value, ctx.text)],
    data: { insertText: `from: ${value}` },
  };
}
