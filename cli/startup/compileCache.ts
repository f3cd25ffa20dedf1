/**
 * Loads a large CommonJS file (the TypeScript parser that `skene check` and `skene run` read the config with)
 * through V8's code cache, the way Node 22's `module.enableCompileCache()` does, on Node 20 too. Compiling
 * the 3.4 MB file is most of a cold `skene check` (bench/cliStart.ts); with the cache V8 reads the bytecode
 * of the previous run, including the functions that run compiled lazily.
 *
 * A code cache is code: whoever can write it can run code as the user. So the cache lives in the user's own
 * cache folder (never a shared temp folder), one file per source content, Node version, architecture and V8
 * flag set (a command may change wasm flags: cli/startup/shortRunWasmFlags.ts), written by rename so no run
 * reads half a file. A cache file is used only when it belongs to this user, nobody else may write it, and our
 * SHA-256 of its payload matches (V8 checks its version, flags and lengths, but verifies its own payload checksum
 * in debug builds only; hashing the 2.5 MB takes a few ms). Anything else (a damaged, foreign or missing cache, a read-only or
 * missing folder) only costs the compile.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';
import envPaths from 'env-paths';

/** Starts every cache file we write; a file without it (or from another format version) is not ours. */
const MAGIC = Buffer.from('skene-v8-cache-1\n');
const DIGEST_BYTES = 32;
/** TypeScript's cache is a few MB; anything far larger is not a cache we wrote. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/** Where this user's compile caches go; one folder per Node version and architecture (V8 rejects others). */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SKENE_CACHE_DIR?.trim() || envPaths('skene-django', { suffix: '' }).cache;
  return path.join(base, 'v8', `${process.version}-${process.arch}`);
}

function digest(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest();
}

/** Only this user may have written the file (POSIX; Windows keeps a user's cache folder private itself). */
function trustedOwner(stats: { uid: number; mode: number }): boolean {
  if (typeof process.getuid !== 'function') return true;
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
}

/** V8's cached data from our file, or undefined when there is none we can trust. */
export function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stats = fstatSync(fd); // the file we opened, not whatever the name points at later
    if (!stats.isFile() || !trustedOwner(stats) || stats.size <= MAGIC.length + DIGEST_BYTES || stats.size > MAX_CACHE_BYTES) return undefined;
    const data = Buffer.alloc(stats.size);
    let read = 0;
    while (read < data.length) {
      const n = readSync(fd, data, read, data.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const expected = data.subarray(MAGIC.length, MAGIC.length + DIGEST_BYTES);
    const payload = data.subarray(MAGIC.length + DIGEST_BYTES);
    return digest(payload).equals(expected) ? payload : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the cache beside a temporary name and renames it, so a concurrent run never reads half a file. */
export function writeCache(file: string, payload: Buffer): void {
  const temporary = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, Buffer.concat([MAGIC, digest(payload), payload]), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch {
    // A read-only or full disk, a folder that is a file: the next run compiles again, nothing else changes.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was left, or it cannot be removed either
    }
  }
}

/** When to write a missing cache: at exit (a CLI command), or also this many ms after loading (a long-lived server). */
export interface CompileCacheOptions {
  /**
   * A language server rarely exits cleanly (editors kill it), so it writes its cache once its start-up work has
   * run (the functions compiled by then are in the cache too); the timer never keeps the process alive.
   */
  writeAfterMs?: number;
}

/**
 * `require(file)` with a code cache. `file` must be content-addressed (its name changes when its text does,
 * as scripts/buildCli.mjs names it), because the cache is found by the file's name (V8 itself compares only the
 * source's length).
 */
export function requireWithCompileCache(file: string, options: CompileCacheOptions = {}): unknown {
  // V8's tag covers its version, its flags and the CPU features it compiled for: a cache made under other
  // flags would be rejected, so each flag set keeps its own file instead of overwriting the other's.
  const cacheFile = path.join(compileCacheDir(), `${path.basename(file)}.${cachedDataVersionTag()}.v8cache`);
  const source = Module.wrap(readFileSync(file, 'utf8'));
  const cachedData = readCache(cacheFile);
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected === true) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      process.removeListener('exit', write);
      writeCache(cacheFile, script.createCachedData());
    };
    // Made after the command ran: the cache then holds the functions this run compiled as well.
    process.once('exit', write);
    if (options.writeAfterMs !== undefined) setTimeout(write, options.writeAfterMs).unref();
  }
  return module.exports;
}
