import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPreview, previewKey } from '../../../src/webview/previewModel';
import type { PreviewState } from '../../../src/webview/previewModel';
import { rovingIndex } from '../../../src/webview/rovingFocus';

const images = [{ src: 'a', alt: 'A' }, { src: 'b', alt: 'B', before: 'source-b' }, { src: 'c', alt: 'C' }];

function press(state: PreviewState, ...keys: string[]): PreviewState | 'close' {
  let current: PreviewState | 'close' = state;
  for (const key of keys) {
    if (current === 'close') return current;
    current = previewKey(current, key) ?? current;
  }
  return current;
}

describe('large preview', () => {
  it('opens fitted on the chosen image, and nothing for an empty list', () => {
    assert.deepEqual(openPreview(images, 1), { images, index: 1, zoom: 'fit', showing: 'after' });
    assert.equal(openPreview([], 0), undefined);
    assert.equal(openPreview(images, 9)?.index, 2, 'clamped');
  });

  it('arrow keys move between images and wrap; Escape closes', () => {
    const state = openPreview(images, 0) as PreviewState;
    assert.equal((press(state, 'ArrowRight') as PreviewState).index, 1);
    assert.equal((press(state, 'ArrowLeft') as PreviewState).index, 2, 'wraps backwards');
    assert.equal((press(state, 'End', 'ArrowRight') as PreviewState).index, 0, 'wraps forwards');
    assert.equal(press(state, 'Escape'), 'close');
    assert.equal(previewKey(state, 'x'), undefined, 'other keys are left to the page');
  });

  it('zooms in steps from the natural size and back to fit', () => {
    const state = openPreview(images, 0) as PreviewState;
    assert.equal((press(state, '+') as PreviewState).zoom, 1, 'from fit, the natural size');
    assert.equal((press(state, '+', '+') as PreviewState).zoom, 2);
    assert.equal((press(state, '+', '+', '+', '+', '+') as PreviewState).zoom, 4, 'capped');
    assert.equal((press(state, '+', '-', '-', '-', '-') as PreviewState).zoom, 0.25, 'floored');
    assert.equal((press(state, '+', '0') as PreviewState).zoom, 'fit');
  });

  it('before/after toggles only for an edit, and moving on shows the next result', () => {
    const plain = openPreview(images, 0) as PreviewState;
    assert.equal((press(plain, 'b') as PreviewState).showing, 'after', 'no source: nothing to compare');
    const edit = openPreview(images, 1) as PreviewState;
    assert.equal((press(edit, 'b') as PreviewState).showing, 'before');
    assert.equal((press(edit, 'b', 'b') as PreviewState).showing, 'after');
    assert.equal((press(edit, 'b', 'ArrowRight') as PreviewState).showing, 'after');
  });
});

describe('roving focus (menus and toolbars: one tab stop)', () => {
  it('moves with the arrows, wraps, and jumps with Home and End', () => {
    assert.equal(rovingIndex('ArrowDown', 0, 3), 1);
    assert.equal(rovingIndex('ArrowRight', 2, 3), 0);
    assert.equal(rovingIndex('ArrowUp', 0, 3), 2);
    assert.equal(rovingIndex('Home', 2, 3), 0);
    assert.equal(rovingIndex('End', 0, 3), 2);
    assert.equal(rovingIndex('ArrowDown', -1, 3), 0, 'from outside the list, the first item');
  });

  it('leaves other keys alone, and an empty list', () => {
    assert.equal(rovingIndex('Enter', 0, 3), undefined);
    assert.equal(rovingIndex('Tab', 0, 3), undefined);
    assert.equal(rovingIndex('ArrowDown', 0, 0), undefined);
  });
});
