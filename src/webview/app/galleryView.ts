import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { ref } from 'lit-html/directives/ref.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { providerLabels } from '../../core/ids';
import { formatUsd } from '../../core/cost';
import { historyPageSize, outgoing } from '../formModel';
import { galleryRows, rowItems } from '../galleryGroups';
import type { GalleryRow } from '../galleryGroups';
import { t } from '../l10nText';
import type { PreviewImage } from '../previewModel';
import type { HistoryAction, HistoryItemView, ToWebview } from '../protocol';
import { batchGroupTemplate } from './batchGroupView';
import type { GroupHooks } from './batchGroupView';
import type { StudioContext } from './context';
import { cardMenu } from './cardMenu';
import type { CardMenuEntry } from './cardMenu';
import { openPreviewFrom } from './previewView';

type HistoryMessage = Extract<ToWebview, { type: 'history' }>;

/** Everything a card offers besides its preview, in the menu's order. */
type CardAction = CardMenuEntry & { readonly action: HistoryAction; readonly needsFile: boolean };

/** A function, not a table: the page's translations arrive with `init`, after this module loads. */
const actions = (): readonly CardAction[] => [
  { action: 'insertMarkdown', label: t('Insert Markdown'), testId: 'action-insert-markdown', needsFile: true },
  { action: 'insertHtml', label: t('Insert HTML'), testId: 'action-insert-html', needsFile: true },
  { action: 'open', label: t('Open in editor'), testId: 'action-open', needsFile: true },
  { action: 'reveal', label: t('Reveal in Explorer'), testId: 'action-reveal', needsFile: true },
  { action: 'copyPath', label: t('Copy path'), testId: 'action-copy-path', needsFile: true },
  { action: 'edit', label: t('Edit…'), testId: 'action-edit', needsFile: true },
  { action: 'regenerate', label: t('Regenerate…'), testId: 'action-regenerate', needsFile: false },
  { action: 'vary', label: t('Vary'), testId: 'action-vary', needsFile: false },
  { action: 'otherProvider', label: t('Other provider…'), testId: 'action-other-provider', needsFile: false },
  { action: 'delete', label: t('Delete (to the trash)'), testId: 'action-delete', needsFile: true },
];

/**
 * History, newest first, a page at a time: the next page is asked for when the sentinel scrolls
 * into view (or "Load more" is pressed), so 500 images never load at once. Cards are keyed by
 * item id: a reload after a new image keeps every card that is still there, with focus.
 */
export class GalleryView {
  private items: HistoryItemView[] = [];
  private total = 0;
  private loaded = false;
  /** The request whose answer we are waiting for; older answers (a previous search) are dropped. */
  private pending: string | undefined;
  private debounce: number | undefined;
  /** "Load more" was pressed: move focus to the first new card once it arrives. */
  private focusNew = false;
  /** After a delete: where focus goes once the list is back (the card that took its place). */
  private focusAt: number | undefined;
  /** The card whose menu is open. */
  private openMenu: string | undefined;
  private observer: IntersectionObserver | undefined;

  constructor(private readonly context: StudioContext) {}

  /** Starts over from the first page (new search, a job saved, the panel shown again); cards stay until it arrives. */
  reload(): void {
    this.request(0);
  }

  receive(message: HistoryMessage): void {
    if (message.requestId !== this.pending) return;
    this.pending = undefined;
    this.loaded = true;
    this.total = message.total;
    const before = this.items.length;
    if (message.offset === 0) this.items = [...message.items];
    else this.items.push(...message.items.filter((item) => !this.items.some((known) => known.id === item.id)));
    const focusNew = this.focusNew ? before : undefined;
    const focusAt = this.focusAt;
    this.focusNew = false;
    this.focusAt = undefined;
    this.context.update(() => {
      const at = focusNew ?? (focusAt !== undefined ? Math.min(focusAt, this.items.length - 1) : undefined);
      if (at === undefined) return;
      // Keyboard users continue at the first new image (it also moves focus off "Load more", which
      // Chrome's scroll anchoring would otherwise keep in view and so pull page after page).
      // Cards and the images of side-by-side groups, in the order the page shows them.
      const cards = document.querySelectorAll<HTMLElement>('[data-testid="gallery-item"], [data-testid="gallery-group"] .group-image');
      const card = cards[at];
      (card?.querySelector<HTMLElement>('[data-testid="card-preview"], [data-testid="group-image"], [data-testid="card-menu"]') ?? document.querySelector<HTMLElement>('[data-testid="history-search"]'))?.focus();
    });
  }

