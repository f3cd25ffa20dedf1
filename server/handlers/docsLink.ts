import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Base of `codeDescription` links (`<base>#<code>`; docs/diagnostics.md has one `## \`code\`` heading per
 * code, and `#<code>` is the anchor a Markdown preview or GitHub gives it). An editor may pass its own
 * base (e.g. a hosted copy); otherwise the file shipped beside the server is linked, found relative to
 * the bundle (dist/server.js -> ../docs/diagnostics.md) or the sources (server/handlers -> ../../docs).
 */
export function diagnosticsDocsUrl(fromClient: unknown): string | null {
  if (typeof fromClient === 'string' && /^(https?|file):/.test(fromClient)) return fromClient.replace(/#.*$/, '');
  for (const candidate of [path.resolve(__dirname, '../docs/diagnostics.md'), path.resolve(__dirname, '../../docs/diagnostics.md')]) {
    if (existsSync(candidate)) return pathToFileURL(candidate).href;
  }
  return null;
}
