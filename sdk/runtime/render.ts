/**
 * The tiny email renderer both runtimes share (vectors: test/vectors/render.json).
 * `{{name}}` comes from the step's personalization, `{{user.column}}` from the user's row,
 * `{{unsubscribe_url}}` from the signed link. HTML gets escaped values; subject and text get raw ones
 * (they are not HTML: escaping there would show "&amp;" to the reader). Unknown names render as "".
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}/g;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** How a database value reads in an email (the same rules in Python: None → "", True → "true"). */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

export interface RenderInput {
  subject: string;
  html: string;
  text: string;
  personalization: Record<string, string>;
  user: Record<string, unknown>;
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

function fill(template: string, values: Map<string, string>, escape: boolean): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values.get(name) ?? '';
    return escape ? escapeHtml(value) : value;
  });
}

/** Placeholder values: user.* columns, then personalization (which may itself use user.*), then unsubscribe_url. */
export function placeholderValues(input: Pick<RenderInput, 'personalization' | 'user' | 'unsubscribeUrl'>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [column, value] of Object.entries(input.user)) values.set(`user.${column}`, valueText(value));
  const userOnly = new Map(values);
  for (const [name, value] of Object.entries(input.personalization)) values.set(name, fill(value, userOnly, false));
  values.set('unsubscribe_url', input.unsubscribeUrl);
  return values;
}

export function renderEmail(input: RenderInput): RenderedEmail {
  const values = placeholderValues(input);
  return {
    subject: fill(input.subject, values, false).replace(/[\r\n]+/g, ' '),
    html: fill(input.html, values, true),
    text: fill(input.text, values, false),
  };
}
