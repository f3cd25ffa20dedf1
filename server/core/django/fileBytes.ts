import * as fs from 'node:fs';

/** Files up to this size are read into one buffer kept for the process; larger ones get their own. */
const SHARED_BYTES = 64 * 1024;
let shared: Buffer | null = null;

/**
 * Which of `needles` (ASCII words) a file's bytes contain. A whole-project scan reads every .py once for a
 * few words: reading into one reused buffer spares a Buffer (and a stat) per file. Throws what fs throws.
 */
export function fileMentions(abs: string, needles: readonly string[]): ReadonlySet<string> {
  shared ??= Buffer.allocUnsafe(SHARED_BYTES);
  const fd = fs.openSync(abs, 'r');
  let length = 0;
  try {
    for (;;) {
      const read = fs.readSync(fd, shared, length, SHARED_BYTES - length, null);
      length += read;
      if (read === 0 || length === SHARED_BYTES) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  // A full buffer may not be the whole file: read that one whole.
  const bytes = length === SHARED_BYTES ? fs.readFileSync(abs) : shared.subarray(0, length);
  return wordSet(needles.filter((n) => bytes.includes(n)));
}

const NO_WORDS: ReadonlySet<string> = new Set();

/** The words found, as a set; most files have none, and they share one empty set. */
export function wordSet(found: string[]): ReadonlySet<string> {
  return found.length ? new Set(found) : NO_WORDS;
}
