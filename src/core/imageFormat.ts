import type { OutputFormat } from './ids';

export type SniffedFormat = OutputFormat | 'gif' | 'bmp';

export const mediaTypes: Readonly<Record<OutputFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export const fileExtensions: Readonly<Record<OutputFormat, string>> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
};

/** Identifies an image by its magic bytes; file names and Content-Type headers are not trusted. */
export function sniffImageFormat(bytes: Uint8Array): SniffedFormat | undefined {
  const at = (index: number): number => bytes[index] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47 && at(4) === 0x0d && at(5) === 0x0a)
    return 'png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
  if (at(0) === 0x42 && at(1) === 0x4d) return 'bmp';
  return undefined;
}

export function isSupportedImageFormat(format: SniffedFormat | undefined): format is OutputFormat {
  return format === 'png' || format === 'jpeg' || format === 'webp';
}

export interface ImageInfo {
  format: OutputFormat;
  width: number;
  height: number;
  /** PNG: colour type with alpha or a tRNS chunk. JPEG never. WebP: VP8L/VP8X alpha flag. */
  hasAlpha: boolean;
}

/** Reads format, dimensions and alpha from the header only; undefined when not a readable PNG/JPEG/WebP. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const format = sniffImageFormat(bytes);
  if (format === 'png') return readPng(bytes);
  if (format === 'jpeg') return readJpeg(bytes);
  if (format === 'webp') return readWebp(bytes);
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let text = '';
  for (let index = start; index < start + length && index < bytes.length; index++) {
    text += String.fromCharCode(bytes[index] as number);
  }
  return text;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readPng(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  const data = view(bytes);
  const width = data.getUint32(16);
  const height = data.getUint32(20);
  const colorType = bytes[25];
  let hasAlpha = colorType === 4 || colorType === 6;
  if (!hasAlpha) {
    // A palette or grey image can still be transparent through a tRNS chunk before IDAT.
    let offset = 8;
    while (offset + 8 <= bytes.length) {
      const length = data.getUint32(offset);
      const type = ascii(bytes, offset + 4, 4);
      if (type === 'tRNS') hasAlpha = true;
      if (type === 'IDAT' || type === 'IEND' || hasAlpha) break;
      offset += 12 + length;
    }
  }
  return { format: 'png', width, height, hasAlpha };
}

function readJpeg(bytes: Uint8Array): ImageInfo | undefined {
  const data = view(bytes);
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = data.getUint16(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      return { format: 'jpeg', height: data.getUint16(offset + 5), width: data.getUint16(offset + 7), hasAlpha: false };
    }
    offset += 2 + length;
  }
  return undefined;
}

function readWebp(bytes: Uint8Array): ImageInfo | undefined {
  if (bytes.length < 30) return undefined;
  const chunk = ascii(bytes, 12, 4);
  const data = view(bytes);
  if (chunk === 'VP8 ') {
    return {
      format: 'webp',
      width: data.getUint16(26, true) & 0x3fff,
      height: data.getUint16(28, true) & 0x3fff,
      hasAlpha: false,
    };
  }
  if (chunk === 'VP8L') {
    const bits = data.getUint32(21, true);
    return {
      format: 'webp',
      width: (bits & 0x3fff) + 1,
      height: ((bits >> 14) & 0x3fff) + 1,
      hasAlpha: ((bits >> 28) & 1) === 1,
    };
  }
  if (chunk === 'VP8X') {
    const flags = bytes[20] as number;
    const width = 1 + ((bytes[24] as number) | ((bytes[25] as number) << 8) | ((bytes[26] as number) << 16));
    const height = 1 + ((bytes[27] as number) | ((bytes[28] as number) << 8) | ((bytes[29] as number) << 16));
    return { format: 'webp', width, height, hasAlpha: (flags & 0x10) !== 0 };
  }
  return undefined;
}

/**
 * Why an image that starts well is not whole, or undefined when it is. A body cut short (a
 * close-delimited download that lost its connection, a truncated base64 string) still sniffs and
 * reads as an image: only its end tells. Trailing bytes after the end are accepted (some encoders
 * pad), so a complete paid image is never refused; a missing end is refused.
 */
export function incompleteImage(bytes: Uint8Array, format: OutputFormat): string | undefined {
  if (format === 'png') return incompletePng(bytes);
  if (format === 'jpeg') return incompleteJpeg(bytes);
  return incompleteWebp(bytes);
}

/** Walks the chunks from the signature: each must fit, and the walk must reach IEND. */
function incompletePng(bytes: Uint8Array): string | undefined {
  const data = view(bytes);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = data.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) return `a PNG whose chunks stop making sense at byte ${offset}`;
    if (offset + 12 + length > bytes.length) return `a PNG cut off inside its ${type} chunk (${bytes.length} bytes)`;
    if (type === 'IEND') return undefined;
    offset += 12 + length;
  }
  return `a PNG without its IEND chunk (${bytes.length} bytes)`;
}

/**
 * Walks the marker segments, then the entropy-coded data of each scan, to the EOI marker. Within
 * scan data 0xFF is always followed by 0x00 (stuffing) or a restart marker, so the first other
 * marker ends the scan; an EOI inside an EXIF thumbnail is skipped with its APP1 segment.
 */
function incompleteJpeg(bytes: Uint8Array): string | undefined {
  const data = view(bytes);
  let offset = 2;
  while (offset + 1 < bytes.length) {
    if (bytes[offset] !== 0xff) return `a JPEG whose markers stop making sense at byte ${offset}`;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd9) return undefined;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    if (offset + 4 > bytes.length) break;
    const end = offset + 2 + data.getUint16(offset + 2);
    if (end > bytes.length) break;
    offset = marker === 0xda ? endOfScan(bytes, end) : end;
  }
  return `a JPEG without its end-of-image marker (${bytes.length} bytes)`;
}

/** The offset of the marker that ends the scan data starting at `offset` (bytes.length if none). */
function endOfScan(bytes: Uint8Array, offset: number): number {
  let position = offset;
  for (;;) {
    position = bytes.indexOf(0xff, position);
    if (position < 0 || position + 1 >= bytes.length) return bytes.length;
    const next = bytes[position + 1] as number;
    if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) return position;
    position += next === 0xff ? 1 : 2;
  }
}

/** The RIFF header says how long the file is; one pad byte after an odd size is allowed. */
function incompleteWebp(bytes: Uint8Array): string | undefined {
  if (bytes.length < 12) return `a WebP cut off inside its header (${bytes.length} bytes)`;
  const expected = view(bytes).getUint32(4, true) + 8;
  if (bytes.length < expected) return `a WebP of ${bytes.length} bytes whose header announces ${expected}`;
  return undefined;
}
