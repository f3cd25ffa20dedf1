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

/** The product name from DEFAULT_FROM_EMAIL's display name ("Acme <hello@acme.com>" → Acme), or null. */
export function productName(ctx: GeneratorContext): string | null {
  const from = ctx.project.email.defaultFromEmail ?? '';
  const at = from.lastIndexOf('<');
  const display = at > 0 ? from.slice(0, at).trim().replace(/^"(.*)"$/, '$1').replace(/[\r\n]+/g, ' ').trim() : '';
  // `{{` would read as a placeholder to the runtime's renderer.
  return display.replace(/\{\{|\}\}/g, (pair) => `${pair[0]} ${pair[1]}`) || null;
}

export function templateDir(ctx: GeneratorContext): string {
  return ctx.project.settings.templateDirs?.[0] ?? 'templates';
}

export function emailTemplates(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget): GeneratedFile[] {
  const dir = templateDir(ctx);
  const files = emailTemplateFiles(SEED_TEMPLATE);
  const product = productName(ctx);
  const data = { product: product ?? 'our app', team: product ? `The ${product} team` : 'The team', greeting: target.user.firstName ? '{{first_name}}' : 'there' };
  const reason = 'The re-engagement email; {{first_name}} and {{unsubscribe_url}} are filled in per user (HTML-escaped).';
  return [
    { path: `${dir}/${files.html}`, contents: render(assets, 'email/re_engagement.html.ejs', data), ownership: 'seed', reason },
    // The text part is plain text: the product name is not HTML-escaped there (ejs `<%-`).
    { path: `${dir}/${files.text}`, contents: render(assets, 'email/re_engagement.txt.ejs', data), ownership: 'seed', reason },
  ];
}
