import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { t } from '../l10nText';
import { rovingIndex } from '../rovingFocus';

export interface CardMenuEntry {
  readonly label: string;
  readonly testId: string;
}

export interface CardMenuOptions {
  /** Unique per card: names the menu for aria-controls. */
  readonly id: string;
  readonly label: string;
  readonly entries: readonly CardMenuEntry[];
  readonly open: boolean;
  setOpen(open: boolean): void;
  update(after?: () => void): void;
  activate(entry: CardMenuEntry): void;
}

let menuCount = 0;
const menuIds = new Map<string, string>();

/**
 * A card's one compact menu (the WAI-ARIA menu button pattern): one tab stop; Enter, Space or ↓
 * opens it on the first item, ↑ on the last; arrows, Home and End move; Enter runs an item; Escape
 * or Tab closes it. After an item runs, focus is back on the menu button, so the next update finds
 * it where the user left it.
 */
export function cardMenu(options: CardMenuOptions): TemplateResult {
  const menuId = menuIds.get(options.id) ?? `card-menu-${++menuCount}`;
  menuIds.set(options.id, menuId);
  const items = (): HTMLElement[] => [...(document.getElementById(menuId)?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const button = (): HTMLElement | null => document.querySelector<HTMLElement>(`[aria-controls="${menuId}"]`);
  const openAt = (at: 'first' | 'last'): void => {
    options.setOpen(true);
    options.update(() => {
      const list = items();
      list[at === 'first' ? 0 : list.length - 1]?.focus();
    });
  };
  const close = (refocus: boolean): void => {
    options.setOpen(false);
    options.update(() => {
      if (refocus) button()?.focus();
    });
  };
  const onButtonKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openAt(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (event: KeyboardEvent): void => {
    const list = items();
    const current = list.indexOf(document.activeElement as HTMLElement);
    const next = rovingIndex(event.key, current, list.length);
    if (next !== undefined) {
      event.preventDefault();
      list[next]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };
  const run = (entry: CardMenuEntry): void => {
    options.setOpen(false);
    options.update(() => button()?.focus());
    options.activate(entry);
  };
  const onFocusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    const wrap = event.currentTarget as HTMLElement;
    if (options.open && to !== null && !wrap.contains(to)) close(false);
  };
  return html`<div class="card-menu" @focusout=${onFocusOut}>
    <button
      type="button"
      data-testid="card-menu"
      aria-haspopup="menu"
      aria-expanded=${String(options.open)}
      aria-controls=${menuId}
      aria-label=${options.label}
      @click=${() => (options.open ? close(true) : openAt('first'))}
      @keydown=${onButtonKey}
    >
      ${t('Actions ▾')}
    </button>
    ${options.open
      ? html`<ul class="menu" role="menu" id=${menuId} aria-label=${options.label} data-testid="card-menu-list" @keydown=${onMenuKey}>
          ${options.entries.map(
            (entry) => html`<li role="none">
              <button type="button" role="menuitem" tabindex="-1" data-testid=${entry.testId} @click=${() => run(entry)}>${entry.label}</button>
            </li>`,
          )}
        </ul>`
      : nothing}
  </div>`;
}
