/** Files above this size are parsed in chunks of top-level statements (memory stays flat, edits re-parse one chunk). */
export const CHUNK_THRESHOLD = 256 * 1024;
const CHUNK_TARGET = 64 * 1024;

export interface TextChunk {
  text: string;
  /** 0-based line of the chunk's first line in the file. */
  lineOffset: number;
}

/**
 * Splits a large module before top-level `class` / `def` / decorator lines. The split is a guess a lexer
 * would confirm; we confirm it by parsing instead: a chunk with a syntax error makes the caller parse the
 * whole file at once (a split inside a string or bracket always leaves one).
 */
export function splitTopLevel(text: string): TextChunk[] {
  const chunks: TextChunk[] = [];
  const boundary = /^(?:class |def |async def |@)/gm;
  let start = 0;
  let startLine = 0;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(text))) {
    const at = match.index;
    if (at - start < CHUNK_TARGET || followsDecorator(text, at)) continue;
    const piece = text.slice(start, at);
    chunks.push({ text: piece, lineOffset: startLine });
    startLine += countLines(piece);
    start = at;
  }
  chunks.push({ text: text.slice(start), lineOffset: startLine });
  return chunks;
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