  template(): TemplateResult {
    const context = this.context;
    const onSearch = (event: Event): void => {
      const value = (event.target as HTMLInputElement).value;
      window.clearTimeout(this.debounce);
      this.debounce = window.setTimeout(() => {
        context.state.query = value;
        context.save();
        this.reload();
      }, 250);
    };
    const status = !this.loaded
      ? ''
      : this.total === 0
        ? context.state.query.trim() === ''
          ? t('No images yet: generate one.')
          : t('No image matches that search.')
        : t('{0} of {1}', this.items.length, this.total);
    const rows = galleryRows(this.items);
    const images = this.previewImages(rows);
    return html`<section class="gallery-section" aria-labelledby="gallery-heading">
      <div class="row">
        <h2 id="gallery-heading">${t('Gallery')}</h2>
        <input type="search" data-testid="history-search" aria-label=${t('Search history by prompt')} placeholder=${t('Search by prompt')} .value=${live(context.state.query)} @input=${onSearch} />
      </div>
      <p class="hint" data-testid="gallery-status" role="status">${status}</p>
      <ul class="gallery" data-testid="gallery" aria-labelledby="gallery-heading">
        ${repeat(rows, rowKey, (row) => (row.kind === 'card' ? this.card(row.item, images) : batchGroupTemplate(row, this.groupHooks(images))))}
      </ul>
      <div class="sentinel" aria-hidden="true" ${observe(this)}></div>
      <button type="button" data-testid="load-more" ?hidden=${this.items.length >= this.total} @click=${() => {
        this.focusNew = true;
        this.loadMore();
      }}>${t('Load more')}</button>
    </section>`;
  }

  loadMore(): void {
    if (this.pending !== undefined || !this.loaded || this.items.length >= this.total) return;
    this.request(this.items.length);
  }

  /** Watches the sentinel once: the next page loads as it scrolls into view. */
  watch(sentinel: Element): void {
    if (this.observer) return;
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.loadMore();
    });
    this.observer.observe(sentinel);
  }

  private request(offset: number): void {
    const query = this.context.state.query;
    this.pending = this.context.request((id) => outgoing.loadHistory(id, query, offset, historyPageSize));
  }

  /** In the order the rows show them, so the preview's arrow keys go through a group column by column. */
  private previewImages(rows: readonly GalleryRow[]): PreviewImage[] {
    return rows.flatMap((row) => {
      // A group's images share one prompt: the caption says which provider made the one on screen.
      const alt = (item: HistoryItemView): string =>
        row.kind === 'group' && item.provider ? t('{0} by {1}: {2}', row.entry, providerLabels[item.provider], item.prompt.slice(0, 100)) : item.prompt.slice(0, 125) || item.label;
      return rowItems([row]).flatMap((item) => (item.thumbnail ? [{ src: item.thumbnail, alt: alt(item), before: item.before, itemId: item.id }] : []));
    });
  }

  private card(item: HistoryItemView, images: readonly PreviewImage[]): TemplateResult {
    const title = item.prompt || item.label;
    const meta = [
      item.provider ? providerLabels[item.provider] : undefined,
      item.model,
      item.size,
      item.quality,
      item.costUsd !== undefined ? formatUsd(item.costUsd) : undefined,
      new Date(item.createdAt).toLocaleString(),
    ].filter((part): part is string => part !== undefined && part !== '');
    const index = images.findIndex((image) => image.itemId === item.id);
    const figure = item.thumbnail
      ? html`<button
          type="button"
          class="thumb"
          data-testid="card-preview"
          aria-label=${item.before ? t('Preview: {0} (an edit: before and after)', title.slice(0, 80)) : t('Preview: {0}', title.slice(0, 80))}
          @click=${(event: Event) => openPreviewFrom(this.context, images, index, event.currentTarget as HTMLElement)}
        >
          <img src=${item.thumbnail} alt="" loading="lazy" decoding="async" />
        </button>`
      : html`<div class="tile">${item.state ?? t('no preview')}</div>`;
    const menu = this.menu(item, t('Actions for {0}', title.slice(0, 60)));
    return html`<li class="card" data-testid="gallery-item" data-kind=${item.kind} data-item-id=${item.id}>
      ${figure}
      <div class="card-prompt" title=${title}>${title}</div>
      <div class="card-meta">${meta.join(' · ')}</div>
      ${item.error ? html`<div class="error">${item.error}</div>` : nothing} ${menu}
    </li>`;
  }

  private menu(item: HistoryItemView, label: string): TemplateResult {
    return cardMenu({
      id: item.id,
      label,
      entries: actions().filter((entry) => !entry.needsFile || item.kind === 'image'),
      open: this.openMenu === item.id,
      setOpen: (open) => {
        this.openMenu = open ? item.id : undefined;
      },
      update: (after) => this.context.update(after),
      activate: (entry) => this.act(item, (entry as CardAction).action),
    });
  }

  private groupHooks(images: readonly PreviewImage[]): GroupHooks {
    return {
      preview: (item, opener) => openPreviewFrom(this.context, images, images.findIndex((image) => image.itemId === item.id), opener),
      menu: (item, label) => this.menu(item, label),
    };
  }

  private act(item: HistoryItemView, action: HistoryAction): void {
    this.context.request(
      (id) => outgoing.historyAction(id, action, item.id),
      (reply) => {
        if (reply.error) this.context.notify(reply.error, 'error');
        else if (reply.info) this.context.notify(reply.info, 'info');
        if (action === 'delete' && !reply.error) {
          this.focusAt = rowItems(galleryRows(this.items)).findIndex((known) => known.id === item.id);
          this.reload();
        }
      },
    );
  }
}

/** Cards by item id, groups by batch file and entry: a reload keeps every row that is still there. */
function rowKey(row: GalleryRow): string {
  return row.kind === 'card' ? row.item.id : row.id;
}

/** Hands the sentinel to the gallery once it is in the DOM. */
function observe(gallery: GalleryView): ReturnType<typeof ref> {
  return ref((element) => {
    if (element) gallery.watch(element);
  });
}
