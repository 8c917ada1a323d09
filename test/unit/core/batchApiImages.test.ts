import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { batchImageRefs, withImageFileIds } from '../../../src/core/batch/batchApiImages';

const red = 'data:image/png;base64,cmVk';
const blue = 'data:image/webp;base64,Ymx1ZQ==';
const line = (customId: string, body: Record<string, unknown>): string => JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/images/edits', body });

describe('Batch API edit images as uploaded files (core/batch/batchApiImages.ts)', () => {
  const jsonl = [
    line('a', { model: 'gpt-image-2', prompt: 'A', images: [{ image_url: red }], mask: { image_url: blue } }),
    line('b', { model: 'gpt-image-2', prompt: 'B', images: [{ image_url: blue }, { image_url: 'https://example.test/c.png' }, { image_url: red }] }),
    JSON.stringify({ custom_id: 'g', method: 'POST', url: '/v1/images/generations', body: { model: 'gpt-image-2', prompt: 'G' } }),
    '',
  ].join('\n');

  it('finds each distinct local image once, images and masks alike, keyed by the SHA-256 of its data URL; https URLs stay as they are', async () => {
    const refs = await batchImageRefs(jsonl);
    assert.deepEqual(
      refs.map((ref) => ref.dataUrl),
      [red, blue],
    );
    assert.equal(refs[0]?.key, createHash('sha256').update(red).digest('hex'));
  });

  it('names each by its file id in images and mask, every other field and line byte for byte as built', () => {
    const ids = new Map([
      [red, 'file-red'],
      [blue, 'file-blue'],
    ]);
    const uploaded = withImageFileIds(jsonl, ids).split('\n');
    assert.equal(uploaded[0], line('a', { model: 'gpt-image-2', prompt: 'A', images: [{ file_id: 'file-red' }], mask: { file_id: 'file-blue' } }));
    assert.equal(uploaded[1], line('b', { model: 'gpt-image-2', prompt: 'B', images: [{ file_id: 'file-blue' }, { image_url: 'https://example.test/c.png' }, { file_id: 'file-red' }] }));
    assert.equal(uploaded[2], jsonl.split('\n')[2]);
    assert.equal(uploaded.length, 4);
  });

  it('refuses to build a file that would still carry an image without its upload', () => {
    assert.throws(() => withImageFileIds(jsonl, new Map([[red, 'file-red']])), /no uploaded file id/);
  });
});
