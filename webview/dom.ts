/** Small DOM builders: every text goes in through textContent, so no value from a ledger or a config is parsed as HTML. */

type Attributes = Record<string, string | number | boolean | null | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Array<Node | string | null>): HTMLElementTagNameMap[K];
export function el(tag: string, attributes?: Attributes, ...children: Array<Node | string | null>): HTMLElement;
export function el(tag: string, attributes: Attributes = {}, ...children: Array<Node | string | null>): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null) element.append(child);
  return element;
}

/** A number cell: the formatted text for people, the raw value in data-value for tests and scripts. */
export function numberCell(field: string, value: number | null, text: string): HTMLTableCellElement {
  return el('td', { class: 'num', 'data-field': field, 'data-value': value === null ? 'null' : String(value) }, text);
}
