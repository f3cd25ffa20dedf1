/** `{{user.<field>}}` placeholders under a cursor, for hovers (a whole placeholder) and completions (a prefix). */

export interface PlaceholderHit {
  /** The field name after `user.`. */
  field: string;
  /** Value indices of the field name. */
  start: number;
  end: number;
}

const PLACEHOLDER = /\{\{\s*user\.([A-Za-z0-9_]*)\s*\}\}/g;

export function placeholderAt(value: string, index: number): PlaceholderHit | null {
  for (const match of value.matchAll(PLACEHOLDER)) {
    const whole = match.index;
    if (index < whole || index > whole + match[0].length) continue;
    const field = match[1] ?? '';
    const start = whole + match[0].indexOf('user.') + 'user.'.length;
    return { field, start, end: start + field.length };
  }
  return null;
}

/** When the text before `index` ends in `{{user.<partial>`, the partial name and where it starts. */
export function placeholderPrefix(value: string, index: number): { partial: string; start: number; end: number } | null {
  const match = /\{\{\s*user\.([A-Za-z0-9_]*)$/.exec(value.slice(0, index));
  if (!match) return null;
  const partial = match[1] ?? '';
  const rest = /^[A-Za-z0-9_]*/.exec(value.slice(index))?.[0] ?? '';
  return { partial, start: index - partial.length, end: index + rest.length };
}
