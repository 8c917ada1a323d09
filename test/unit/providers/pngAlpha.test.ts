import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pngHasTransparentPixels } from '../../../src/providers/pngAlpha';
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
