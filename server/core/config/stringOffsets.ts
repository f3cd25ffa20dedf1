/**
 * Maps each character of a string literal's value back to its offset in the source, so a SQL error at
 * value index 17 lands on the right character even after `\n`, `\'` or `\u00e9` escapes.
 * Returns null when the raw text has no escapes (then value index + content start is exact).
 */
export function buildOffsetMap(raw: string, contentStart: number, template: boolean): number[] | null {
  if (!raw.includes('\\') && !(template && raw.includes('\r'))) return null;
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === '\r' && template) {
      // Template literals cook \r\n and \r to \n.
      map.push(contentStart + i);
      i += raw[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (ch !== '\\') {
      map.push(contentStart + i);
      i += 1;
      continue;
    }
    const { length, units } = escapeAt(raw, i);
    for (let u = 0; u < units; u++) map.push(contentStart + i);
    i += length;
  }
  map.push(contentStart + raw.length);
  return map;
}

/** Length in the raw text of the escape at `i`, and how many UTF-16 units it cooks to. */
function escapeAt(raw: string, i: number): { length: number; units: number } {
  const next = raw[i + 1];
  if (next === undefined) return { length: 1, units: 1 };
  if (next === '\r') return { length: raw[i + 2] === '\n' ? 3 : 2, units: 0 };
  if (next === '\n' || next === '\u2028' || next === '\u2029') return { length: 2, units: 0 };
  if (next === 'x') return { length: 4, units: 1 };
  if (next === 'u') {
    if (raw[i + 2] === '{') {
      const close = raw.indexOf('}', i + 3);
      const code = parseInt(raw.slice(i + 3, close), 16);
      return { length: close - i + 1, units: code > 0xffff ? 2 : 1 };
    }
    return { length: 6, units: 1 };
  }
  if (next === '0' && !/[0-9]/.test(raw[i + 2] ?? '')) return { length: 2, units: 1 };
  // A surrogate pair after a backslash (`\😀`) cooks to itself: two units.
  const code = next.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdbff) return { length: 3, units: 2 };
  return { length: 2, units: 1 };
}
