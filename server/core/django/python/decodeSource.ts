import { readFileSync } from 'node:fs';

/** What reading one Python file's bytes gave: its text (maybe with a note), or why it was skipped. */
export type DecodedSource = { ok: true; text: string; note: string | null } | { ok: false; reason: string };

/** Files above this are generated data, not code a human maintains; parsing them would cost seconds. */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const LATIN_CODECS = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'cp1252', 'windows-1252', 'iso-8859-15']);

/** Decodes source bytes the way Python would: UTF-8 unless a PEP 263 cookie says otherwise. */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.length > MAX_SOURCE_BYTES) return { ok: false, reason: `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MB` };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary content (NUL bytes), not Python source' };
  try {
    return { ok: true, text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), note: null };
  } catch {
    const codec = codingCookie(bytes);
    if (codec && LATIN_CODECS.has(codec)) return { ok: true, text: new TextDecoder('latin1').decode(bytes), note: null };
    const text = new TextDecoder('utf-8').decode(bytes);
    return { ok: true, text: stripBom(text), note: 'not valid UTF-8 and no coding declaration; read with replacement characters' };
  }
}

/**
 * Reads and decodes a file as decodeSource does. Most files are plain UTF-8: Node decodes them straight to a
 * string (no Buffer, no TextDecoder). A text in which that decoding could differ from decodeSource's (a
 * replacement character: invalid UTF-8 or one written in the file; a NUL; a size near the cap) is read
 * again as bytes and decoded by decodeSource. Throws what readFileSync throws.
 */
export function readSource(abs: string): DecodedSource {
  const text = readFileSync(abs, 'utf8');
  // At most 3 bytes per UTF-16 unit: below the third of the cap the byte length is below the cap.
  if (text.length * 3 <= MAX_SOURCE_BYTES && !text.includes('\ufffd') && !text.includes('\0')) return { ok: true, text: stripBom(text), note: null };
  return decodeSource(readFileSync(abs));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** PEP 263: the cookie must be on line 1 or 2. */
function codingCookie(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 400)).split('\n').slice(0, 2);
  for (const line of head) {
    const match = CODING_COOKIE.exec(line);
    if (match?.[1]) return match[1].toLowerCase().replace(/_/g, '-');
  }
  return null;
}
