/**
 * Just enough PNG reading for the two questions the extension asks of alpha: does a saved image have
 * a transparent pixel (providers/pngAlpha.ts), and where is a mask painted (core/mask/maskPng.ts).
 * Pure: the caller inflates the pixel data (node:zlib lives outside core/).
 */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
}

export type PngChunks =
  | {
      readonly ok: true;
      readonly header: PngHeader;
      /** Every IDAT chunk's bytes, joined: the deflated scanlines. */
      readonly idat: Uint8Array;
      /** The tRNS chunk, if any (palette alphas or a key colour). */
      readonly transparency: Uint8Array | undefined;
    }
  | { readonly ok: false; readonly reason: 'not a PNG' | 'cut short' };

export const pngSignature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Walks the chunks up to IEND; a chunk longer than what is left means the file was cut short. */
export function readPngChunks(bytes: Uint8Array): PngChunks {
  if (bytes.byteLength < 33 || !pngSignature.every((byte, index) => bytes[index] === byte)) return { ok: false, reason: 'not a PNG' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader = { width: 0, height: 0, bitDepth: 0, colorType: -1, interlace: 0 };
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= bytes.byteLength; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (body.byteLength !== length) return { ok: false, reason: 'cut short' };
    if (type === 'IHDR' && length >= 13) {
      const fields = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = { width: fields.getUint32(0), height: fields.getUint32(4), bitDepth: body[8] ?? 0, colorType: body[9] ?? -1, interlace: body[12] ?? 0 };
    } else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  return { ok: true, header, idat: concatBytes(idat), transparency };
}

/** Channels per pixel of the colour types that carry alpha: RGBA (6) and grey + alpha (4). */
export function alphaChannels(header: PngHeader): 4 | 2 | undefined {
  return header.colorType === 6 ? 4 : header.colorType === 4 ? 2 : undefined;
}

export type ScanlineResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'unsupported' | 'cut short' | 'damaged' };

/**
 * Unfilters the inflated scanlines of an 8-bit, non-interlaced RGBA or grey + alpha image and hands
 * each row (channels interleaved, alpha last) to `visit`, which may return false to stop early.
 */
export function forEachAlphaRow(header: PngHeader, inflated: Uint8Array, visit: (y: number, row: Uint8Array, channels: number) => boolean | void): ScanlineResult {
  const channels = alphaChannels(header);
  if (channels === undefined || header.bitDepth !== 8 || header.interlace !== 0 || header.width === 0 || header.height === 0) return { ok: false, reason: 'unsupported' };
  const stride = header.width * channels;
  if (inflated.byteLength < (stride + 1) * header.height) return { ok: false, reason: 'cut short' };
  let previous = new Uint8Array(stride);
  let row = new Uint8Array(stride);
  for (let y = 0; y < header.height; y++) {
    const start = y * (stride + 1);
    const filter = inflated[start] ?? 0;
    if (filter > 4) return { ok: false, reason: 'damaged' };
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (row[x - channels] ?? 0) : 0;
      const up = previous[x] ?? 0;
      const upLeft = x >= channels ? (previous[x - channels] ?? 0) : 0;
      row[x] = ((inflated[start + 1 + x] ?? 0) + predict(filter, left, up, upLeft)) & 0xff;
    }
    if (visit(y, row, channels) === false) return { ok: true };
    [previous, row] = [row, previous];
  }
  return { ok: true };
}

/** The PNG filter's prediction from the left, upper and upper-left bytes (filter 4 is Paeth's). */
function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const toLeft = Math.abs(estimate - left);
      const toUp = Math.abs(estimate - up);
      const toUpLeft = Math.abs(estimate - upLeft);
      return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
    default:
      return 0;
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
