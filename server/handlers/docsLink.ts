import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Base of `codeDescription` links. An editor may pass its own base (e.g. a hosted copy of
 * docs/diagnostics.md; links are then `<base>#<code>`). Otherwise the per-code pages the build packages
 * beside the bundle are linked (`dist/docs/diagnostics/` -> `<base><code>.md`), so the link opens inside the
 * editor wherever the VSIX is installed; running from the sources, docs/diagnostics.md is linked.
 */
export function diagnosticsDocsUrl(fromClient: unknown): string | null {
  if (typeof fromClient === 'string' && /^(https?|file):/.test(fromClient)) return fromClient.replace(/#.*$/, '');
  const pages = path.resolve(__dirname, 'docs/diagnostics');
  if (existsSync(pages)) return `${pathToFileURL(pages).href}/`;
  for (const candidate of [path.resolve(__dirname, '../docs/diagnostics.md'), path.resolve(__dirname, '../../docs/diagnostics.md')]) {
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
  }
  return null;
}

/** The link of one code: a page per code when the base is a folder (ends in `/`), else an anchor (the heading's slug). */
export function codeDescriptionHref(base: string, code: string): string {
  return base.endsWith('/') ? `${base}${code}.md` : `${base}#${code}`;
}
