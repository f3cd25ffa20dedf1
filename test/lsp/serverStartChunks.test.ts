/**
 * What a start of the bundled server reads (scripts/buildServer.mjs): dist/server.mjs and the chunks it imports
 * statically. Initialize's generators (ts-morph with its lib files) and the email preview (juice, cheerio) must stay
 * in chunks loaded on first use, and the TypeScript compiler must come from dist/typescript-<hash>.cjs (through the
 * code cache), never bundled into a chunk: loading them at start was most of the time to first diagnostics.
 * Read from the dev build's source maps (`npm test` builds without minifying); start-up time itself is bench/lsp.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const dist = path.resolve(__dirname, '../../dist');

/** server.mjs and every chunk reached from it through static `import … from "./server-chunk-….mjs"`. */
function staticallyLoaded(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(dist, file), 'utf8');
    for (const match of text.matchAll(/^import\s[^;]*?from\s*"\.\/(server-chunk-[\w-]+\.mjs)"/gm)) visit(match[1] as string);
    for (const match of text.matchAll(/^import\s*"\.\/(server-chunk-[\w-]+\.mjs)"/gm)) visit(match[1] as string);
  };
  visit(entry);
  return [...seen];
}

function sourcesOf(file: string): string[] {
  const map = JSON.parse(readFileSync(path.join(dist, `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((source) => source.replace(/\\/g, '/'));
}

const built = existsSync(path.join(dist, 'server.mjs.map'));

test('a server start loads neither ts-morph nor the email preview, and TypeScript only from its code-cached file', { skip: built ? false : 'needs the dev build (node scripts/build.mjs): a minified build has no source maps' }, () => {
  const launcher = readFileSync(path.join(dist, 'server.js'), 'utf8');
  assert.match(launcher, /import\('\.\/server\.mjs'\)/);

  const atStart = staticallyLoaded('server.mjs');
  const startSources = atStart.flatMap(sourcesOf);
  assert.ok(startSources.some((s) => s.endsWith('server/server.ts')), 'the entry is the server');
  assert.ok(startSources.some((s) => s.endsWith('server/core/config/checkConfig.ts')), 'the config checker is loaded at start');
  for (const lazy of ['node_modules/ts-morph/', 'node_modules/@ts-morph/common/', 'node_modules/juice/', 'node_modules/cheerio/', 'node_modules/undici/', 'generators/planInit.ts', 'server/core/preview/buildPreview.ts']) {
    assert.deepEqual(startSources.filter((s) => s.includes(lazy)), [], `${lazy} is loaded on first use, not at start`);
  }

  const chunks = ['server.mjs', ...readdirSync(dist).filter((f) => /^server-chunk-[\w-]+\.mjs$/.test(f))];
  const allSources = chunks.flatMap(sourcesOf);
  assert.ok(allSources.some((s) => s.includes('node_modules/ts-morph/')), 'ts-morph is in a chunk of its own');
  assert.deepEqual(allSources.filter((s) => /node_modules\/(typescript\/lib|@ts-morph\/common\/dist)\/typescript\.js$/.test(s)), [], 'no chunk carries a TypeScript compiler');
  const compilerFiles = new Set(chunks.flatMap((f) => [...readFileSync(path.join(dist, f), 'utf8').matchAll(/typescript-[0-9a-f]{12}\.cjs/g)].map((m) => m[0])));
  assert.equal(compilerFiles.size, 1, `one compiler file for the config reader and ts-morph: ${[...compilerFiles].join(', ')}`);
  assert.ok(existsSync(path.join(dist, [...compilerFiles][0] as string)));
});
