import { html } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';

/**
 * The mask painter's place in the page: in the `mask` view the form and gallery give way to an
 * empty `#mask-root`, into which the painter's own element (MaskMode, app/mask/) is moved. lit-html
 * binds nothing inside it, so re-renders leave the painter and its canvas alone.
 */
export function maskTemplate(painter: HTMLElement | undefined): TemplateResult {
  const attach = (element: Element | undefined): void => {
    if (element instanceof HTMLElement && painter && painter.parentElement !== element) element.replaceChildren(painter);
  };
  return html`<div id="mask-root" data-testid="mask-root" ${ref(attach)}></div>`;
}
