/**
 * cli/startup/compileCache.ts in fresh Node processes, as the CLI uses it: the first load writes V8's code cache
 * into SKENE_CACHE_DIR, the next load reads it (and leaves it as it is); a damaged, truncated or foreign cache
 * (someone else's, or one others may write) is not used and is replaced; a read-only cache folder is read and
 * left alone; a cache folder that cannot be created changes nothing but the speed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildSync } from 'esbuild';

const work = mkdtempSync(path.join(tmpdir(), 'skene-compile-cache-'));
// Another account (the read-only and foreign-owner cases, when the tests run as root) must reach the files.
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

// The loader bundled into the shared folder, as the CLI bundle carries it: that other account cannot read a
// checkout inside a private temporary folder (CI clones into one), so it must not need the repo or tsx.
const loader = path.join(work, 'compileCache.cjs');
buildSync({ entryPoints: [path.resolve(__dirname, '../../../cli/startup/compileCache.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'error' });
chmodSync(loader, 0o644);

const posix = typeof process.getuid === 'function';
/** Root writes through any mode bits: a read-only folder is then tested as `nobody`, who owns it. */
const asRoot = posix && process.getuid?.() === 0;
const NOBODY = 65534;

// A CommonJS module with enough code for V8 to cache, and a require() of a built-in as TypeScript's file has.
const moduleFile = path.join(work, 'sample-1a2b3c.cjs');
writeFileSync(
  moduleFile,
  `const path = require('node:path');\n${Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n')}\n` +
    'module.exports = { sum: f199(1) + f0(1), base: path.basename(__filename), self: this === module.exports };\n',
);
chmodSync(moduleFile, 0o644);

function load(cacheDir: string, uid?: number): unknown {
  const script = `const { requireWithCompileCache } = require(${JSON.stringify(loader)}); console.log(JSON.stringify(requireWithCompileCache(${JSON.stringify(moduleFile)})));`;
  const run = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, SKENE_CACHE_DIR: cacheDir },
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

function versionDir(cacheDir: string): string {
  return path.join(cacheDir, 'v8', `${process.version}-${process.arch}`);
}

function cacheFiles(cacheDir: string): string[] {
  return readdirSync(versionDir(cacheDir)).map((name) => path.join(versionDir(cacheDir), name));
}

/** A folder with one cache file written by a first run; returns that file. */
function warmCache(cacheDir: string, uid?: number): string {
  load(cacheDir, uid);
  const [cache, ...others] = cacheFiles(cacheDir);
  assert.ok(cache, 'a cache file was written');
  assert.deepEqual(others, []);
  return cache;
}

/** The run did not trust the cache: it compiled and renamed a fresh, trusted cache into place. */
function assertReplaced(cache: string, before: number): void {
  const stats = statSync(cache);
  assert.notEqual(stats.ino, before, 'a fresh cache replaced the one that was not used');
  assert.equal(stats.mode & 0o077, 0);
  if (posix) assert.equal(stats.uid, process.getuid?.());
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
    assert.equal(readFileSync(cache).subarray(0, 17).toString(), 'skene-v8-cache-1\n', 'our header, with the checksum after it');
    assert.equal(statSync(cache).mode & 0o077, 0, 'only its owner can read or write it');
    assert.ok(statSync(cache).size > 0);
    const written = statSync(cache).ino;

    assert.deepEqual(load(cacheDir), EXPECTED);
    // A rewrite renames a new file into place (a new inode), even when its bytes happen to be the same.
    assert.equal(statSync(cache).ino, written, 'an accepted cache is not written again');
  });

  test('a damaged cache is not used and is replaced, with the same exports', () => {
    const cacheDir = path.join(work, 'cache-b');
    const cache = warmCache(cacheDir);
    const damaged = Buffer.alloc(readFileSync(cache).length, 7);
    writeFileSync(cache, damaged);
    const before = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assertReplaced(cache, before);
    const replaced = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assert.equal(statSync(cache).ino, replaced, 'the fresh cache is accepted');
  });

  test("changed bytes inside V8's data (its own header intact) fail our checksum", () => {
    const cacheDir = path.join(work, 'cache-c');
    const cache = warmCache(cacheDir);
    const data = readFileSync(cache);
    for (let i = data.length - 64; i < data.length; i++) data[i] = (data[i] ?? 0) ^ 0xff;
    writeFileSync(cache, data);
    const before = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assertReplaced(cache, before);
  });

  test('a truncated cache is not used', () => {
    const cacheDir = path.join(work, 'cache-d');
    const cache = warmCache(cacheDir);
    writeFileSync(cache, readFileSync(cache).subarray(0, 100));
    const before = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assertReplaced(cache, before);
  });

  test('a cache others may write is not used', { skip: !posix && 'POSIX modes' }, () => {
    const cacheDir = path.join(work, 'cache-e');
    const cache = warmCache(cacheDir);
    chmodSync(cache, 0o666);
    const before = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assertReplaced(cache, before);
  });

  test("another account's cache file is not used", { skip: !asRoot && 'needs root to give a file away' }, () => {
    const cacheDir = path.join(work, 'cache-f');
    const cache = warmCache(cacheDir);
    chownSync(cache, NOBODY, NOBODY);
    const before = statSync(cache).ino;
    assert.deepEqual(load(cacheDir), EXPECTED);
    assertReplaced(cache, before);
  });

  test('a read-only cache folder is read and left as it is', { skip: !posix && 'POSIX modes' }, () => {
    const cacheDir = path.join(work, 'cache-g');
    const uid = asRoot ? NOBODY : undefined;
    if (asRoot) {
      // Made by nobody, so its files are nobody's own (a cache of another account is not used).
      mkdirSync(cacheDir);
      chownSync(cacheDir, NOBODY, NOBODY);
    }
    const cache = warmCache(cacheDir, uid);
    const before = statSync(cache).ino;
    const folders = [cacheDir, path.join(cacheDir, 'v8'), versionDir(cacheDir)];
    for (const folder of folders) chmodSync(folder, 0o555);
    try {
      assert.deepEqual(load(cacheDir, uid), EXPECTED);
      assert.equal(statSync(cache).ino, before, 'the cache was used, not rewritten');
      // Without a cache in it, the run compiles, cannot write one, and leaves no temporary file behind.
      chmodSync(versionDir(cacheDir), 0o755);
      rmSync(cache);
      chmodSync(versionDir(cacheDir), 0o555);
      assert.deepEqual(load(cacheDir, uid), EXPECTED);
      assert.deepEqual(readdirSync(versionDir(cacheDir)), []);
    } finally {
      for (const folder of folders) chmodSync(folder, 0o755);
    }
  });

  test('a cache folder that cannot be created only costs the compile', () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, '');
    assert.deepEqual(load(path.join(blocker, 'cache')), EXPECTED);
  });
});
