import { alphaChannels, concatBytes, forEachAlphaRow, pngSignature, readPngChunks } from '../pngScanlines';
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
  return concatBytes([pngSignature, chunk('IHDR', header), chunk('IDAT', zlib.deflate(scanlines)), chunk('IEND', new Uint8Array(0))]);
}

/** A mask file read back, or why it cannot be used as the painter's base layer. */
export type DecodedMask = { readonly ok: true; readonly raster: MaskRaster } | { readonly ok: false; readonly reason: string };

/**
 * Reads a mask PNG into a raster: a pixel counts as painted when its alpha is below 128 (a mask
 * from another tool may have soft edges). 8-bit RGBA or grey+alpha, not interlaced: what mask
 * tools write; anything else is refused with the reason, and the painter starts empty.
 */
export function decodeMaskPng(bytes: Uint8Array, zlib: Pick<Zlib, 'inflate'>): DecodedMask {
  const chunks = readPngChunks(bytes);
  if (!chunks.ok) return { ok: false, reason: chunks.reason === 'not a PNG' ? 'it is not a PNG' : 'the PNG is cut short' };
  const { header } = chunks;
  if (alphaChannels(header) === undefined) return { ok: false, reason: 'it has no alpha channel' };
  if (header.bitDepth !== 8 || header.interlace !== 0) return { ok: false, reason: 'only 8-bit, non-interlaced masks can be painted on' };
  let raster: MaskRaster;
  try {
    raster = createRaster(header.width, header.height);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  let data: Uint8Array;
  try {
    data = zlib.inflate(chunks.idat);
  } catch {
    return { ok: false, reason: 'its pixel data is damaged' };
  }
  const { width } = header;
  const rows = forEachAlphaRow(header, data, (y, row, channels) => {
    for (let x = 0; x < width; x++) if ((row[x * channels + channels - 1] ?? 255) < 128) raster.pixels[y * width + x] = 1;
  });
  if (!rows.ok) return { ok: false, reason: rows.reason === 'cut short' ? 'its pixel data is cut short' : 'its pixel data is damaged' };
  return { ok: true, raster };
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

