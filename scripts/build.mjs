// Bundles the extension, the language server and the CLI with esbuild, and copies the files they load at
// run time (tree-sitter and libpg-query wasm, templates/) beside them in dist/.
import { build } from 'esbuild';
import { buildCli, copyRuntimeFiles } from './buildCli.mjs';
import { buildSdkPackage } from './buildSdkPackage.mjs';
import { buildServer } from './buildServer.mjs';
import { buildWebviewPages } from './buildWebview.mjs';
import { writeDiagnosticPages } from './diagnosticPages.mjs';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const minify = process.argv.includes('--minify') || process.env.SKENE_MINIFY === '1';

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Packaged builds are minified without maps (VSIX size); dev builds keep maps for debugging.
  sourcemap: minify ? false : 'linked',
  minify,
  logLevel: 'warning',
  // PGlite ships its own data files and is only used by `skene demo`: load it from node_modules.
  external: ['vscode', '@electric-sql/pglite', 'pg-native'],
  // ESM dependencies (web-tree-sitter, libpg-query) call createRequire(import.meta.url), which is empty in a CJS
  // bundle: give them the bundle's own file URL instead.
  define: { 'import.meta.url': '__skeneImportMetaUrl' },
  banner: { js: 'const __skeneImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'extension/extension.ts')], outfile: path.join(dist, 'extension.js') }),
  // ES modules split per feature, like the CLI (scripts/buildServer.mjs). The server loads ts-morph (Initialize,
  // rename) and so its own TypeScript compiler: the config reader's `typescript` import uses that same copy
  // instead of a second one (9 MB of source, ~35 MB of RSS).
  buildServer(dist, { minify, sourcemap: common.sourcemap }),
  buildCli(dist, { minify, sourcemap: common.sourcemap }),
  buildSdkPackage(dist),
]);

await buildWebviewPages(dist);
copyRuntimeFiles(dist);
writeDiagnosticPages(path.join(root, 'docs/diagnostics.md'), dist);
console.log(`built dist/ (extension.js, server.js, cli.js, wasm, templates, sdk-package)${minify ? ' minified' : ''}`);
