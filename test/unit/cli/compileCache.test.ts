/**
 * cli/startup/compileCache.ts in fresh Node processes, as the CLI uses it: the first load writes V8's code cache
 * into SKENE_CACHE_DIR, the next load reads it (and leaves it as it is), a damaged cache is rejected by V8 and
 * replaced, and a cache folder that cannot be created changes nothing but the speed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';

const repo = path.resolve(__dirname, '../../..');
const tsx = pathToFileURL(path.join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
const loader = path.join(repo, 'cli/startup/compileCache.ts');
const work = mkdtempSync(path.join(tmpdir(), 'skene-compile-cache-'));
after(() => rmSync(work, { recursive: true, force: true }));

// A CommonJS module with enough code for V8 to cache, and a require() of a built-in as TypeScript's file has.
const moduleFile = path.join(work, 'sample-1a2b3c.cjs');
writeFileSync(
  moduleFile,
  `const path = require('node:path');\n${Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n')}\n` +
    'module.exports = { sum: f199(1) + f0(1), base: path.basename(__filename), self: this === module.exports };\n',
);

function load(cacheDir: string): unknown {
  const script = `const { requireWithCompileCache } = require(${JSON.stringify(loader)}); console.log(JSON.stringify(requireWithCompileCache(${JSON.stringify(moduleFile)})));`;
  const run = spawnSync(process.execPath, ['--import', tsx, '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, SKENE_CACHE_DIR: cacheDir },
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function cacheFiles(cacheDir: string): string[] {
  const versionDir = path.join(cacheDir, 'v8', `${process.version}-${process.arch}`);
  return readdirSync(versionDir).map((name) => path.join(versionDir, name));
}

const EXPECTED = { sum: 201, base: 'sample-1a2b3c.cjs', self: true };

describe('requireWithCompileCache', () => {
  test('the first run writes the cache, the next one reads it and keeps it', () => {
    const cacheDir = path.join(work, 'cache-a');
    assert.deepEqual(load(cacheDir), EXPECTED);
    const [cache, ...others] = cacheFiles(cacheDir);
    assert.ok(cache, 'a cache file was written');
    assert.deepEqual(others, []);
    assert.match(path.basename(cache), /^sample-1a2b3c\.cjs\.\d+\.v8cache$/);
    assert.equal(statSync(cache).mode & 0o077, 0, 'only its owner can read or write it');
    assert.ok(statSync(cache).size > 0);
    const written = statSync(cache).ino;

    assert.deepEqual(load(cacheDir), EXPECTED);
    // A rewrite renames a new file into place (a new inode), even when its bytes happen to be the same.
    assert.equal(statSync(cache).ino, written, 'an accepted cache is not written again');
  });

  test('a damaged cache is rejected and replaced, with the same exports', () => {
    const cacheDir = path.join(work, 'cache-b');
    load(cacheDir);
    const [cache] = cacheFiles(cacheDir);
    assert.ok(cache);
    const damaged = Buffer.alloc(readFileSync(cache).length, 7);
    writeFileSync(cache, damaged);
    assert.deepEqual(load(cacheDir), EXPECTED);
    assert.notDeepEqual(readFileSync(cache), damaged, 'V8 rejected the damaged data and the run wrote a fresh cache');
    const replaced = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assert.equal(statSync(cache).ino, replaced, 'the fresh cache is accepted');
  });

  test('a cache folder that cannot be created only costs the compile', () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, '');
    assert.deepEqual(load(path.join(blocker, 'cache')), EXPECTED);
  });
});
