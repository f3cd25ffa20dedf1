/**
 * Each step's email template must exist in the project's template directories, unless it is one that
 * `skene init` writes (then it is only a reminder). Runs only when the caller listed the template files.
 */
import { EMAIL_TEMPLATE_FOLDER, GENERATED_TEMPLATE_NAMES, emailTemplateFiles } from '../../../../sdk/emailTemplates';
import { didYouMean } from '../didYouMean';
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { replaceStringFix } from '../textFixes';
import { stringAt, valueAt } from '../valueTree';
import type { RuleContext } from './ruleContext';

export function checkTemplates(root: LoopRoot, ctx: RuleContext): RawIssue[] {
  const existing = ctx.options.existingTemplates;
  const steps = valueAt(root.tree, ['steps']);
  if (!existing || !ctx.project || steps?.kind !== 'array') return [];
  const available = existing
    .filter((file) => file.startsWith(`${EMAIL_TEMPLATE_FOLDER}/`) && file.endsWith('.html'))
    .map((file) => file.slice(EMAIL_TEMPLATE_FOLDER.length + 1, -'.html'.length));
  const dir = ctx.project.settings.templateDirs?.[0] ?? 'templates';
  return steps.elements.flatMap((_, i): RawIssue[] => {
    const node = stringAt(root.tree, ['steps', i, 'action', 'template']);
    if (!node || !/^[A-Za-z0-9_-]+$/.test(node.value)) return [];
    const files = emailTemplateFiles(node.value);
    if (existing.includes(files.html) || existing.includes(files.text)) return [];
    const generated = GENERATED_TEMPLATE_NAMES.includes(node.value);
    const candidates = didYouMean(node.value, available, 3);
    const fixes = candidates.map((name) => replaceStringFix(`Use '${name}'`, node, name));
    const message = generated
      ? `Template '${node.value}' does not exist yet; Skene: Initialize (skene init) creates ${dir}/${files.html} and .txt.`
      : `Template '${node.value}' not found: create ${dir}/${files.html} (and ${files.text.split('/').pop()})${candidates[0] ? ` or use '${candidates[0]}'` : ''}.`;
    return [{
      code: 'missing-template',
      severity: generated ? 'info' : 'warning',
      message,
      start: node.span.start,
      end: node.span.end,
      ...(fixes.length ? { fixes } : {}),
      data: { template: node.value, expectedFiles: [`${dir}/${files.html}`, `${dir}/${files.text}`], candidates, willBeGenerated: generated },
    }];
  });
}
