import { html } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import type { StudioContext } from './context';

/**
 * The mask painter's place in the page: when the host switches the view to `mask`, the Studio
 * hides and an empty `#mask-root` is shown. The painter itself is its own module (app/mask/), which
 * registers its mount function here; until it does, the route says so instead of painting.
 */
export type MaskMount = (container: HTMLElement, options: unknown, callbacks: unknown) => { dispose(): void };

let mountPainter: MaskMount | undefined;
let mounted: { container: HTMLElement; painter: { dispose(): void } } | undefined;

export function registerMaskPainter(mount: MaskMount): void {
  mountPainter = mount;
}

export function maskTemplate(context: StudioContext): TemplateResult {
  const attach = (element: Element | undefined): void => {
    if (!(element instanceof HTMLElement) || mounted?.container === element) return;
    mounted?.painter.dispose();
    mounted = mountPainter ? { container: element, painter: mountPainter(element, {}, { back: () => showStudio(context) }) } : undefined;
    if (!mountPainter) element.textContent = 'The mask painter is not part of this build.';
  };
  return html`<div id="mask-root" data-testid="mask-root" ${ref(attach)}></div>`;
}

function showStudio(context: StudioContext): void {
  mounted?.painter.dispose();
  mounted = undefined;
  context.ui.view = 'studio';
  context.update();
}

/** Leaving the mask view (the host routed back): the painter is disposed with its container. */
export function leaveMask(): void {
  mounted?.painter.dispose();
  mounted = undefined;
}
