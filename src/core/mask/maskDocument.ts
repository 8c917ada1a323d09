import { copyRaster, createRaster, paintSegment } from './maskRaster';
import type { MaskRaster, PixelRect, Point } from './maskRaster';

/**
 * What the user did to a mask, as a list of operations over a base layer (an existing
 * `<name>.mask.png`, or nothing painted). The page keeps it for undo/redo and sends the operations
 * to the host on save; the host replays them with the same functions (docs/architecture.md,
 * "The mask painter").
 */
export type MaskOperation =
  | {
      readonly kind: 'stroke';
      /** brush paints (the image may change there), eraser takes paint away. */
      readonly tool: 'brush' | 'eraser';
      /** Brush diameter in image pixels. */
      readonly size: number;
      /** The pointer's path in image pixels; one point is a dab. */
      readonly points: readonly Point[];
    }
  | { readonly kind: 'clear' }
  | { readonly kind: 'invert' };

/** Brush diameters the painter offers, in image pixels. */
export const minBrushSize = 1;
export const maxBrushSize = 512;

/** Applies one operation to `raster` in place; returns the rectangle that changed. */
export function applyOperation(raster: MaskRaster, operation: MaskOperation): PixelRect | undefined {
  switch (operation.kind) {
    case 'clear':
      raster.pixels.fill(0);
      return wholeRaster(raster);
    case 'invert':
      for (let index = 0; index < raster.pixels.length; index++) raster.pixels[index] = raster.pixels[index] === 1 ? 0 : 1;
      return wholeRaster(raster);
    case 'stroke': {
      const value = operation.tool === 'brush' ? 1 : 0;
      const radius = operation.size / 2;
      let changed: PixelRect | undefined;
      const [first, ...rest] = operation.points;
      if (first === undefined) return undefined;
      if (rest.length === 0) return paintSegment(raster, first, first, radius, value);
      let previous = first;
      for (const point of rest) {
        changed = union(changed, paintSegment(raster, previous, point, radius, value));
        previous = point;
      }
      return changed;
    }
  }
}

/** The base layer with every operation applied, as a new raster. */
export function rasterise(base: MaskRaster, operations: readonly MaskOperation[]): MaskRaster {
  const raster = copyRaster(base);
  for (const operation of operations) applyOperation(raster, operation);
  return raster;
}

/**
 * A mask being painted: the base layer, the operations done (undo takes the last one back), and the
 * ones undone (redo puts them back; any new operation drops them). `raster` is always the base with
 * the done operations applied.
 */
export class MaskDocument {
  private readonly done: MaskOperation[] = [];
  private readonly undone: MaskOperation[] = [];
  private current: MaskRaster;
  /**
   * The raster after the first n operations, for every eighth n (the latest few): undo replays at
   * most seven operations from one instead of all of them from the base (long strokes on a 4K
   * image take a few ms each).
   */
  private readonly checkpoints = new Map<number, Uint8Array>();

  constructor(private readonly base: MaskRaster) {
    this.current = copyRaster(base);
  }

  static empty(width: number, height: number): MaskDocument {
    return new MaskDocument(createRaster(width, height));
  }

  get raster(): MaskRaster {
    return this.current;
  }

  get operations(): readonly MaskOperation[] {
    return this.done;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Records and applies an operation; returns what changed. */
  apply(operation: MaskOperation): PixelRect | undefined {
    this.dropCheckpointsAfter(this.done.length);
    if (this.done.length % checkpointEvery === 0 && this.done.length > 0) this.checkpoint(this.done.length);
    // A stroke's points are copied so extendStroke can grow them in place (no copy per pointer move).
    this.done.push(operation.kind === 'stroke' ? { ...operation, points: [...operation.points] } : operation);
    this.undone.length = 0;
    return applyOperation(this.current, operation);
  }

  /**
   * Replaces the last operation (a stroke growing while the pointer moves) without touching redo:
   * only the new segment is painted, so a long stroke stays cheap.
   */
  extendStroke(point: Point): PixelRect | undefined {
    const last = this.done[this.done.length - 1];
    if (last?.kind !== 'stroke') return undefined;
    const previous = last.points[last.points.length - 1] ?? point;
    (last.points as Point[]).push(point);
    return paintSegment(this.current, previous, point, last.size / 2, last.tool === 'brush' ? 1 : 0);
  }

  undo(): boolean {
    const operation = this.done.pop();
    if (operation === undefined) return false;
    this.undone.push(operation);
    const from = Math.max(0, ...[...this.checkpoints.keys()].filter((length) => length <= this.done.length));
    const pixels = this.checkpoints.get(from);
    const start: MaskRaster = pixels ? { width: this.base.width, height: this.base.height, pixels } : this.base;
    this.current = rasterise(start, this.done.slice(from));
    return true;
  }

  redo(): boolean {
    const operation = this.undone.pop();
    if (operation === undefined) return false;
    this.done.push(operation);
    applyOperation(this.current, operation);
    return true;
  }

  private checkpoint(length: number): void {
    this.checkpoints.set(length, Uint8Array.from(this.current.pixels));
    for (const oldest of this.checkpoints.keys()) {
      if (this.checkpoints.size <= checkpointsKept) break;
      this.checkpoints.delete(oldest);
    }
  }

  /** A new operation at `length` replaces what was undone: checkpoints past it no longer hold (they would be
   *  overwritten before being read; dropping them frees their memory and their place among those kept). */
  private dropCheckpointsAfter(length: number): void {
    for (const key of [...this.checkpoints.keys()]) if (key > length) this.checkpoints.delete(key);
  }
}

/** How often the document keeps a checkpoint, and how many it keeps (each is one byte per pixel). */
const checkpointEvery = 8;
const checkpointsKept = 6;

function wholeRaster(raster: MaskRaster): PixelRect {
  return { x: 0, y: 0, width: raster.width, height: raster.height };
}

function union(a: PixelRect | undefined, b: PixelRect | undefined): PixelRect | undefined {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
