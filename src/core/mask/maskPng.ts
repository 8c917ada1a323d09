import { createRaster } from './maskRaster';
import type { MaskRaster } from './maskRaster';

/**
 * `<name>.mask.png` in OpenAI's convention (docs/providers.md §3.3, which Edit Image… and the CLI's
 * `--mask` send as is): the image's exact size, fully transparent (alpha 0) where the image may
 * change, opaque elsewhere. zlib is injected (node:zlib on the host and in tests) so this stays in
 * core/, which imports nothing from Node.
 */
export interface Zlib {
  deflate(data: Uint8Array): Uint8Array;
  inflate(data: Uint8Array): Uint8Array;
}

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** RGBA, 8 bits: painted pixels (0, 0, 0, 0), kept ones opaque white. */
export function encodeMaskPng(raster: MaskRaster, zlib: Pick<Zlib, 'deflate'>): Uint8Array {
  const { width, height, pixels } = raster;
  const stride = width * 4 + 1;
  const scanlines = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) at the start of every row.
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x] === 1) continue;
      scanlines.fill(255, y * stride + 1 + x * 4, y * stride + 1 + x * 4 + 4);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  return concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflate(scanlines)), chunk('IEND', new Uint8Array(0))]);
}

/** A mask file read back, or why it cannot be used as the painter's base layer. */
export type DecodedMask = { readonly ok: true; readonly raster: MaskRaster } | { readonly ok: false; readonly reason: string };

/**
 * Reads a mask PNG into a raster: a pixel counts as painted when its alpha is below 128 (a mask
 * from another tool may have soft edges). 8-bit RGBA or grey+alpha, not interlaced: what mask
 * tools write; anything else is refused with the reason, and the painter starts empty.
 */
export function decodeMaskPng(bytes: Uint8Array, zlib: Pick<Zlib, 'inflate'>): DecodedMask {
  if (bytes.byteLength < 33 || !signature.every((byte, index) => bytes[index] === byte)) return { ok: false, reason: 'it is not a PNG' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let interlace = 0;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= bytes.byteLength; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (body.byteLength !== length) return { ok: false, reason: 'the PNG is cut short' };
    if (type === 'IHDR') {
      const header = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = header.getUint32(0);
      height = header.getUint32(4);
      bitDepth = body[8] ?? 0;
      colorType = body[9] ?? -1;
      interlace = body[12] ?? 0;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (colorType !== 6 && colorType !== 4) return { ok: false, reason: 'it has no alpha channel' };
  if (bitDepth !== 8 || interlace !== 0) return { ok: false, reason: 'only 8-bit, non-interlaced masks can be painted on' };
  let raster: MaskRaster;
  try {
    raster = createRaster(width, height);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  let data: Uint8Array;
  try {
    data = zlib.inflate(concat(idat));
  } catch {
    return { ok: false, reason: 'its pixel data is damaged' };
  }
  const channels = colorType === 6 ? 4 : 2;
  const stride = width * channels;
  if (data.byteLength < (stride + 1) * height) return { ok: false, reason: 'its pixel data is cut short' };
  let previous = new Uint8Array(stride);
  let row = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const start = y * (stride + 1);
    const filter = data[start] ?? 0;
    if (filter > 4) return { ok: false, reason: 'its pixel data is damaged' };
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (row[x - channels] ?? 0) : 0;
      const up = previous[x] ?? 0;
      const upLeft = x >= channels ? (previous[x - channels] ?? 0) : 0;
      row[x] = ((data[start + 1 + x] ?? 0) + predict(filter, left, up, upLeft)) & 0xff;
    }
    for (let x = 0; x < width; x++) if ((row[x * channels + channels - 1] ?? 255) < 128) raster.pixels[y * width + x] = 1;
    [previous, row] = [row, previous];
  }
  return { ok: true, raster };
}

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

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  for (let index = 0; index < 4; index++) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  crcTable ??= new Uint32Array(256).map((_, index) => {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    return value >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
