import { html } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { formatUsd } from '../../core/cost';
import { providerLabels } from '../../core/ids';
import type { GalleryRow } from '../galleryGroups';
import { t } from '../l10nText';
import type { HistoryItemView } from '../protocol';
import { rovingIndex } from '../rovingFocus';
import { formatDuration } from './compareView';

type GroupRow = Extract<GalleryRow, { kind: 'group' }>;

/** What a group's image needs from the gallery: its preview and its actions menu, as a card has. */
export interface GroupHooks {
  preview(item: HistoryItemView, opener: HTMLElement): void;
  menu(item: HistoryItemView, label: string): TemplateResult;
}

/**
 * A batch entry made by several providers, side by side in the compare view's cells: the entry's
 * name as heading, one column per provider with provider/model, and each image with its time,
 * cost and actual size. Every image is a tab stop that opens the large preview; ← and → move
 * between the group's images.
 */
export function batchGroupTemplate(group: GroupRow, hooks: GroupHooks): TemplateResult {
  const headingId = `group-${hashId(group.id)}`;
  return html`<li class="batch-group" data-testid="gallery-group" data-entry=${group.entry} aria-labelledby=${headingId}>
    <h3 id=${headingId}>${group.entry}</h3>
    <p class="card-meta" data-testid="group-source">${t('Batch entry in {0}, one column per provider', group.file)}</p>
    <ul class="compare-grid" @keydown=${moveBetweenImages}>
      ${group.columns.map(
        (column) => html`<li class="compare-cell" data-testid="group-column" data-provider=${column.provider}>
          <h4>${column.model ? `${providerLabels[column.provider]} · ${column.model}` : providerLabels[column.provider]}</h4>
          ${column.items.map((item) => image(group, item, hooks))}
        </li>`,
      )}
    </ul>
  </li>`;
}

function image(group: GroupRow, item: HistoryItemView, hooks: GroupHooks): TemplateResult {
  const provider = item.provider ? providerLabels[item.provider] : '';
  const facts = [
    item.durationMs !== undefined ? t('Time {0}', formatDuration(item.durationMs)) : undefined,
    item.costUsd !== undefined ? t('Cost about {0}', formatUsd(item.costUsd)) : t('Cost unknown'),
    item.size !== '' ? t('Size {0}', item.size) : t('Size unknown'),
  ].filter((fact): fact is string => fact !== undefined);
  return html`<div class="group-image" data-item-id=${item.id}>
    ${item.thumbnail
      ? html`<button type="button" class="thumb" data-testid="group-image" aria-label=${t('Preview: {0} by {1} ({2})', group.entry, provider, item.label)} @click=${(event: Event) => hooks.preview(item, event.currentTarget as HTMLElement)}>
          <img src=${item.thumbnail} alt="" loading="lazy" decoding="async" />
        </button>`
      : html`<div class="tile">${t('no preview')}</div>`}
    <p class="compare-facts" data-testid="group-facts">${facts.map((fact) => html`<span>${fact}</span>`)}</p>
    ${hooks.menu(item, t('Actions for {0}', `${group.entry} (${provider}, ${item.label})`))}
  </div>`;
}

/** ← and → (Home, End) between the images of one group; other keys are left to the page. */
function moveBetweenImages(event: KeyboardEvent): void {
  if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
  const target = event.target as HTMLElement;
  if (target.dataset['testid'] !== 'group-image') return;
  const images = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[data-testid="group-image"]')];
  const next = rovingIndex(event.key, images.indexOf(target), images.length);
  if (next === undefined) return;
  event.preventDefault();
  images[next]?.focus();
}

/** An id attribute from any string (file names may hold spaces and other characters ids should not). */
function hashId(text: string): string {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (hash * 31 + text.charCodeAt(index)) | 0;
  return (hash >>> 0).toString(36);
}
