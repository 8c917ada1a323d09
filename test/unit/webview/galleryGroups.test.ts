import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProviderId } from '../../../src/core/ids';
import { galleryRows, rowItems } from '../../../src/webview/galleryGroups';
import type { HistoryItemView } from '../../../src/webview/protocol';

let time = 1000;
function image(label: string, provider: ProviderId | undefined, batch?: { file: string; entry: string }): HistoryItemView {
  return { id: `file:///w/images/${label}`, kind: 'image', prompt: `prompt of ${label}`, provider, model: 'gpt-image-2', size: '256x256', createdAt: time--, label, batch };
}
const site = (entry: string): { file: string; entry: string } => ({ file: 'site.images.yaml', entry });
const shape = (items: readonly HistoryItemView[]): unknown =>
  galleryRows(items).map((row) => (row.kind === 'card' ? row.item.label : { group: row.entry, file: row.file, columns: row.columns.map((column) => [column.provider, ...column.items.map((item) => item.label)]) }));

describe('gallery rows: batch entries with several providers side by side', () => {
  it('one group per entry made by several providers, at its newest image, one column per provider in the provider table order', () => {
    const items = [
      image('banner.png', 'openai'),
      image('mascot-modellix.png', 'modellix', site('mascot')),
      image('icon.png', 'openai', site('icon')),
      image('mascot-openai.png', 'openai', site('mascot')),
      image('mascot-gravitex.png', 'gravitex', site('mascot')),
    ];
    assert.deepEqual(shape(items), [
      'banner.png',
      { group: 'mascot', file: 'site.images.yaml', columns: [['openai', 'mascot-openai.png'], ['gravitex', 'mascot-gravitex.png'], ['modellix', 'mascot-modellix.png']] },
      'icon.png',
    ]);
  });

  it('single-provider entries, images without a batch origin and unfinished jobs stay cards', () => {
    const items = [
      image('hero-1.png', 'openai', site('hero')),
      image('hero-2.png', 'openai', site('hero')),
      image('loose.png', 'gravitex'),
      image('unread.png', undefined, site('mascot')),
      { id: 'job:1', kind: 'job', prompt: 'p', provider: 'gravitex', size: '1024x1024', createdAt: 1, label: 'Job failed', batch: site('hero') } satisfies HistoryItemView,
    ];
    assert.deepEqual(shape(items), ['hero-1.png', 'hero-2.png', 'loose.png', 'unread.png', 'Job failed']);
  });

  it('the same entry name in two batch files is two entries; n > 1 lists each column in file-name order', () => {
    const other = { file: 'docs/other.images.yaml', entry: 'mascot' };
    const items = [
      image('mascot-openai-10.png', 'openai', site('mascot')),
      image('mascot-gravitex-2.png', 'gravitex', site('mascot')),
      image('mascot-openai-2.png', 'openai', site('mascot')),
      image('mascot-gravitex-1.png', 'gravitex', site('mascot')),
      image('mascot-openai-1.png', 'openai', site('mascot')),
      image('docs-mascot-openai.png', 'openai', other),
    ];
    assert.deepEqual(shape(items), [
      { group: 'mascot', file: 'site.images.yaml', columns: [['openai', 'mascot-openai-1.png', 'mascot-openai-2.png', 'mascot-openai-10.png'], ['gravitex', 'mascot-gravitex-1.png', 'mascot-gravitex-2.png']] },
      'docs-mascot-openai.png',
    ]);
  });

  it('an entry becomes a group once a later page brings a second provider, and keeps a stable id', () => {
    const firstPage = [image('mascot-openai.png', 'openai', site('mascot')), image('icon.png', 'openai', site('icon'))];
    assert.deepEqual(shape(firstPage), ['mascot-openai.png', 'icon.png']);
    const both = [...firstPage, image('mascot-gravitex.png', 'gravitex', site('mascot'))];
    const rows = galleryRows(both);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]?.kind === 'group' ? rows[0].id : undefined, 'batch:site.images.yaml\u0000mascot');
    assert.equal(galleryRows([...both]).map((row) => (row.kind === 'group' ? row.id : row.item.id)).join(), rows.map((row) => (row.kind === 'group' ? row.id : row.item.id)).join());
  });

  it('the preview goes through the images in the order the rows show them', () => {
    const items = [
      image('mascot-gravitex.png', 'gravitex', site('mascot')),
      image('icon.png', 'openai', site('icon')),
      image('mascot-openai.png', 'openai', site('mascot')),
    ];
    assert.deepEqual(rowItems(galleryRows(items)).map((item) => item.label), ['mascot-openai.png', 'mascot-gravitex.png', 'icon.png']);
  });
});
