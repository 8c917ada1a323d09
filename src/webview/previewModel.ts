/**
 * The large preview without a DOM: which image of a list it shows, fit or zoom, and for an edit
 * whether the source ("before") or the result ("after") is on screen. Pure, shared with the tests.
 */

/** One image the preview can show: its URI for the page, a label, and for an edit its source. */
export interface PreviewImage {
  readonly src: string;
  readonly alt: string;
  /** The edit's source image (webview URI), for before/after. */
  readonly before?: string | undefined;
  /** The item in the gallery, so its actions can be offered from the preview. */
  readonly itemId?: string | undefined;
}

export interface PreviewState {
  readonly images: readonly PreviewImage[];
  readonly index: number;
  /** `fit` scales to the panel; a number is the zoom factor of the natural size. */
  readonly zoom: 'fit' | number;
  readonly showing: 'after' | 'before';
}

export const zoomSteps: readonly number[] = [0.25, 0.5, 1, 2, 4];

export function openPreview(images: readonly PreviewImage[], index: number): PreviewState | undefined {
  if (images.length === 0) return undefined;
  return { images, index: Math.min(Math.max(0, index), images.length - 1), zoom: 'fit', showing: 'after' };
}

/** The next state for a key press in the preview; `close` for Escape, undefined when the key is not the preview's. */
export function previewKey(state: PreviewState, key: string): PreviewState | 'close' | undefined {
  const count = state.images.length;
  switch (key) {
    case 'Escape':
      return 'close';
    case 'ArrowRight':
      return move(state, (state.index + 1) % count);
    case 'ArrowLeft':
      return move(state, (state.index - 1 + count) % count);
    case 'Home':
      return move(state, 0);
    case 'End':
      return move(state, count - 1);
    case '+':
    case '=':
      return zoom(state, 1);
    case '-':
      return zoom(state, -1);
    case '0':
      return { ...state, zoom: 'fit' };
    case 'b':
    case 'B':
      return toggleBefore(state);
    default:
      return undefined;
  }
}

/** One step in or out from the current zoom; from `fit`, zooming starts at the natural size. */
export function zoom(state: PreviewState, direction: 1 | -1): PreviewState {
  if (state.zoom === 'fit') return { ...state, zoom: 1 };
  const at = zoomSteps.indexOf(state.zoom);
  const next = zoomSteps[Math.min(zoomSteps.length - 1, Math.max(0, (at < 0 ? 2 : at) + direction))] ?? 1;
  return { ...state, zoom: next };
}

/** Before/after exists only for an edit with a source the page can load. */
export function toggleBefore(state: PreviewState): PreviewState {
  if (state.images[state.index]?.before === undefined) return state;
  return { ...state, showing: state.showing === 'after' ? 'before' : 'after' };
}

function move(state: PreviewState, index: number): PreviewState {
  return { ...state, index, showing: 'after' };
}
