/**
 * What breaks in mail clients, found in the rendered email: a remote image without alt text (most clients block
 * images until asked, and the alt text is all the reader sees), a missing text part (spam filters and text-only
 * clients), and CSS in <style> or linked sheets (Gmail's non-Gmail accounts and Outlook drop it: it must be inlined).
 * The inlining check runs juice, the maintained inliner, rather than guessing which rules apply.
 */
import { load } from 'cheerio';
import juice from 'juice';

export interface MailWarning {
  code: 'remote_image_without_alt' | 'missing_text_part' | 'css_needs_inlining' | 'linked_stylesheet';
  message: string;
}

function remoteImagesWithoutAlt(html: string): string[] {
  const $ = load(html);
  return $('img')
    .toArray()
    .filter((img) => /^(https?:)?\/\//i.test($(img).attr('src') ?? '') && $(img).attr('alt') === undefined)
    .map((img) => $(img).attr('src') ?? '');
}

/** The HTML with the <style> rules juice can apply moved into style attributes. */
export function inlineCss(html: string): string {
  return juice(html, { removeStyleTags: true, preserveMediaQueries: true, applyWidthAttributes: true, applyHeightAttributes: true });
}

/** Elements whose style attribute juice would change: how many places the <style> rules reach. */
function elementsStyledByInlining(html: string): number {
  const styles = (source: string) => {
    const $ = load(source);
    return $('body *').toArray().filter((el) => !['style', 'link'].includes($(el).prop('tagName')?.toLowerCase() ?? '')).map((el) => $(el).attr('style') ?? '');
  };
  const before = styles(html);
  const after = styles(inlineCss(html));
  if (before.length !== after.length) return after.filter((style) => style).length;
  return after.filter((style, i) => style !== before[i]).length;
}

export function mailWarnings(html: string, text: string): MailWarning[] {
  const warnings: MailWarning[] = [];
  for (const src of remoteImagesWithoutAlt(html)) warnings.push({ code: 'remote_image_without_alt', message: `remote image without alt text: ${src} — most clients block remote images until the reader allows them, and show the alt text instead` });
  if (!text.trim()) warnings.push({ code: 'missing_text_part', message: 'no text part: add the .txt template; text-only clients show nothing and spam filters score HTML-only email higher' });
  if (/<link[^>]+rel=["']?stylesheet/i.test(html)) warnings.push({ code: 'linked_stylesheet', message: 'a linked stylesheet: mail clients do not load it; put the rules in the template and inline them' });
  const styled = /<style[\s>]/i.test(html) ? elementsStyledByInlining(html) : 0;
  if (styled) warnings.push({ code: 'css_needs_inlining', message: `<style> rules reach ${styled} element(s): Gmail (non-Gmail accounts, apps) and Outlook drop <style>; inline them (the preview's "inlined" view shows the result of juice)` });
  return warnings;
}
