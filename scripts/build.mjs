// Bundles the extension, the language server and the CLI with esbuild, and copies the files they load at
// run time (tree-sitter and libpg-query wasm, templates/) beside them in dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync, chmodSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
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
  build({ ...common, entryPoints: [path.join(root, 'server/server.ts')], outfile: path.join(dist, 'server.js') }),
  build({
    ...common,
    entryPoints: [path.join(root, 'cli/cli.ts')],
    outfile: path.join(dist, 'cli.js'),
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }),
]);
chmodSync(path.join(dist, 'cli.js'), 0o755);

// The pages of the report view and the email preview: browser bundles (one script and one stylesheet each),
// loaded by the VS Code webviews and inlined into `skene report --html`. Always minified: they ship inlined.
const pages = { report: ['webview/report/reportView.ts', ['webview/theme.css', 'webview/report/report.css']] };
mkdirSync(path.join(dist, 'webview'), { recursive: true });
await Promise.all(
  Object.entries(pages).map(([name, [entry]]) =>
    build({ entryPoints: [path.join(root, entry)], outfile: path.join(dist, 'webview', `${name}.js`), bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', minify: true, legalComments: 'none', logLevel: 'warning' }),
  ),
);
for (const [name, [, styles]] of Object.entries(pages)) {
  writeFileSync(path.join(dist, 'webview', `${name}.css`), styles.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n'));
}

function packageDir(name) {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const wasmFiles = [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ['libpg-query', 'wasm/libpg-query.wasm'],
];
for (const [pkg, file] of wasmFiles) {
  cpSync(path.join(packageDir(pkg), file), path.join(dist, path.basename(file)));
}
if (existsSync(path.join(root, 'templates'))) {
  cpSync(path.join(root, 'templates'), path.join(dist, 'templates'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__') && !source.endsWith('.pyc'),
  });
}
// The sdk sources are vendored into users' projects by Initialize (generators/assets.ts reads dist/sdk).
cpSync(path.join(root, 'sdk'), path.join(dist, 'sdk'), {
  recursive: true,
  filter: (source) => statSync(source).isDirectory() || /\.(ts|sql)$/.test(source),
});
// sdk/runtime/ledgerSchema.ts reads ledger.sql beside the running module, which is the bundle's own folder.
cpSync(path.join(root, 'sdk/runtime/ledger.sql'), path.join(dist, 'ledger.sql'));
console.log(`built dist/ (extension.js, server.js, cli.js, wasm, templates, sdk)${minify ? ' minified' : ''}`);
