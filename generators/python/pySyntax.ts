/**
 * Escaping for generated Python: every string or identifier that comes from the user's project goes
 * through here, so a model or app name can never become code.
 */

/** A double-quoted Python string literal. JSON's escapes (\" \\ \n \uXXXX) are all valid in Python 3. */
export function pyString(value: string, quote: '"' | "'" = '"'): string {
  const json = JSON.stringify(value);
  if (quote === '"') return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

const PY_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

export function isPyIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_KEYWORDS.has(name);
}

/** Throws for a name that cannot be written as a Python identifier (the generator then refuses the project). */
export function pyIdentifier(name: string): string {
  if (!isPyIdentifier(name)) throw new Error(`not a Python identifier: ${JSON.stringify(name)}`);
  return name;
}

/** A Python string for text that may span lines (SQL in migrations): triple-quoted, escapes for \ and quotes. */
export function pyTripleQuoted(value: string): string {
  const body = value.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
  return `"""${body.endsWith('"') ? `${body.slice(0, -1)}\\"` : body}"""`;
}

/** Text for a `#` comment: one line, whatever the project's names contain. */
export function pyComment(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
