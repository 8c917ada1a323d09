import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MaskDocument, rasterise } from '../../../../src/core/mask/maskDocument';
import type { MaskOperation } from '../../../../src/core/mask/maskDocument';
import { createRaster, fromRuns, paintedCount, paintSegment, toRuns } from '../../../../src/core/mask/maskRaster';
import type { MaskRaster } from '../../../../src/core/mask/maskRaster';

/** The painted pixels as "x,y" strings, for exact comparisons. */
function paintedSet(raster: MaskRaster): Set<string> {
  const set = new Set<string>();
  raster.pixels.forEach((pixel, index) => {
    if (pixel === 1) set.add(`${index % raster.width},${Math.floor(index / raster.width)}`);
  });
  return set;
}

const stroke = (tool: 'brush' | 'eraser', size: number, ...points: Array<[number, number]>): MaskOperation => ({
  kind: 'stroke',
  tool,
  size,
  points: points.map(([x, y]) => ({ x, y })),
});

describe('mask raster from strokes', () => {
  it('paints a disc of the brush size: pixel centres within the radius, nothing else', () => {
    const raster = rasterise(createRaster(20, 20), [stroke('brush', 6, [10, 10])]);
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        const inside = (x + 0.5 - 10) ** 2 + (y + 0.5 - 10) ** 2 <= 9;
        assert.equal(raster.pixels[y * 20 + x], inside ? 1 : 0, `pixel ${x},${y}`);
      }
    }
    // 6 px across at the centre rows, and the disc is symmetric.
    assert.deepEqual([...paintedSet(raster)].filter((key) => key.endsWith(',10')).sort(), ['10,10', '11,10', '12,10', '7,10', '8,10', '9,10']);
    assert.equal(paintedCount(raster), 32);
  });

  it('a bigger brush paints more, and a 1 px brush paints the single pixel under the point', () => {
    const small = rasterise(createRaster(40, 40), [stroke('brush', 4, [20, 20])]);
    const large = rasterise(createRaster(40, 40), [stroke('brush', 16, [20, 20])]);
    assert.ok(paintedCount(large) > paintedCount(small) * 10);
    const dot = rasterise(createRaster(5, 5), [stroke('brush', 1, [2.5, 3.5])]);
    assert.deepEqual([...paintedSet(dot)], ['2,3']);
  });

  it('a segment paints the capsule between its points, with straight edges', () => {
    const raster = rasterise(createRaster(30, 12), [stroke('brush', 4, [5, 6], [25, 6])]);
    // Rows 4..7 (centres 4.5..7.5, within 2 of y=6) are painted from x=3 to x=26, row 3 and 8 are not.
    for (let x = 5; x < 25; x++) {
      assert.equal(raster.pixels[3 * 30 + x], 0, `above ${x}`);
      for (let y = 4; y <= 7; y++) assert.equal(raster.pixels[y * 30 + x], 1, `inside ${x},${y}`);
      assert.equal(raster.pixels[8 * 30 + x], 0, `below ${x}`);
    }
    assert.equal(raster.pixels[6 * 30 + 2], 0, 'the round cap ends at the radius');
    assert.equal(raster.pixels[6 * 30 + 27], 0);
  });

  it('clips at the image edges instead of wrapping or throwing', () => {
    const raster = rasterise(createRaster(10, 10), [stroke('brush', 8, [0, 0], [-50, 3]), stroke('brush', 8, [200, 200])]);
    assert.equal(raster.pixels[0], 1);
    assert.equal(raster.pixels[9], 0, 'nothing wraps to the right edge');
    assert.equal(raster.pixels[99], 0);
    assert.equal(paintSegment(raster, { x: -40, y: -40 }, { x: -30, y: -30 }, 2, 1), undefined);
  });

  it('the eraser takes paint away only where it passes', () => {
    const raster = rasterise(createRaster(30, 10), [stroke('brush', 10, [2, 5], [28, 5]), stroke('eraser', 4, [15, 0], [15, 10])]);
    assert.equal(raster.pixels[5 * 30 + 15], 0, 'erased under the eraser');
    assert.equal(raster.pixels[5 * 30 + 10], 1, 'painted beside it');
    assert.equal(raster.pixels[5 * 30 + 20], 1);
  });

  it('invert swaps painted and kept; clear keeps nothing painted', () => {
    const painted = rasterise(createRaster(8, 8), [stroke('brush', 4, [2, 2])]);
    const inverted = rasterise(createRaster(8, 8), [stroke('brush', 4, [2, 2]), { kind: 'invert' }]);
    assert.equal(paintedCount(inverted), 64 - paintedCount(painted));
    painted.pixels.forEach((pixel, index) => assert.equal(inverted.pixels[index], 1 - pixel));
    assert.equal(paintedCount(rasterise(createRaster(8, 8), [stroke('brush', 4, [2, 2]), { kind: 'clear' }])), 0);
  });

  it('a loaded base layer is the starting point, and clear empties it too', () => {
    const base = fromRuns(4, 2, [1, 2, 5]);
    assert.deepEqual([...base.pixels], [0, 1, 1, 0, 0, 0, 0, 0]);
    const document = new MaskDocument(base);
    assert.deepEqual([...document.raster.pixels], [0, 1, 1, 0, 0, 0, 0, 0]);
    document.apply(stroke('brush', 1, [0.5, 1.5]));
    assert.deepEqual([...document.raster.pixels], [0, 1, 1, 0, 1, 0, 0, 0]);
    document.apply({ kind: 'clear' });
    assert.equal(paintedCount(document.raster), 0);
    document.undo();
    document.undo();
    assert.deepEqual([...document.raster.pixels], [0, 1, 1, 0, 0, 0, 0, 0], 'undo goes back to the base, not to empty');
    assert.deepEqual([...base.pixels], [0, 1, 1, 0, 0, 0, 0, 0], 'the base itself is never painted on');
  });

  it('run lengths round-trip, starting with kept pixels', () => {
    const raster = rasterise(createRaster(50, 40), [stroke('brush', 9, [3, 3], [40, 30]), { kind: 'invert' }, stroke('eraser', 5, [10, 30])]);
    const runs = toRuns(raster);
    assert.deepEqual([...fromRuns(50, 40, runs).pixels], [...raster.pixels]);
    assert.deepEqual(toRuns(createRaster(3, 1)), [3]);
    assert.throws(() => fromRuns(2, 2, [1, 1]), /do not cover/);
    assert.throws(() => fromRuns(2, 2, [3, 3]), /do not fit/);
  });

  it('refuses a raster larger than the biggest image the providers take', () => {
    assert.throws(() => createRaster(3841, 10), /1 to 3840 pixels/);
    assert.throws(() => createRaster(0, 10), /1 to 3840 pixels/);
  });
});

