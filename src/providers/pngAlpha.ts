import { inflateSync } from 'node:zlib';
import { alphaChannels, forEachAlphaRow, readPngChunks } from '../core/pngScanlines';

/**
 * Whether a PNG really has a transparent pixel (issue 12: a "transparent" result that came back opaque is
 * reported, not assumed). Lives here rather than in core/ because it needs node:zlib to inflate the pixels.
 *
 * true: at least one pixel has alpha < 255 (RGBA/GA), or a tRNS chunk marks a palette entry or key colour
 * as transparent (not decoded further: a tRNS chunk is the encoder saying transparency is used).
 * false: an alpha channel or colour type with every pixel opaque, or no alpha at all.
 * undefined: not a PNG we can read (another format, interlaced, 16-bit, malformed): nothing is claimed.
 */
export function pngHasTransparentPixels(bytes: Uint8Array): boolean | undefined {
  const chunks = readPngChunks(bytes);
  if (!chunks.ok) return undefined;
  const { header, transparency } = chunks;
  // Palette entries below 255 or a key colour: the image uses transparency.
  if (transparency) return header.colorType === 3 ? transparency.some((alpha) => alpha < 255) : true;
  if (alphaChannels(header) === undefined) return header.colorType >= 0 ? false : undefined;
  let pixels: Uint8Array;
  try {
    pixels = inflateSync(chunks.idat);
  } catch {
    return undefined;
  }
  let transparent = false;
  const rows = forEachAlphaRow(header, pixels, (_y, row, channels) => {
    for (let x = channels - 1; x < row.byteLength; x += channels) {
      if ((row[x] ?? 255) < 255) {
        transparent = true;
        return false; // one is enough
      }
    }
    return true;
  });
  return rows.ok ? transparent : undefined;
}

/**
 * The same question for a WebP, answered only where the container can: a lossy `VP8 ` image, or a
 * `VP8L`/`VP8X` one whose header says it uses no alpha, has no transparent pixel (false); one that
 * says it uses alpha is not decoded here (undefined: nothing is claimed).
 */
export function webpHasTransparentPixels(bytes: Uint8Array): boolean | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.byteLength < 21 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const chunk = data.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return false;
  // VP8L: signature byte 0x2f, then 14 + 14 bits of size and one alpha_is_used bit (bit 28 of the 32 after it).
  if (chunk === 'VP8L') return data[20] === 0x2f && data.byteLength >= 25 ? ((data.readUInt32LE(21) >>> 28) & 1) === 1 ? undefined : false : undefined;
  // VP8X: flags byte, alpha is bit 4.
  if (chunk === 'VP8X') return ((data[20] ?? 0) & 0x10) !== 0 ? undefined : false;
  return undefined;
}

/** PNG or WebP: see the two functions above; any other format: undefined. */
export function imageHasTransparentPixels(bytes: Uint8Array): boolean | undefined {
  return pngHasTransparentPixels(bytes) ?? webpHasTransparentPixels(bytes);
}
