/** Attributes `h` understands: plain attributes, plus `text` for textContent. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Creates an element. Event handlers are attached with addEventListener by the caller: inline
 * `on…` attributes would be blocked by the CSP (and are refused here).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: ReadonlyArray<Node | string | undefined> = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith('on')) throw new Error(`Inline handler ${name} refused: use addEventListener.`);
    if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== undefined) element.append(child);
  }
  return element;
}

let fieldCount = 0;

/** A labelled control wrapper: label + control + optional hint/error line. */
export function field(label: string, control: HTMLElement, extra: ReadonlyArray<Node | undefined> = []): HTMLElement {
  const id = control.id || `field-${++fieldCount}`;
  control.id = id;
  return h('div', { class: 'field' }, [h('label', { for: id, text: label }), control, ...extra]);
}

export function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const element = h('option', { value, text: label });
  element.selected = selected;
  return element;
}

export function button(label: string, testId: string, attributes: Attributes = {}): HTMLButtonElement {
  return h('button', { type: 'button', 'data-testid': testId, text: label, ...attributes });
}
