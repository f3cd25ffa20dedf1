// The pages of the report view and the email preview: browser bundles (one script and one stylesheet each),
// loaded by the VS Code webviews and inlined into `skene report --html`. Always minified: they ship inlined.
// Used by scripts/build.mjs (dist/webview) and scripts/buildCliPackage.mjs (the npm package's dist/webview).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pages = {
  report: ['webview/report/reportView.ts', ['webview/theme.css', 'webview/report/report.css']],
  preview: ['webview/preview/previewView.ts', ['webview/theme.css', 'webview/preview/preview.css']],
};

/** Writes <outdir>/webview/<page>.js and .css for every page. */
export async function buildWebviewPages(outdir) {
  mkdirSync(path.join(outdir, 'webview'), { recursive: true });
  await Promise.all(
    Object.entries(pages).map(([name, [entry]]) =>
      build({ entryPoints: [path.join(root, entry)], outfile: path.join(outdir, 'webview', `${name}.js`), bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', minify: true, legalComments: 'none', logLevel: 'warning' }),
    ),
  );
  for (const [name, [, styles]] of Object.entries(pages)) {
    writeFileSync(path.join(outdir, 'webview', `${name}.css`), styles.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n'));
  }
}
