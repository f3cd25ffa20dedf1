/**
 * The built page assets (dist/webview/<page>.js and .css, from scripts/build.mjs): beside the bundle when
 * running dist/cli.js, else in the checkout's dist/ when running from source (tests, tsx).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CommandProblem } from '../run/commandIo';

export interface PageAssets {
  script: string;
  style: string;
}

export function readPageAssets(page: 'report' | 'preview'): PageAssets {
  const candidates = [path.join(__dirname, 'webview'), path.resolve(__dirname, '..', '..', 'dist', 'webview')];
  const dir = candidates.find((candidate) => existsSync(path.join(candidate, `${page}.js`)));
  if (!dir) throw new CommandProblem(`the ${page} page assets are missing (looked in ${candidates.join(', ')}); run \`npm run build\`.`, 2);
  return { script: readFileSync(path.join(dir, `${page}.js`), 'utf8'), style: readFileSync(path.join(dir, `${page}.css`), 'utf8') };
}
