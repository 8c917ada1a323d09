import { providerLabels } from '../../core/ids';
import { formatUsd } from '../../core/cost';
import { historyPageSize, outgoing } from '../formModel';
import type { HistoryAction, HistoryItemView, ToWebview } from '../protocol';
import type { StudioContext } from './context';
import { button, h } from './dom';

type HistoryMessage = Extract<ToWebview, { type: 'history' }>;

const actions: ReadonlyArray<{ action: HistoryAction; label: string; testId: string; needsFile: boolean }> = [
  { action: 'open', label: 'Open', testId: 'action-open', needsFile: true },
  { action: 'reveal', label: 'Reveal', testId: 'action-reveal', needsFile: true },
  { action: 'copyPath', label: 'Copy path', testId: 'action-copy-path', needsFile: true },
  { action: 'insertMarkdown', label: 'Insert Markdown', testId: 'action-insert-markdown', needsFile: true },
  { action: 'insertHtml', label: 'Insert HTML', testId: 'action-insert-html', needsFile: true },
  { action: 'edit', label: 'Edit…', testId: 'action-edit', needsFile: true },
  { action: 'regenerate', label: 'Regenerate…', testId: 'action-regenerate', needsFile: false },
  { action: 'vary', label: 'Vary', testId: 'action-vary', needsFile: false },
  { action: 'otherProvider', label: 'Other provider…', testId: 'action-other-provider', needsFile: false },
];

/**
 * History, newest first, a page at a time: the next page is asked for when the sentinel scrolls
 * into view (or "Load more" is pressed), so 500 images never load at once. Thumbnails are
 * webview URIs with loading="lazy": the browser fetches only those near the viewport.
 */
export class GalleryView {
  private readonly search = h('input', {
    type: 'search',
    'data-testid': 'history-search',
    'aria-label': 'Search history by prompt',
    placeholder: 'Search by prompt',
  });
  private readonly grid = h('ul', { class: 'gallery', 'data-testid': 'gallery', 'aria-label': 'Images' });
  private readonly status = h('p', { class: 'hint', 'data-testid': 'gallery-status', role: 'status' });
  private readonly more = button('Load more', 'load-more');
  readonly element: HTMLElement;
  private items: HistoryItemView[] = [];
  private total = 0;
  /** The request whose answer we are waiting for; older answers (a previous search) are dropped. */
  private pending: string | undefined;
  private debounce: number | undefined;
  /** "Load more" was pressed: move focus to the first new card once it arrives. */
  private focusNew = false;

  constructor(private readonly context: StudioContext) {
    this.search.value = context.state.query;
    this.search.addEventListener('input', () => {
      window.clearTimeout(this.debounce);
      this.debounce = window.setTimeout(() => {
        context.state.query = this.search.value;
        context.save();
        this.reload();
      }, 250);
    });
    this.more.addEventListener('click', () => {
      this.focusNew = true;
      this.loadMore();
    });
    const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.loadMore();
    }).observe(sentinel);
    this.element = h('section', { class: 'gallery-section', 'aria-label': 'Gallery and history' }, [
      h('div', { class: 'row' }, [h('h2', { text: 'Gallery' }), this.search]),
      this.status,
      this.grid,
      sentinel,
      this.more,
    ]);
  }

  /** Starts over from the first page (new search, a job saved, the panel shown again). */
  reload(): void {
    this.items = [];
    this.total = 0;
    this.grid.replaceChildren();
    this.request(0);
  }

  receive(message: HistoryMessage): void {
    if (message.requestId !== this.pending) return;
    this.pending = undefined;
    this.total = message.total;
    const fresh = message.items.filter((item) => !this.items.some((known) => known.id === item.id));
    this.items.push(...fresh);
    const cards = fresh.map((item) => this.card(item));
    this.grid.append(...cards);
    // Keyboard users continue at the first new image; it also moves focus off the button, which
    // Chrome's scroll anchoring would otherwise keep in view and so pull page after page.
    if (this.focusNew && cards[0]) cards[0].focus();
    this.focusNew = false;
    this.status.textContent =
      this.total === 0
        ? this.context.state.query.trim() === ''
          ? 'No images yet: generate one above.'
          : 'No image matches that search.'
        : `${this.items.length} of ${this.total}`;
    this.more.hidden = this.items.length >= this.total;
  }

  private loadMore(): void {
    if (this.pending !== undefined || this.items.length >= this.total) return;
    this.request(this.items.length);
  }

  private request(offset: number): void {
    const query = this.context.state.query;
    this.pending = this.context.request((id) => outgoing.loadHistory(id, query, offset, historyPageSize));
  }

  private card(item: HistoryItemView): HTMLElement {
    const title = item.prompt || item.label;
    const figure = item.thumbnail
      ? h('img', { src: item.thumbnail, alt: item.prompt.slice(0, 125) || item.label, loading: 'lazy', decoding: 'async' })
      : h('div', { class: 'tile', text: item.state ?? 'no preview' });
    const meta = [
      item.provider ? providerLabels[item.provider] : undefined,
      item.model,
      item.size,
      item.quality,
      item.costUsd !== undefined ? formatUsd(item.costUsd) : undefined,
      new Date(item.createdAt).toLocaleString(),
    ].filter((part): part is string => part !== undefined && part !== '');
    const toolbar = h('div', { class: 'actions', role: 'group', 'aria-label': `Actions for ${title.slice(0, 60)}` });
    for (const entry of actions) {
      if (entry.needsFile && item.kind !== 'image') continue;
      const action = button(entry.label, entry.testId, { 'aria-label': `${entry.label}: ${title.slice(0, 60)}` });
      action.addEventListener('click', () =>
        this.context.request(
          (id) => outgoing.historyAction(id, entry.action, item.id),
          (reply) => {
            if (reply.error) this.context.notify(reply.error, 'error');
            else if (reply.info) this.context.notify(reply.info, 'info');
          },
        ),
      );
      toolbar.append(action);
    }
    return h('li', { class: 'card', tabindex: -1, 'data-testid': 'gallery-item', 'data-kind': item.kind, 'data-item-id': item.id }, [
      figure,
      h('div', { class: 'card-prompt', title, text: title }),
      h('div', { class: 'card-meta', text: meta.join(' · ') }),
      item.error ? h('div', { class: 'error', text: item.error }) : undefined,
      toolbar,
    ]);
  }
}
