import type { MaskDocument } from '../../../core/mask/maskDocument';
import type { MaskOperation } from '../../../core/mask/maskDocument';
import { t } from '../../l10nText';
import type { PixelRect, Point } from '../../../core/mask/maskRaster';

/** The tool under the pointer and its diameter in image pixels. */
export interface BrushState {
  tool: 'brush' | 'eraser';
  size: number;
}

/**
 * The image with the mask over it: an `<img>` and, stacked on it, a canvas at the image's own pixel
 * size holding core/mask's raster (the same pixels the host writes). Painted pixels are shown as
 * diagonal stripes, so the mask reads without relying on its colour. Pointer events paint; the
 * document keeps the operations for undo/redo.
 */
export class MaskOverlay {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cursor: HTMLElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly pixels: ImageData;
  private drawing: number | undefined;
  private last: Point | undefined;

  constructor(
    private readonly document: MaskDocument,
    src: string,
    alt: string,
    private readonly brush: BrushState,
    private readonly changed: (finished: boolean) => void,
  ) {
    const { width, height } = document.raster;
    const image = window.document.createElement('img');
    image.src = src;
    image.alt = alt;
    image.draggable = false;
    image.className = 'mask-image';
    this.canvas = window.document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.className = 'mask-canvas';
    this.canvas.dataset.testid = 'mask-canvas';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.cursor = window.document.createElement('div');
    this.cursor.className = 'mask-cursor';
    this.cursor.hidden = true;
    this.element = window.document.createElement('div');
    this.element.className = 'mask-stage';
    this.element.append(image, this.canvas, this.cursor);
    // As wide as the pane allows and at most 70 % of the view's height, small images scaled up: the
    // canvas covers the image exactly because both fill the stage, whose shape is the image's.
    this.element.style.width = `min(100%, calc(70vh * ${width / height}))`;
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error(t('The mask painter needs a 2D canvas.'));
    this.context = context;
    this.pixels = context.createImageData(width, height);
    this.redraw();
    this.canvas.addEventListener('pointerdown', (event) => this.down(event));
    this.canvas.addEventListener('pointermove', (event) => this.move(event));
    this.canvas.addEventListener('pointerup', (event) => this.up(event));
    this.canvas.addEventListener('pointercancel', (event) => this.up(event));
    this.canvas.addEventListener('pointerleave', () => (this.cursor.hidden = true));
  }

  /** Repaints the whole overlay (after undo, redo, clear, invert). */
  redraw(rect: PixelRect = { x: 0, y: 0, width: this.document.raster.width, height: this.document.raster.height }): void {
    const { width, pixels } = this.document.raster;
    const data = this.pixels.data;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        const index = y * width + x;
        const offset = index * 4;
        if (pixels[index] === 1) {
          // Stripes 6 px wide, two strengths of one tint: visible on light and dark images alike.
          const stripe = ((x + y) / 6) & 1;
          data[offset] = 255;
          data[offset + 1] = stripe ? 40 : 0;
          data[offset + 2] = stripe ? 160 : 110;
          data[offset + 3] = stripe ? 175 : 120;
        } else {
          data[offset + 3] = 0;
        }
      }
    }
    this.context.putImageData(this.pixels, 0, 0, rect.x, rect.y, rect.width, rect.height);
  }

  apply(operation: MaskOperation): void {
    const rect = this.document.apply(operation);
    if (rect) this.redraw(rect);
  }

  private imagePoint(event: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    const scaleX = this.canvas.width / (box.width || 1);
    const scaleY = this.canvas.height / (box.height || 1);
    // Two decimals: the host replays exactly these numbers (JSON keeps them), so both rasters agree.
    const round = (value: number): number => Math.round(value * 100) / 100;
    return { x: round((event.clientX - box.left) * scaleX), y: round((event.clientY - box.top) * scaleY) };
  }

  private down(event: PointerEvent): void {
    if (event.button !== 0 || this.drawing !== undefined) return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.drawing = event.pointerId;
    const point = this.imagePoint(event);
    this.last = point;
    this.apply({ kind: 'stroke', tool: this.brush.tool, size: this.brush.size, points: [point] });
    this.changed(false);
  }

  private move(event: PointerEvent): void {
    this.showCursor(event);
    if (event.pointerId !== this.drawing) return;
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of events.length > 0 ? events : [event]) {
      const point = this.imagePoint(sample);
      // Samples closer than a pixel add nothing a user can see; they only grow the message.
      if (this.last && Math.hypot(point.x - this.last.x, point.y - this.last.y) < 1) continue;
      this.last = point;
      const rect = this.document.extendStroke(point);
      if (rect) this.redraw(rect);
    }
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.drawing) return;
    this.move(event);
    this.drawing = undefined;
    this.last = undefined;
    this.changed(true);
  }

  /** A circle the size of the brush under the pointer, so the user sees what a dab will cover. */
  private showCursor(event: PointerEvent): void {
    const box = this.canvas.getBoundingClientRect();
    const diameter = (this.brush.size * box.width) / this.canvas.width;
    this.cursor.hidden = false;
    this.cursor.style.width = `${diameter}px`;
    this.cursor.style.height = `${diameter}px`;
    this.cursor.style.left = `${event.clientX - box.left - diameter / 2}px`;
    this.cursor.style.top = `${event.clientY - box.top - diameter / 2}px`;
    this.cursor.classList.toggle('eraser', this.brush.tool === 'eraser');
  }
}
