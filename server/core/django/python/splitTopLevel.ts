/** Files above this size are parsed in chunks of top-level statements (memory stays flat, edits re-parse one chunk). */
export const CHUNK_THRESHOLD = 256 * 1024;
const CHUNK_TARGET = 64 * 1024;

export interface TextChunk {
  text: string;
  /** 0-based line of the chunk's first line in the file. */
  lineOffset: number;
}

/** Line breaks other than "\n" that a multi-line `^` also starts a line after. */
const OTHER_LINE_BREAKS = /[\r\u2028\u2029]/;

/**
 * Splits a large module before top-level `class` / `def` / decorator lines. The split is a guess a lexer
 * would confirm; we confirm it by parsing instead: a chunk with a syntax error makes the caller parse the
 * whole file at once (a split inside a string or bracket always leaves one).
 */
export function splitTopLevel(text: string): TextChunk[] {
  const chunks: TextChunk[] = [];
  const onlyNewlines = !OTHER_LINE_BREAKS.test(text);
  let start = 0;
  let startLine = 0;
  for (let at = nextBoundary(text, CHUNK_TARGET, onlyNewlines); at !== -1; at = nextBoundary(text, start + CHUNK_TARGET, onlyNewlines)) {
    const piece = text.slice(start, at);
    chunks.push({ text: piece, lineOffset: startLine });
    startLine += countLines(piece);
    start = at;
  }
  chunks.push({ text: text.slice(start), lineOffset: startLine });
  return chunks;
}

const BOUNDARY = /^(?:class |def |async def |@)/gm;

/**
 * The first line at or after `from` that starts with `class `, `def `, `async def ` or `@` and does not follow a
 * decorator line; -1 when none. Lines before `from` are never looked at (a chunk is at least CHUNK_TARGET long):
 * the 2 MB bench models file was searched whole with the pattern, now a few lines per chunk are.
 */
function nextBoundary(text: string, from: number, onlyNewlines: boolean): number {
  if (from >= text.length) return -1;
  if (!onlyNewlines) return nextBoundaryByPattern(text, from);
  let line = from === 0 || text.charCodeAt(from - 1) === 10 ? from : text.indexOf('\n', from) + 1;
  while (line > 0 && line < text.length) {
    if (startsBlock(text, line) && !followsDecorator(text, line)) return line;
    line = text.indexOf('\n', line) + 1;
  }
  return -1;
}

function startsBlock(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c === 64) return true; // '@'
  if (c === 99) return text.startsWith('class ', at);
  if (c === 100) return text.startsWith('def ', at);
  return c === 97 && text.startsWith('async def ', at);
}

/** The same search with the multi-line pattern, whose `^` also follows "\r", U+2028 and U+2029. */
function nextBoundaryByPattern(text: string, from: number): number {
  BOUNDARY.lastIndex = from;
  let match: RegExpExecArray | null;
  while ((match = BOUNDARY.exec(text))) {
    if (!followsDecorator(text, match.index)) return match.index;
  }
  return -1;
}

function followsDecorator(text: string, at: number): boolean {
  const prevEnd = text.lastIndexOf('\n', at - 2);
  return text.charCodeAt(prevEnd + 1) === 64; // '@' starts the previous line
}

export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
