// The CLI bundle: ES modules split by esbuild, so each command loads only its own code. `skene --help` reads
// dist/cli.mjs and commander; `skene check` adds the analyzer, the config checker and the SQL parser, and
// never the generators or the runtime. Shared code goes into dist/chunk-*.mjs once. dist/cli.js is the
// executable: a few lines that import cli.mjs (the `bin` of the npm package, SKENE_CLI in the editor's terminals).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// Chunks sit beside cli.mjs, so import.meta.url, __dirname and __filename name the folder that also holds the
// wasm files, templates/ and ledger.sql, exactly as in the CommonJS bundles. Bundled CommonJS dependencies call
// require() for Node's built-ins, which an ES module lacks: give each chunk one made from its own URL.
export const esmBanner = [
  "import { createRequire as __skeneCreateRequire } from 'node:module';",
  "import { fileURLToPath as __skeneFileURLToPath } from 'node:url';",
  "import { dirname as __skeneDirname } from 'node:path';",
  'const require = __skeneCreateRequire(import.meta.url);',
  'const __filename = __skeneFileURLToPath(import.meta.url);',
  'const __dirname = __skeneDirname(__filename);',
].join('\n');

const LAUNCHER = `#!/usr/bin/env node
// skene: the CLI is ES modules (dist/cli.mjs and its chunks, loaded per command); this file starts it.
'use strict';
import('./cli.mjs').catch((error) => {
  process.stderr.write(\`skene: cannot start: \${error && error.stack ? error.stack : error}\\n\`);
  process.exitCode = 2;
});
`;

/**
 * The TypeScript compiler (only its parser runs: server/core/config/tsConfigProject.ts) as its own minified
 * CommonJS file named by its content, dist/typescript-<hash>.cjs, which cli/startup/compileCache.ts loads
 * through V8's code cache: compiling it was most of a cold `skene check`. `entry` is the compiler's file (the
 * language server uses ts-morph's copy, so ts-morph and the config reader share one). Returns the file's name.
 */
export async function buildTypescriptFile(outdir, entry = require.resolve('typescript')) {
  const temporary = path.join(outdir, `typescript-${process.pid}-${Math.random().toString(16).slice(2)}.cjs`);
  await build({
    entryPoints: [entry],
    outfile: temporary,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
  });
  const hash = createHash('sha256').update(readFileSync(temporary)).digest('hex').slice(0, 12);
  const name = `typescript-${hash}.cjs`;
  renameSync(temporary, path.join(outdir, name));
  return name;
}

/**
 * Our own `import ts from 'typescript'` becomes the code-cached file above (dependencies keep their own, except
 * the importers `alsoFor` names: a `require('./typescript')` of theirs gets the same module, so one copy loads).
 * `writeAfterMs`: see CompileCacheOptions (a long-lived process writes its cache before it exits).
 */
export function typescriptFromCompileCache(fileName, { alsoFor, writeAfterMs } = {}) {
  return {
    name: 'typescript-from-compile-cache',
    setup(builder) {
      const virtual = { path: fileName, namespace: 'skene-typescript' };
      builder.onResolve({ filter: /^typescript$/ }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}`) ? undefined : virtual,
      );
      if (alsoFor) {
        // Their require() wants the compiler itself, not an ES module namespace: a CommonJS shim hands it over.
        builder.onResolve({ filter: /^\.\/typescript(\.js)?$/ }, (args) => (alsoFor.test(args.importer) ? { path: fileName, namespace: 'skene-typescript-cjs' } : undefined));
        builder.onLoad({ filter: /.*/, namespace: 'skene-typescript-cjs' }, () => ({ resolveDir: root, loader: 'js', contents: "module.exports = require('typescript').default;" }));
      }
      const options = writeAfterMs === undefined ? '' : `, { writeAfterMs: ${writeAfterMs} }`;
      builder.onLoad({ filter: /.*/, namespace: 'skene-typescript' }, () => ({
        resolveDir: root,
        loader: 'ts',
        contents: [
          "import { fileURLToPath } from 'node:url';",
          "import { requireWithCompileCache } from './cli/startup/compileCache';",
          `export default requireWithCompileCache(fileURLToPath(new URL(${JSON.stringify(`./${fileName}`)}, import.meta.url))${options}) as typeof import('typescript');`,
        ].join('\n'),
      }));
    },
  };
}

/**
 * One entry as ES modules split by esbuild into `chunkNames` beside it (the CLI's and the server's shape), the
 * TypeScript compiler taken from its own file by `compiler` (typescriptFromCompileCache).
 */
export async function buildSplitEsm(entryPoints, outdir, { chunkNames, minify, sourcemap, compiler }) {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames,
    sourcemap,
    minify,
    logLevel: 'warning',
    // PGlite loads its own data files and is only used by `skene demo` from a checkout; pg-native is optional.
    external: ['@electric-sql/pglite', 'pg-native'],
    plugins: [compiler],
    banner: { js: esmBanner },
  });
}

/** Builds dist/cli.js (launcher), dist/cli.mjs, dist/chunk-*.mjs and dist/typescript-<hash>.cjs into outdir. */
export async function buildCli(outdir, { minify, sourcemap }) {
  const typescriptFile = await buildTypescriptFile(outdir);
  await buildSplitEsm({ cli: path.join(root, 'cli/cli.ts') }, outdir, { chunkNames: 'chunk-[hash]', minify, sourcemap, compiler: typescriptFromCompileCache(typescriptFile) });
  writeFileSync(path.join(outdir, 'cli.js'), LAUNCHER);
  chmodSync(path.join(outdir, 'cli.js'), 0o755);
}

function packageDir(name) {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const WASM_FILES = [
  ['web-tree-sitter', 'web-tree-sitter.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ['libpg-query', 'wasm/libpg-query.wasm'],
  // Ruff (as WASM) checks the project files Initialize edits against the project's own lint settings.
  ['@astral-sh/ruff-wasm-nodejs', 'ruff_wasm_bg.wasm'],
];

/** The files the bundles read beside themselves at run time: wasm, templates/, ledger.sql (the sdk package: buildSdkPackage.mjs). */
export function copyRuntimeFiles(outdir) {
  for (const [pkg, file] of WASM_FILES) cpSync(path.join(packageDir(pkg), file), path.join(outdir, path.basename(file)));
  cpSync(path.join(root, 'templates'), path.join(outdir, 'templates'), {
    recursive: true,
    filter: (source) => !source.includes('__pycache__') && !source.endsWith('.pyc'),
  });
  // sdk/runtime/ledgerSchema.ts reads ledger.sql beside the running module, which is the bundle's own folder.
  cpSync(path.join(root, 'sdk/runtime/ledger.sql'), path.join(outdir, 'ledger.sql'));
}
