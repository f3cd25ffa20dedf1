/**
 * Position units differ: libpg-query's parse-tree `location`s are UTF-8 byte offsets, its error cursor is
 * in code points, and everything else here is UTF-16 (JavaScript string indices, LSP). These convert.
 */
export function codePointToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return Math.min(index, text.length);
}

/** A converter from UTF-8 byte offsets to UTF-16 indices for one query (ASCII queries map 1:1). */
export function byteToIndexer(text: string): (byte: number) => number {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) return (byte) => Math.max(0, Math.min(byte, text.length));
  const starts: number[] = [];
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index) ?? 0;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < width; b++) starts[bytes + b] = index;
    bytes += width;
    if (code >= 0x10000) index++;
  }
  return (byte) => (byte >= bytes ? text.length : (starts[Math.max(0, byte)] ?? 0));
}

export interface IdentifierPart {
  name: string;
  start: number;
  end: number;
}

/**
 * Reads a dotted identifier chain (`u.email`, `public."Users"`, `accounts_user`) starting at `index`,
 * so a diagnostic can cover exactly the part that is wrong.
 */
export function readIdentifierChain(text: string, index: number): IdentifierPart[] {
  const parts: IdentifierPart[] = [];
  let i = index;
  for (;;) {
    const part = readIdentifier(text, i);
    if (!part) break;
    parts.push(part);
    const dot = /^\s*\.\s*/.exec(text.slice(part.end, part.end + 40));
    if (!dot) break;
    i = part.end + dot[0].length;
  }
  return parts;
}

function readIdentifier(text: string, index: number): IdentifierPart | null {
  if (text[index] === '"') {
    let end = index + 1;
    while (end < text.length && !(text[end] === '"' && text[end + 1] !== '"')) end += text[end] === '"' ? 2 : 1;
    return { name: text.slice(index + 1, end).replace(/""/g, '"'), start: index, end: Math.min(end + 1, text.length) };
  }
  const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(index, index + 200));
  return match ? { name: match[0].toLowerCase(), start: index, end: index + match[0].length } : null;
}
