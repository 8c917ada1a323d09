import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import { rasterise } from '../../../../src/core/mask/maskDocument';
import { decodeMaskPng, encodeMaskPng } from '../../../../src/core/mask/maskPng';
import { createRaster } from '../../../../src/core/mask/maskRaster';
import { readImageInfo } from '../../../../src/core/imageFormat';
import { pngHasTransparentPixels } from '../../../../src/providers/pngAlpha';

const zlib = { deflate: (data: Uint8Array) => deflateSync(data), inflate: (data: Uint8Array) => inflateSync(data) };

/** Every pixel's alpha, decoded independently of maskPng.ts (filter 0 rows, as the encoder writes them). */
function alphaOf(png: Uint8Array, width: number, height: number): number[] {
  const idat: Buffer[] = [];
  const data = Buffer.from(png);
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    if (data.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const alpha: number[] = [];
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter none');
    for (let x = 0; x < width; x++) alpha.push(raw[y * (width * 4 + 1) + 1 + x * 4 + 3] as number);
  }
  return alpha;
}

describe('mask PNG', () => {
  const raster = rasterise(createRaster(37, 21), [
    { kind: 'stroke', tool: 'brush', size: 7, points: [{ x: 4, y: 4 }, { x: 30, y: 15 }] },
    { kind: 'stroke', tool: 'eraser', size: 3, points: [{ x: 17, y: 0 }, { x: 17, y: 21 }] },
  ]);

  it('is a PNG of the exact size with an alpha channel: alpha 0 exactly where painted, 255 elsewhere', () => {
    const png = encodeMaskPng(raster, zlib);
    const info = readImageInfo(png);
    assert.equal(info?.format, 'png');
    assert.equal(info?.width, 37);
    assert.equal(info?.height, 21);
    assert.equal(info?.hasAlpha, true, 'core/request.ts accepts it as a mask');
    assert.deepEqual(alphaOf(png, 37, 21), [...raster.pixels].map((pixel) => (pixel === 1 ? 0 : 255)));
    assert.equal(pngHasTransparentPixels(png), true);
  });

  it('decodes back to the exact raster', () => {
    const decoded = decodeMaskPng(encodeMaskPng(raster, zlib), zlib);
    assert.ok(decoded.ok);
    assert.equal(decoded.raster.width, 37);
    assert.deepEqual(decoded.raster.pixels, raster.pixels);
  });

  it('reads masks from other tools: grey+alpha, filtered rows, soft alpha split at 128', () => {
    // 3x2 grey+alpha, row 0 with the Sub filter, row 1 with Up; alphas 0, 127, 128 / 255, 10, 200.
    const rows = [
      [1, 0, 0, 0, 127, 0, 1],
      [2, 0, 255, 0, 139, 0, 72],
    ].flat();
    const header = Buffer.alloc(13);
    header.writeUInt32BE(3, 0);
    header.writeUInt32BE(2, 4);
    header.set([8, 4, 0, 0, 0], 8);
    const png = pngOf([['IHDR', header], ['IDAT', deflateSync(Buffer.from(rows))], ['IEND', Buffer.alloc(0)]]);
    const decoded = decodeMaskPng(png, zlib);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason);
    assert.deepEqual([...decoded.raster.pixels], [1, 1, 0, 0, 1, 0]);
  });

  it('says why a file cannot be a base layer', () => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(2, 0);
    header.writeUInt32BE(2, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const opaque = pngOf([['IHDR', header], ['IDAT', deflateSync(Buffer.alloc(14))], ['IEND', Buffer.alloc(0)]]);
    assert.deepEqual(decodeMaskPng(opaque, zlib), { ok: false, reason: 'it has no alpha channel' });
    assert.deepEqual(decodeMaskPng(Buffer.from('not a png at all, really not one'), zlib), { ok: false, reason: 'it is not a PNG' });
    const truncated = encodeMaskPng(raster, zlib).subarray(0, 60);
    assert.equal(decodeMaskPng(truncated, zlib).ok, false);
  });
});

function pngOf(chunks: ReadonlyArray<[string, Buffer]>): Uint8Array {
  // CRCs are not checked by the decoder; zeros keep the fixture short.
  const parts = chunks.map(([type, body]) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...parts]);
}
