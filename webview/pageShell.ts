/**
 * The HTML page around a Skene view, for the VS Code webview (assets by URI) and for a self-contained file
 * (assets inlined). A strict Content-Security-Policy: nothing loads but the page's own assets; scripts only
 * with the page's nonce; no network. The data goes in as JSON that no `</script>` inside it can end early.
 */

export type Asset = { inline: string } | { uri: string };

export interface PageOptions {
  title: string;
  nonce: string;
  /** The webview's own origin (webview.cspSource); absent for a self-contained file. */
  cspSource?: string;
  scripts: Asset[];
  styles: Asset[];
  data: unknown;
  /** Inline style attributes and <style> in rendered emails (the email preview); scripts stay nonce-only. */
  allowInlineStyles?: boolean;
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** JSON that is safe inside <script type="application/json">: no "<", so no "</script>" or "<!--". */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function contentSecurityPolicy(options: Pick<PageOptions, 'nonce' | 'cspSource' | 'allowInlineStyles'>): string {
  const own = options.cspSource ? `${options.cspSource} ` : '';
  const styles = options.allowInlineStyles ? `${own}'unsafe-inline'` : `${own}'nonce-${options.nonce}'`;
  return [`default-src 'none'`, `img-src ${own}data:`, `font-src ${own}data:`, `style-src ${styles}`, `script-src 'nonce-${options.nonce}'`, `frame-src 'self'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

function styleTag(asset: Asset, nonce: string): string {
  if ('uri' in asset) return `<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(asset.uri)}">`;
  return `<style nonce="${nonce}">${asset.inline.replace(/<\/style/gi, '<\\/style')}</style>`;
}

function scriptTag(asset: Asset, nonce: string): string {
  if ('uri' in asset) return `<script nonce="${nonce}" src="${escapeAttribute(asset.uri)}"></script>`;
  return `<script nonce="${nonce}">${asset.inline.replace(/<\/script/gi, '<\\/script')}</script>`;
}

export function pageHtml(options: PageOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(options))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(options.title)}</title>`,
    ...options.styles.map((asset) => styleTag(asset, options.nonce)),
    '</head>',
    '<body>',
    '<main id="skene-root"></main>',
    `<script type="application/json" id="skene-data">${scriptJson(options.data)}</script>`,
    ...options.scripts.map((asset) => scriptTag(asset, options.nonce)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
