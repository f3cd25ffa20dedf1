// `prepack` of the npm package packages/cli (name: skene-django): the CLI bundles, minified without source maps,
// and the files they read at run time, into packages/cli/dist/. Everything is bundled, so the package has no
// dependencies and no install scripts: `npm install` / `npx skene-django` only unpack it.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildCli, copyRuntimeFiles } from './buildCli.mjs';
import { buildSdkPackage } from './buildSdkPackage.mjs';
import { buildWebviewPages } from './buildWebview.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const packageDir = path.join(root, 'packages/cli');

/** Builds the package's dist/ into outdir (default packages/cli/dist); bench/cliStart.ts builds into a temp dir. */
export async function buildCliPackage(outdir = path.join(packageDir, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all([buildCli(outdir, { minify: true, sourcemap: false }), buildWebviewPages(outdir), buildSdkPackage(outdir)]);
  copyRuntimeFiles(outdir);
  return outdir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildCliPackage();
  // npm packs LICENSE from the package folder; the repository keeps one copy at its root.
  cpSync(path.join(root, 'LICENSE'), path.join(packageDir, 'LICENSE'));
  console.log('built packages/cli/dist (skene-django)');
}
