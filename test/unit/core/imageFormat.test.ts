import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incompleteImage, isSupportedImageFormat, readImageInfo, sniffImageFormat } from '../../../src/core/imageFormat';
import { makePng } from '../../fake-providers/png';
import { tinyJpeg, tinyWebp } from '../providers/openAiTestSupport';

/** A VP8X (extended) WebP header with the alpha flag and a 24-bit canvas size. */
function extendedWebp(width: number, height: number, alpha: boolean): Buffer {
  const bytes = Buffer.alloc(30);
  bytes.write('RIFF', 0, 'latin1');
  bytes.writeUInt32LE(22, 4);
  bytes.write('WEBPVP8X', 8, 'latin1');
  bytes.writeUInt32LE(10, 16);
  bytes[20] = alpha ? 0x10 : 0;
  bytes.writeUIntLE(width - 1, 24, 3);
  bytes.writeUIntLE(height - 1, 27, 3);
  return bytes;
}

describe('image format sniffing', () => {
  it('names formats by magic bytes alone', () => {
    assert.equal(sniffImageFormat(makePng({ width: 4, height: 4 })), 'png');
    assert.equal(sniffImageFormat(tinyJpeg(8, 8)), 'jpeg');
    assert.equal(sniffImageFormat(tinyWebp(8, 8)), 'webp');
    assert.equal(sniffImageFormat(Buffer.from('GIF89a', 'latin1')), 'gif');
    assert.equal(sniffImageFormat(Buffer.from('BM\x00\x00', 'latin1')), 'bmp');
    assert.equal(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(sniffImageFormat(new Uint8Array(0)), undefined);
    assert.equal(isSupportedImageFormat('gif'), false);
    assert.equal(isSupportedImageFormat('webp'), true);
  });

  it('reads PNG size and alpha from the header', () => {
    assert.deepEqual(readImageInfo(makePng({ width: 40, height: 24 })), { format: 'png', width: 40, height: 24, hasAlpha: false });
    assert.deepEqual(readImageInfo(makePng({ width: 8, height: 8, alpha: true })), { format: 'png', width: 8, height: 8, hasAlpha: true });
  });

  it('reads JPEG and WebP sizes, including 24-bit VP8X canvases', () => {
    assert.deepEqual(readImageInfo(tinyJpeg(1536, 1024)), { format: 'jpeg', width: 1536, height: 1024, hasAlpha: false });
    assert.deepEqual(readImageInfo(tinyWebp(300, 200)), { format: 'webp', width: 300, height: 200, hasAlpha: false });
    assert.deepEqual(readImageInfo(extendedWebp(20_000, 3, true)), { format: 'webp', width: 20_000, height: 3, hasAlpha: true });
  });

  it('gives up on truncated or foreign headers instead of guessing', () => {
    assert.equal(readImageInfo(makePng({ width: 4, height: 4 }).subarray(0, 20)), undefined);
    assert.equal(readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00])), undefined);
    assert.equal(readImageInfo(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')), undefined);
  });
});

/**
 * A JPEG with the parts a completeness check can trip over: an EXIF APP1 segment carrying a
 * thumbnail (its own FFD8…FFD9), a scan whose data holds stuffed 0xFF00 bytes and a restart marker,
 * and a second (progressive-style) scan after a DHT segment.
 */
function structuredJpeg(): Buffer {
  const segment = (marker: number, payload: number[]): number[] => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  const thumbnail = [0xff, 0xd8, 0xff, 0xd9];
  const scanHeader = [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...thumbnail]),
    ...segment(0xc2, [0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]),
    ...segment(0xda, scanHeader),
    0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0x00,
    ...segment(0xc4, [0x00, 0x01, 0x02]),
    ...segment(0xda, scanHeader),
    0x78, 0xff, 0x00, 0x9a,
    0xff, 0xd9,
  ]);
}

describe('complete images only', () => {
  const png = makePng({ width: 24, height: 16, seed: 3 });
  const jpeg = structuredJpeg();
  const webp = tinyWebp(8, 8);

  it('accepts whole PNG, JPEG and WebP files, and bytes after their end', () => {
    assert.equal(incompleteImage(png, 'png'), undefined);
    assert.equal(incompleteImage(jpeg, 'jpeg'), undefined);
    assert.equal(incompleteImage(tinyJpeg(8, 8), 'jpeg'), undefined);
    assert.equal(incompleteImage(webp, 'webp'), undefined);
    assert.equal(incompleteImage(extendedWebp(40, 30, true), 'webp'), undefined);
    // Padding or trailing junk after the end marker does not make a whole image partial.
    assert.equal(incompleteImage(Buffer.concat([png, Buffer.alloc(7)]), 'png'), undefined);
    assert.equal(incompleteImage(Buffer.concat([jpeg, Buffer.alloc(5)]), 'jpeg'), undefined);
    assert.equal(incompleteImage(Buffer.concat([webp, Buffer.alloc(1)]), 'webp'), undefined);
  });

  it('refuses every PNG cut short, even one cut right after a whole chunk', () => {
    for (let length = 8; length < png.length; length++) {
      assert.match(incompleteImage(png.subarray(0, length), 'png') ?? 'complete', /PNG/, `cut at ${length} of ${png.length}`);
    }
    assert.match(incompleteImage(png.subarray(0, png.length - 12), 'png') ?? '', /without its IEND/);
  });

  it('refuses every JPEG cut short, including at the thumbnail end inside EXIF', () => {
    for (let length = 2; length < jpeg.length; length++) {
      assert.match(incompleteImage(jpeg.subarray(0, length), 'jpeg') ?? 'complete', /JPEG/, `cut at ${length} of ${jpeg.length}`);
    }
  });

  it('refuses a WebP shorter than its RIFF header says', () => {
    for (let length = 0; length < webp.length; length++) {
      assert.match(incompleteImage(webp.subarray(0, length), 'webp') ?? 'complete', /WebP/, `cut at ${length}`);
    }
  });
});
