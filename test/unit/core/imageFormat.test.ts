import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSupportedImageFormat, readImageInfo, sniffImageFormat } from '../../../src/core/imageFormat';
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
