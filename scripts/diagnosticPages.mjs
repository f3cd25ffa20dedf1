// One page per diagnostic code, packaged in the VSIX (dist/docs/diagnostics/<code>.md), so a diagnostic's
// codeDescription link opens that code's documentation inside VS Code wherever the extension is installed,
// offline, without a repository URL. Cut from docs/diagnostics.md at its `## \`code\`` headings.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeDiagnosticPages(docsFile, outdir) {
  const text = readFileSync(docsFile, 'utf8');
  const folder = path.join(outdir, 'docs', 'diagnostics');
  mkdirSync(folder, { recursive: true });
  const sections = text.split(/^(?=## `[a-z0-9-]+`\s*$)/m);
  let count = 0;
  for (const section of sections.slice(1)) {
    const code = /^## `([a-z0-9-]+)`/.exec(section)?.[1];
    if (!code) continue;
    const body = section.replace(/^## `([a-z0-9-]+)`/, '# Skene diagnostic `$1`').trimEnd();
    writeFileSync(path.join(folder, `${code}.md`), `${body}\n\nAll codes: [diagnostics.md](../diagnostics.md)\n`);
    count++;
  }
  writeFileSync(path.join(outdir, 'docs', 'diagnostics.md'), text);
  return count;
}
