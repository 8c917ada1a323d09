import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import { t } from '../l10nText';
import { openPreview, previewKey, toggleBefore, zoom } from '../previewModel';
import type { PreviewImage, PreviewState } from '../previewModel';
import type { StudioContext } from './context';

/** Opens the large preview on `images[index]`; focus goes back to `opener` when it closes. */
export function openPreviewFrom(context: StudioContext, images: readonly PreviewImage[], index: number, opener: HTMLElement): void {
  const preview = openPreview(images, index);
  if (!preview) return;
  context.ui.preview = preview;
  context.ui.previewOpener = opener;
  context.update(() => document.querySelector<HTMLElement>('[data-testid="preview-stage"]')?.focus());
}

function closePreview(context: StudioContext): void {
  const opener = context.ui.previewOpener;
  context.ui.preview = undefined;
  context.ui.previewOpener = undefined;
  context.update(() => {
    // The opener may have been re-rendered away (a gallery reload): fall back to the first preview button.
    const target = opener?.isConnected ? opener : document.querySelector<HTMLElement>('[data-testid="card-preview"], [data-testid="job-image"]');
    target?.focus();
  });
}

function set(context: StudioContext, next: PreviewState): void {
  context.ui.preview = next;
  context.update();
}

/**
 * The large preview: a modal dialog over the page (the page behind is inert). Fit or zoom, arrow
 * keys between the images, B (or the button) for before/after on an edit, Escape back.
 */
export function previewTemplate(context: StudioContext): TemplateResult | typeof nothing {
  const state = context.ui.preview;
  if (!state) return nothing;
  const image = state.images[state.index];
  if (!image) return nothing;
  const before = state.showing === 'before' && image.before !== undefined;
  const onKey = (event: KeyboardEvent): void => {
    if (event.target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
    const next = previewKey(state, event.key);
    if (next === undefined) return;
    event.preventDefault();
    if (next === 'close') closePreview(context);
    else set(context, next);
  };
  const applyZoom = (element: Element | undefined): void => {
    if (!(element instanceof HTMLImageElement)) return;
    const factor = state.zoom;
    const size = (): void => {
      // CSSOM, not a style attribute: the CSP allows no inline styles.
      element.style.width = factor === 'fit' ? '' : `${Math.round(element.naturalWidth * factor)}px`;
    };
    if (element.complete) size();
    else element.addEventListener('load', size, { once: true });
  };
  const zoomLabel = state.zoom === 'fit' ? t('Fit') : `${Math.round(state.zoom * 100)}%`;
  const position = t('Image {0} of {1}', state.index + 1, state.images.length);
  const side = before ? t(' · before (source)') : image.before ? t(' · after (result)') : '';
  return html`<div class="preview-backdrop" data-testid="preview" role="dialog" aria-modal="true" aria-labelledby="preview-title" @keydown=${onKey}>
    <div class="preview-bar" role="toolbar" aria-label=${t('Preview')}>
      <span id="preview-title" class="preview-title" data-testid="preview-position">${position}${side}</span>
      <button type="button" data-testid="preview-prev" aria-keyshortcuts="ArrowLeft" ?disabled=${state.images.length < 2} @click=${() => set(context, { ...state, index: (state.index - 1 + state.images.length) % state.images.length, showing: 'after' })}>${t('← Previous')}</button>
      <button type="button" data-testid="preview-next" aria-keyshortcuts="ArrowRight" ?disabled=${state.images.length < 2} @click=${() => set(context, { ...state, index: (state.index + 1) % state.images.length, showing: 'after' })}>${t('Next →')}</button>
      <button type="button" data-testid="preview-fit" aria-keyshortcuts="0" aria-pressed=${String(state.zoom === 'fit')} @click=${() => set(context, { ...state, zoom: 'fit' })}>${t('Fit')}</button>
      <button type="button" data-testid="preview-zoom-out" aria-keyshortcuts="-" aria-label=${t('Zoom out')} @click=${() => set(context, zoom(state, -1))}>−</button>
      <span class="zoom-level" data-testid="preview-zoom">${zoomLabel}</span>
      <button type="button" data-testid="preview-zoom-in" aria-keyshortcuts="+" aria-label=${t('Zoom in')} @click=${() => set(context, zoom(state, 1))}>+</button>
      ${image.before !== undefined
        ? html`<button type="button" data-testid="preview-before" aria-keyshortcuts="B" aria-pressed=${String(before)} @click=${() => set(context, toggleBefore(state))}>
            ${before ? t('Show after (result)') : t('Show before (source)')}
          </button>`
        : nothing}
      <button type="button" class="primary" data-testid="preview-close" aria-keyshortcuts="Escape" @click=${() => closePreview(context)}>${t('Close')}</button>
    </div>
    <div class=${`preview-stage ${state.zoom === 'fit' ? 'fit' : 'zoomed'}`} data-testid="preview-stage" tabindex="0" aria-label=${image.alt}>
      <img data-testid="preview-image" data-showing=${before ? 'before' : 'after'} src=${before ? (image.before ?? image.src) : image.src} alt=${before ? t('Before: the source of {0}', image.alt) : image.alt} ${ref(applyZoom)} />
      ${image.before !== undefined ? html`<span class="badge before-after" aria-hidden="true">${before ? t('Before') : t('After')}</span>` : nothing}
    </div>
    <p class="preview-caption" data-testid="preview-caption">${image.alt}</p>
    <p class="hint preview-keys">${image.before !== undefined ? t('← → other images · + − zoom · 0 fit · B before/after · Esc close') : t('← → other images · + − zoom · 0 fit · Esc close')}</p>
  </div>`;
}
