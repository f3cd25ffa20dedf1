/** Lines Initialize writes into the project's files, kept within the project's line length (Black's layout). */

/** A `#` comment as lines of at most `limit` characters (no limit: one line). */
export function wrapComment(text: string, indent: string, limit: number | null): string[] {
  if (!limit) return [`${indent}# ${text}`];
  const lines: string[] = [];
  let line = `${indent}#`;
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > limit && line.trim() !== '#') {
      lines.push(line);
      line = `${indent}#`;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** `head` + args + `)` on one line when it fits; else the arguments on their own line (or one per line), as Black does. */
export function fitCall(indent: string, head: string, args: string[], limit: number | null): string[] {
  const one = `${indent}${head}${args.join(', ')})`;
  if (!limit || one.length <= limit) return [one];
  const inner = `${indent}    ${args.join(', ')}`;
  if (inner.length <= limit) return [`${indent}${head}`, inner, `${indent})`];
  return [`${indent}${head}`, ...args.map((a) => `${indent}    ${a},`), `${indent})`];
}
