// `node scripts/drawIcon.mjs [--out media/icon.png] [--size 128]`: draws the extension's icon (a
// picture with a sun and hills, and a sparkle) as an RGBA PNG with node:zlib only, so the icon is
// made in the repository and never downloaded. Each pixel is sampled 4×4 times for smooth edges.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const out = argument('out', join(root, 'media', 'icon.png'));
const size = Number(argument('size', '128'));

// Shapes in a 0..1 square, painted back to front; each returns true where it covers (x, y).
const roundedRect = (x0, y0, x1, y1, radius) => (x, y) => {
  const dx = Math.max(x0 + radius - x, 0, x - (x1 - radius));
  const dy = Math.max(y0 + radius - y, 0, y - (y1 - radius));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= radius * radius;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const intersect = (...shapes) => (x, y) => shapes.every((shape) => shape(x, y));
const hill = (cx, top, width, base) => (x, y) => y >= top + ((x - cx) / width) ** 2 * (base - top) && y <= base;
/** A four-pointed star: |dx|^p + |dy|^p <= r^p with p < 1 gives concave sides. */
const sparkle = (cx, cy, r) => (x, y) => Math.abs((x - cx) / r) ** 0.5 + Math.abs((y - cy) / r) ** 0.5 <= 1;

const frame = roundedRect(0.17, 0.2, 0.83, 0.8, 0.07);
const picture = roundedRect(0.22, 0.25, 0.78, 0.75, 0.04);
const layers = [
  { shape: roundedRect(0.02, 0.02, 0.98, 0.98, 0.2), color: [30, 42, 58] },
  { shape: frame, color: [236, 240, 245] },
  { shape: picture, color: [92, 156, 230] },
  { shape: intersect(picture, circle(0.62, 0.4, 0.075)), color: [255, 200, 64] },
  { shape: intersect(picture, hill(0.36, 0.5, 0.3, 0.75)), color: [56, 142, 96] },
  { shape: intersect(picture, hill(0.66, 0.56, 0.26, 0.75)), color: [38, 110, 76] },
  { shape: sparkle(0.8, 0.22, 0.16), color: [255, 255, 255] },
  { shape: sparkle(0.8, 0.22, 0.09), color: [255, 214, 102] },
];

const samples = 4;
const pixels = Buffer.alloc(size * size * 4);
for (let py = 0; py < size; py++) {
  for (let px = 0; px < size; px++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const x = (px + (sx + 0.5) / samples) / size;
        const y = (py + (sy + 0.5) / samples) / size;
        const top = layers.findLast((layer) => layer.shape(x, y));
        if (!top) continue;
        r += top.color[0];
        g += top.color[1];
        b += top.color[2];
        a += 255;
      }
    }
    const covered = a / 255;
    const offset = (py * size + px) * 4;
    // Colour averaged over the covered samples only (straight alpha), coverage as alpha.
    pixels[offset] = covered ? Math.round(r / covered) : 0;
    pixels[offset + 1] = covered ? Math.round(g / covered) : 0;
    pixels[offset + 2] = covered ? Math.round(b / covered) : 0;
    pixels[offset + 3] = Math.round(a / (samples * samples));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
const rows = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) {
  rows[y * (size * 4 + 1)] = 0; // filter type None
  pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`drawIcon: ${out} (${size}×${size}, ${png.length} bytes)`);
