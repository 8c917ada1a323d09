import { deflateSync } from 'node:zlib';

const crcTable = new Uint32Array(256).map((_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(data.length, 0);
  header.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([header.subarray(4), data])), 0);
  return Buffer.concat([header, data, crc]);
}

export interface SyntheticImageOptions {
  readonly width: number;
  readonly height: number;
  /** Seed for the colours, so different prompts give visibly different images. */
  readonly seed?: number;
  /** RGBA with a transparent centre (a usable edit mask) instead of opaque RGB. */
  readonly alpha?: boolean;
  /** Per-pixel noise: makes the PNG realistically large (benchmarks) instead of tiny. */
  readonly noise?: boolean;
  /**
   * Noise amplitude in bits per channel (default 6). 3 makes a 3840x2160 PNG about 12 MB, the size of a
   * real photo-like gpt-image-2 result; 6 gives about 21 MB.
   */
  readonly noiseBits?: number;
}

/**
 * Draws a simple synthetic image (diagonal gradient with a circle) and encodes it as PNG.
 * The fake providers serve these: recognisably not a real model's output.
 */
export function makePng(options: SyntheticImageOptions): Buffer {
  const { width, height, alpha = false, noise = false, noiseBits = 6 } = options;
  const noiseMask = (1 << noiseBits) - 1;
  const seed = options.seed ?? 1;
  const channels = alpha ? 4 : 3;
  const rowLength = 1 + width * channels;
  const raw = Buffer.alloc(rowLength * height);
  const hue = (seed * 47) % 255;
  let random = seed * 2654435761;
  for (let y = 0; y < height; y++) {
    const row = y * rowLength;
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const offset = row + 1 + x * channels;
      const dx = x - width / 2;
      const dy = y - height / 2;
      const inCircle = dx * dx + dy * dy < (Math.min(width, height) / 4) ** 2;
      let jitter = 0;
      if (noise) {
        random = (random * 1103515245 + 12345) >>> 0;
        jitter = (random >>> 24) & noiseMask;
      }
      raw[offset] = inCircle ? 255 - hue : ((x * 255) / width + hue + jitter) & 0xff;
      raw[offset + 1] = inCircle ? 240 : ((y * 255) / height + jitter) & 0xff;
      raw[offset + 2] = inCircle ? hue : (128 + hue / 2 + jitter) & 0xff;
      if (alpha) raw[offset + 3] = inCircle ? 0 : 255;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = alpha ? 6 : 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: noise ? 6 : 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
