import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { compareResults } from './compareView';
import type { StudioContext } from './context';
import { formTemplate } from './formView';
import type { GalleryView } from './galleryView';
import { jobsTemplate } from './jobsView';
import type { JobTicker } from './jobsView';
import { t } from '../l10nText';
import type { MaskMode } from './mask/maskMode';
import { maskTemplate } from './maskRoute';
import { previewTemplate } from './previewView';

/**
 * The whole page from the state: two panes when the panel is wide (form | results), one column
 * when narrow (media/studio.css). The preview is a modal over it; the page behind is inert.
 */
export function appView(context: StudioContext, gallery: GalleryView, ticker: JobTicker, maskMode: MaskMode | undefined): TemplateResult {
  const { ui } = context;
  // The painter keeps the jobs list beside it, so the edit it starts shows its progress.
  if (ui.view === 'mask') return html`${maskTemplate(maskMode?.element)} ${jobsTemplate(context, ticker)} ${announcer(context)}`;
  const status = ui.status;
  return html`<div class="layout" ?inert=${ui.preview !== undefined}>
      <header>
        <h1>GPT Image Studio</h1>
        ${context.init.hasWorkspace ? nothing : html`<p class="error">${t('Open a folder first: images are saved into the workspace.')}</p>`}
      </header>
      <div class="panes">
        <section class="form-pane" aria-label=${t('Image settings')}>
          ${formTemplate(context)}
          <div class=${`status ${status.kind}`} data-testid="status" role="status" aria-live="polite">${status.text}</div>
        </section>
        <section class="results-pane" aria-label=${t('Results')}>${compareResults(context)} ${jobsTemplate(context, ticker)} ${gallery.template()}</section>
      </div>
    </div>
    ${previewTemplate(context)} ${announcer(context)}`;
}

/** The one place job state changes are announced (the jobs list itself is not a live region). */
function announcer(context: StudioContext): TemplateResult {
  return html`<div class="sr-only" data-testid="announcer" role="status" aria-live="polite">${context.ui.announcement}</div>`;
}
