import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageHasTransparentPixels, pngHasTransparentPixels, webpHasTransparentPixels } from '../../../src/providers/pngAlpha';
import { makePng } from '../../fake-providers/png';

describe('pngHasTransparentPixels (issue 12: a transparent result is checked, not assumed)', () => {
  it('finds the transparent pixels of an RGBA PNG', () => {
    assert.equal(pngHasTransparentPixels(makePng({ width: 64, height: 48, alpha: true })), true);
  });

  it('says false for an opaque RGB PNG', () => {
    assert.equal(pngHasTransparentPixels(makePng({ width: 64, height: 48 })), false);
  });

  it('claims nothing for bytes that are not a PNG', () => {
    assert.equal(pngHasTransparentPixels(Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(40).fill(0)])), undefined);
  });
});

/** A WebP container with one chunk of `payload` (enough for the header checks; not a decodable image). */
function webp(chunk: 'VP8 ' | 'VP8L' | 'VP8X', payload: readonly number[]): Buffer {
  const body = Buffer.from([...Buffer.from(chunk, 'latin1'), ...[payload.length, 0, 0, 0], ...payload]);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

describe('webpHasTransparentPixels', () => {
  it('says false where the container rules alpha out, and claims nothing where it may be used', () => {
    assert.equal(webpHasTransparentPixels(webp('VP8 ', new Array<number>(10).fill(0))), false, 'lossy VP8 has no alpha');
    assert.equal(webpHasTransparentPixels(webp('VP8X', [0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0])), false, 'VP8X without the alpha flag');
    assert.equal(webpHasTransparentPixels(webp('VP8X', [0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0])), undefined, 'VP8X with the alpha flag');
    assert.equal(webpHasTransparentPixels(webp('VP8L', [0x2f, 0, 0, 0, 0x00])), false, 'lossless, alpha_is_used clear');
    assert.equal(webpHasTransparentPixels(webp('VP8L', [0x2f, 0, 0, 0, 0x10])), undefined, 'lossless, alpha_is_used set');
    assert.equal(imageHasTransparentPixels(makePng({ width: 8, height: 8, alpha: true })), true, 'PNG goes to the PNG check');
  });
});
