import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstFreeName, renderFileName, slugify } from '../../../src/core/naming';
import type { NameFields } from '../../../src/core/naming';

const fields: NameFields = {
  prompt: 'A Café on Mars, at dawn!',
  provider: 'openai',
  model: 'gpt-image-2',
  index: 2,
  extension: 'png',
  date: new Date(2026, 0, 5, 9, 7, 3),
};

describe('file naming', () => {
  it('slugifies to lower-case ASCII words cut at a word boundary', () => {
    assert.equal(slugify('A Café on Mars, at dawn!'), 'a-cafe-on-mars-at-dawn');
    assert.equal(slugify('one two three', 8), 'one-two');
    assert.equal(slugify('supercalifragilistic', 5), 'super');
    assert.equal(slugify('日本語'), 'image');
  });

  it('fills the default template and every placeholder', () => {
    assert.equal(renderFileName('{date}-{slug}-{index}', fields), '2026-01-05-a-cafe-on-mars-at-dawn-2.png');
    assert.equal(renderFileName('{provider}_{model}_{time}_{name}', { ...fields, sourceName: 'cat' }), 'openai_gpt-image-2_090703_cat.png');
    assert.equal(renderFileName('   ', fields), '2026-01-05-a-cafe-on-mars-at-dawn-2.png');
    assert.equal(renderFileName('{unknown}-{index}', fields), '{unknown}-2.png');
  });

  it('never lets a template choose the extension or a directory', () => {
    assert.equal(renderFileName('{slug}.jpg', { ...fields, extension: 'webp' }), 'a-cafe-on-mars-at-dawn.webp');
    assert.equal(renderFileName('{slug}.{ext}', fields), 'a-cafe-on-mars-at-dawn.png');
    assert.equal(renderFileName('../../etc/{index}', fields), 'etc-2.png');
    assert.equal(renderFileName('a\u0000b:c|d', fields), 'a-b-c-d.png');
    assert.equal(renderFileName('...', fields), 'image.png');
  });

  it('finds the first free name without overwriting', async () => {
    const taken = new Set(['x.png', 'x-2.png']);
    assert.equal(await firstFreeName('x.png', async (name) => taken.has(name)), 'x-3.png');
    assert.equal(await firstFreeName('y.png', async (name) => taken.has(name)), 'y.png');
    assert.equal(await firstFreeName('noext', async (name) => name === 'noext'), 'noext-2');
  });
});
