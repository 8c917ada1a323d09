import { inflateSync } from 'node:zlib';

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
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.byteLength < 33 || data.readUInt32BE(0) !== 0x89504e47) return undefined;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  let interlace = 0;
  const idat: Buffer[] = [];
  for (let offset = 8; offset + 8 <= data.byteLength; ) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (body.byteLength !== length) return undefined;
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      bitDepth = body[8] ?? 0;
      colorType = body[9] ?? -1;
      interlace = body[12] ?? 0;
    } else if (type === 'tRNS') {
      // Palette entries below 255 or a key colour: the image uses transparency.
      return colorType === 3 ? body.some((alpha) => alpha < 255) : true;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (colorType !== 6 && colorType !== 4) return colorType >= 0 ? false : undefined;
  if (bitDepth !== 8 || interlace !== 0 || width === 0 || height === 0) return undefined;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat));
  } catch {
    return undefined;
  }
  const channels = colorType === 6 ? 4 : 2;
  const stride = width * channels;
  if (pixels.byteLength < (stride + 1) * height) return undefined;
  let previous = new Uint8Array(stride);
  const row = new Uint8Array(stride);
  for (let y = 0; y < height; y += 1) {
    const start = y * (stride + 1);
    const filter = pixels[start] ?? 0;
    for (let x = 0; x < stride; x += 1) {
      const raw = pixels[start + 1 + x] ?? 0;
      const left = x >= channels ? (row[x - channels] ?? 0) : 0;
      const up = previous[x] ?? 0;
      const upLeft = x >= channels ? (previous[x - channels] ?? 0) : 0;
      row[x] = (raw + unfilter(filter, left, up, upLeft)) & 0xff;
    }
    for (let x = channels - 1; x < stride; x += channels) if ((row[x] ?? 255) < 255) return true;
    previous = Uint8Array.from(row);
  }
  return false;
}

function unfilter(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      return 0;
  }
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
