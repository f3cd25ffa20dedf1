/**
 * The re-engagement email (HTML + text) in the project's template directory, at the path convention of
 * sdk/emailTemplates.ts. Created once; the user owns the wording afterwards.
 */
import { emailTemplateFiles } from '../../sdk/emailTemplates';
import type { GeneratorAssets } from '../assets';
import { SEED_TEMPLATE } from '../config/loopSeed';
import type { LoopTarget } from '../loopTarget';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';

/** The product name from DEFAULT_FROM_EMAIL's display name ("Acme <hello@acme.com>" → Acme). */
export function productName(ctx: GeneratorContext): string {
  const from = ctx.project.email.defaultFromEmail ?? '';
  const display = /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1]?.trim();
  return display || 'our app';
}

export function templateDir(ctx: GeneratorContext): string {
  return ctx.project.settings.templateDirs?.[0] ?? 'templates';
}

export function emailTemplates(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget): GeneratedFile[] {
  const dir = templateDir(ctx);
  const files = emailTemplateFiles(SEED_TEMPLATE);
  const data = { product: productName(ctx), greeting: target.user.firstName ? '{{first_name}}' : 'there' };
  const reason = 'The re-engagement email; {{first_name}} and {{unsubscribe_url}} are filled in per user (HTML-escaped).';
  return [
    { path: `${dir}/${files.html}`, contents: render(assets, 'email/re_engagement.html.ejs', data), ownership: 'seed', reason },
    // The text part is plain text: no HTML escaping of the product name there.
    { path: `${dir}/${files.text}`, contents: render(assets, 'email/re_engagement.txt.ejs', { ...data, product: data.product.replace(/[\r\n]+/g, ' ') }), ownership: 'seed', reason },
  ];
}
