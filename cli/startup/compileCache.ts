/**
 * Loads a large CommonJS file (the TypeScript parser that `skene check` and `skene run` read the config with)
 * through V8's code cache, the way Node 22's `module.enableCompileCache()` does, on Node 20 too. Compiling
 * the 3.4 MB file is most of a cold `skene check` (bench/cliStart.ts); with the cache V8 reads the bytecode
 * of the previous run, including the functions that run compiled lazily. The cache lives in the user's own
 * cache folder (never a shared temp folder another account could write to), one file per source content, Node
 * version, architecture and V8 flag set (a command may change wasm flags: cli/startup/shortRunWasmFlags.ts); a
 * cache V8 rejects, or no writable folder, only costs the compile.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';
import envPaths from 'env-paths';

/** Where this user's compile caches go; one folder per Node version and architecture (V8 rejects others). */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SKENE_CACHE_DIR?.trim() || envPaths('skene-django', { suffix: '' }).cache;
  return path.join(base, 'v8', `${process.version}-${process.arch}`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache beside a temporary name and renames it, so a concurrent run never reads half a file. */
function writeCache(file: string, data: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // A read-only home or a full disk: the next run compiles again, nothing else changes.
  }
}

/**
 * `require(file)` with a code cache. `file` must be content-addressed (its name changes when its text does,
 * as scripts/buildCli.mjs names it), because the cache is found by the file's name.
 */
export function requireWithCompileCache(file: string): unknown {
  // V8's tag covers its version, its flags and the CPU features it compiled for: a cache made under other
  // flags would be rejected, so each flag set keeps its own file instead of overwriting the other's.
  const cacheFile = path.join(compileCacheDir(), `${path.basename(file)}.${cachedDataVersionTag()}.v8cache`);
  const cachedData = readCache(cacheFile);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected === true) {
    // Made at exit, after the command ran: the cache then holds the functions this run compiled as well.
    process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  }
  return module.exports;
}
