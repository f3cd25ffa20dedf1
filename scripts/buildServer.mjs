// The language server bundle: ES modules split by esbuild like the CLI's (scripts/buildCli.mjs), so a start reads
// and compiles only what the first diagnostics need. Features behind an `await import()` (Initialize's generators
// with ts-morph and its lib files, the email preview with juice and cheerio) are chunks loaded on first use.
// dist/server.js stays the file editors start (`node dist/server.js --stdio`, VS Code's IPC fork): a few lines
// that import dist/server.mjs. The TypeScript compiler (ts-morph's copy, which the config reader shares) is
// dist/typescript-<hash>.cjs, loaded through V8's code cache (cli/startup/compileCache.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSplitEsm, buildTypescriptFile, typescriptFromCompileCache } from './buildCli.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const LAUNCHER = `// The Skene language server (ES modules: dist/server.mjs and its server-chunk-*.mjs); this file starts it.
'use strict';
import('./server.mjs').catch((error) => {
  process.stderr.write(\`skene language server: cannot start: \${error && error.stack ? error.stack : error}\\n\`);
  process.exitCode = 2;
});
`;

/**
 * A server lives for the whole editor session and is killed more often than it exits, so it writes the
 * compiler's code cache a few seconds after loading it: by then the first check has run, and the functions
 * it compiled are in the cache as well.
 */
const WRITE_CODE_CACHE_AFTER_MS = 5000;

/** Builds dist/server.js (launcher), dist/server.mjs, dist/server-chunk-*.mjs and the compiler's file into outdir. */
export async function buildServer(outdir, { minify, sourcemap }) {
  const typescriptFile = await buildTypescriptFile(outdir, path.join(root, 'node_modules/@ts-morph/common/dist/typescript.js'));
  await buildSplitEsm({ server: path.join(root, 'server/server.ts') }, outdir, {
    chunkNames: 'server-chunk-[hash]',
    minify,
    sourcemap,
    compiler: typescriptFromCompileCache(typescriptFile, { alsoFor: /[\\/]@ts-morph[\\/]common[\\/]/, writeAfterMs: WRITE_CODE_CACHE_AFTER_MS }),
  });
  writeFileSync(path.join(outdir, 'server.js'), LAUNCHER);
}