describe('mask undo and redo', () => {
  it('undo takes the last operation back, redo puts it back, exactly', () => {
    const document = MaskDocument.empty(30, 30);
    document.apply(stroke('brush', 6, [5, 5], [25, 5]));
    const afterFirst = Uint8Array.from(document.raster.pixels);
    document.apply(stroke('brush', 6, [5, 20], [25, 20]));
    const afterSecond = Uint8Array.from(document.raster.pixels);
    assert.ok(document.undo());
    assert.deepEqual(document.raster.pixels, afterFirst);
    assert.ok(document.canRedo);
    assert.ok(document.redo());
    assert.deepEqual(document.raster.pixels, afterSecond);
    assert.equal(document.redo(), false, 'nothing left to redo');
    assert.ok(document.undo());
    assert.ok(document.undo());
    assert.equal(paintedCount(document.raster), 0);
    assert.equal(document.undo(), false, 'nothing left to undo');
    assert.equal(document.canUndo, false);
  });

  it('a new operation after an undo drops what was undone', () => {
    const document = MaskDocument.empty(10, 10);
    document.apply(stroke('brush', 2, [2, 2]));
    document.undo();
    document.apply({ kind: 'invert' });
    assert.equal(document.canRedo, false);
    assert.equal(document.redo(), false);
    assert.deepEqual(document.operations, [{ kind: 'invert' }]);
  });

  it('undo and redo of invert and clear restore the pixels around them', () => {
    const document = MaskDocument.empty(12, 12);
    document.apply(stroke('brush', 5, [3, 3]));
    const painted = Uint8Array.from(document.raster.pixels);
    document.apply({ kind: 'invert' });
    document.apply({ kind: 'clear' });
    document.undo();
    assert.equal(paintedCount(document.raster), 144 - paintedCount({ width: 12, height: 12, pixels: painted }));
    document.undo();
    assert.deepEqual(document.raster.pixels, painted);
    document.redo();
    document.redo();
    assert.equal(paintedCount(document.raster), 0);
  });

  it('a stroke that grows with the pointer is one operation: one undo removes all of it', () => {
    const document = MaskDocument.empty(40, 10);
    document.apply(stroke('brush', 4, [2, 5]));
    const changed = document.extendStroke({ x: 20, y: 5 });
    document.extendStroke({ x: 38, y: 5 });
    assert.ok(changed && changed.x <= 2 && changed.x + changed.width >= 20, 'the changed rectangle covers the new segment');
    assert.equal(document.operations.length, 1);
    assert.equal(document.raster.pixels[5 * 40 + 30], 1);
    assert.deepEqual(document.raster.pixels, rasterise(createRaster(40, 10), document.operations).pixels, 'growing equals replaying');
    document.undo();
    assert.equal(paintedCount(document.raster), 0);
  });
});

describe('mask undo over many operations', () => {
  it('every undo and redo equals replaying the operations from the base, across checkpoints and after branching', () => {
    const base = rasterise(createRaster(60, 40), [stroke('brush', 9, [30, 20])]);
    const document = new MaskDocument(base);
    const operationAt = (index: number): MaskOperation =>
      index % 11 === 5 ? { kind: 'invert' } : index % 13 === 7 ? { kind: 'clear' } : stroke(index % 3 === 0 ? 'eraser' : 'brush', 3 + (index % 7), [index % 60, (index * 7) % 40], [(index * 13) % 60, (index * 3) % 40]);
    for (let index = 0; index < 40; index++) document.apply(operationAt(index));
    const expectReplay = (label: string): void => assert.deepEqual(document.raster.pixels, rasterise(base, document.operations).pixels, label);
    for (let step = 0; step < 30; step++) {
      document.undo();
      expectReplay(`after undo ${step + 1}`);
    }
    for (let step = 0; step < 12; step++) document.redo();
    expectReplay('after 12 redos');
    // Branch: a new operation after undos, then more, then undo back past the branch point.
    document.undo();
    document.undo();
    for (let index = 100; index < 120; index++) document.apply(operationAt(index));
    for (let step = 0; step < 25; step++) {
      document.undo();
      expectReplay(`after branching, undo ${step + 1}`);
    }
  });
});
