/**
 * The mask painter's pixels, without a DOM: one byte per image pixel, 1 where the user painted (the
 * image may change there), 0 elsewhere. Page and host rasterise the same operations with these
 * functions, so the overlay the user sees and the `<name>.mask.png` the host writes are the same
 * pixels (docs/architecture.md, "The mask painter"). Hard edges on purpose: a mask pixel is either
 * editable or not, and a test can say exactly which.
 */

/** Pixels at the image's own size, row by row; 1 = painted (may change), 0 = kept. */
export interface MaskRaster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A rectangle of pixels that changed, for redrawing only that part of the overlay. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The largest image the painter takes (OpenAI's 3840 px edge, squared): a raster is one byte per pixel. */
export const maxMaskEdge = 3840;

export function createRaster(width: number, height: number): MaskRaster {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > maxMaskEdge || height > maxMaskEdge) {
    throw new RangeError(`A mask must be 1 to ${maxMaskEdge} pixels on each side, not ${width}x${height}.`);
  }
  return { width, height, pixels: new Uint8Array(width * height) };
}

export function copyRaster(raster: MaskRaster): MaskRaster {
  return { width: raster.width, height: raster.height, pixels: Uint8Array.from(raster.pixels) };
}

/**
 * Paints (value 1) or erases (value 0) the capsule round the segment a→b: every pixel whose centre
 * lies within `radius` of the segment. A single point (a = b) is a disc. Coordinates are in image
 * pixels; parts outside the image are ignored. Returns the rectangle it touched (undefined: none).
 */
export function paintSegment(raster: MaskRaster, a: Point, b: Point, radius: number, value: 0 | 1): PixelRect | undefined {
  const r = Math.max(0.5, radius);
  const left = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
  const top = Math.max(0, Math.floor(Math.min(a.y, b.y) - r));
  const right = Math.min(raster.width - 1, Math.ceil(Math.max(a.x, b.x) + r));
  const bottom = Math.min(raster.height - 1, Math.ceil(Math.max(a.y, b.y) + r));
  if (left > right || top > bottom) return undefined;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const limit = r * r;
  for (let y = top; y <= bottom; y++) {
    const cy = y + 0.5;
    const row = y * raster.width;
    for (let x = left; x <= right; x++) {
      const cx = x + 0.5;
      // The nearest point of the segment to the pixel centre.
      const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((cx - a.x) * dx + (cy - a.y) * dy) / lengthSquared));
      const ex = cx - (a.x + t * dx);
      const ey = cy - (a.y + t * dy);
      if (ex * ex + ey * ey <= limit) raster.pixels[row + x] = value;
    }
  }
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/** How many pixels are painted (for the painter's status line and the tests). */
export function paintedCount(raster: MaskRaster): number {
  let count = 0;
  for (const pixel of raster.pixels) count += pixel;
  return count;
}

/**
 * Run lengths of a raster, alternating kept and painted and starting with kept (possibly 0): how a
 * loaded mask travels from the host to the page, a few KB where the raw pixels would be megabytes.
 */
export function toRuns(raster: MaskRaster): number[] {
  const runs: number[] = [];
  let current = 0;
  let length = 0;
  for (const pixel of raster.pixels) {
    if (pixel === current) {
      length++;
    } else {
      runs.push(length);
      current = pixel;
      length = 1;
    }
  }
  runs.push(length);
  return runs;
}

/** The inverse of toRuns; throws when the runs do not add up to the raster's size. */
export function fromRuns(width: number, height: number, runs: readonly number[]): MaskRaster {
  const raster = createRaster(width, height);
  let offset = 0;
  runs.forEach((length, index) => {
    if (!Number.isInteger(length) || length < 0 || offset + length > raster.pixels.length) throw new RangeError('The mask runs do not fit the image.');
    if (index % 2 === 1) raster.pixels.fill(1, offset, offset + length);
    offset += length;
  });
  if (offset !== raster.pixels.length) throw new RangeError('The mask runs do not cover the image.');
  return raster;
}
