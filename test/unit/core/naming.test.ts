import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cutToUtf8Bytes,
  firstFreeName,
  isTemporaryName,
  maxNameBytes,
  maxNumberedNames,
  numberedName,
  renderFileName,
  slugify,
  sourceNameField,
  temporaryName,
  utf8Length,
} from '../../../src/core/naming';
import { provenanceFileName } from '../../../src/core/provenance';
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

describe('file naming: names fit the file system (255 bytes per component)', () => {
  const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
  /** A name is valid UTF-8 when decoding and re-encoding it gives the same bytes (no lone surrogate, no split sequence). */
  const validUtf8 = (text: string): boolean => Buffer.from(text, 'utf8').toString('utf8') === text;
  /** Everything a writer derives from an image name we made: the last numbered variant and its sidecar. */
  const longestDerived = (fileName: string): string[] => {
    const numbered = numberedName(fileName, maxNumberedNames - 1);
    return [fileName, numbered, provenanceFileName(numbered), temporaryName('12345-deadbeef')];
  };

  it('cuts on a code point, never inside a multi-byte character or a surrogate pair', () => {
    assert.equal(cutToUtf8Bytes('abc', 2), 'ab');
    assert.equal(cutToUtf8Bytes('aé', 2), 'a', 'é is 2 bytes and does not fit in the 1 left');
    assert.equal(cutToUtf8Bytes('日本語', 8), '日本');
    assert.equal(cutToUtf8Bytes('日本語', 9), '日本語');
    assert.equal(cutToUtf8Bytes('a😀b', 4), 'a', 'the emoji is one 4-byte code point, two UTF-16 units');
    assert.equal(cutToUtf8Bytes('a😀b', 5), 'a😀');
    assert.equal(cutToUtf8Bytes('', 10), '');
    assert.equal(utf8Length('a😀日é'), 1 + 4 + 3 + 2);
    assert.equal(utf8Length('x\uD800'), 4, 'a lone surrogate is written as U+FFFD, 3 bytes');
    for (let max = 0; max <= 40; max++) {
      const cut = cutToUtf8Bytes('é日😀'.repeat(5), max);
      assert.ok(bytes(cut) <= max && validUtf8(cut), `cut to ${max}: ${cut}`);
    }
  });

  it('a long edit source name leaves room for -edit-<n>, numbering and the sidecar', () => {
    for (const sourceName of ['a'.repeat(230), '漢'.repeat(76), '😀'.repeat(70), 'a'.repeat(400)]) {
      for (const template of ['{name}-edit-1', '{name}-edit-{index}', '{name}-edit-12-{index}']) {
        for (const extension of ['png', 'jpeg', 'webp']) {
          const fileName = renderFileName(template, { ...fields, index: 3, sourceName, extension });
          for (const name of longestDerived(fileName)) assert.ok(bytes(name) <= maxNameBytes && validUtf8(name), `${bytes(name)} bytes: ${name}`);
          assert.match(fileName, new RegExp(`-edit-(1|3|12-3)\\.${extension}$`), 'the edit suffix survives the cut');
        }
      }
    }
    assert.equal(sourceNameField('漢'.repeat(76)), '漢'.repeat(66), '200 bytes hold 66 three-byte characters');
    assert.equal(sourceNameField('short'), 'short');
  });

  it('a template that expands past the limit is cut, still with its extension', () => {
    const long = renderFileName(`${'日'.repeat(100)}-{slug}`, fields);
    assert.ok(long.endsWith('.png'));
    for (const name of longestDerived(long)) assert.ok(bytes(name) <= maxNameBytes && validUtf8(name), `${bytes(name)} bytes`);
    assert.equal(bytes(long), maxNameBytes - '-10000'.length - '.json'.length, 'uses the whole budget');
    assert.equal(renderFileName('{name}', { ...fields, sourceName: `${'a'.repeat(199)}. x` }), `${'a'.repeat(199)}.png`, 'no trailing dot or space after a cut');
  });

  it('temporary names are short and recognisable whatever the final name', () => {
    const name = temporaryName('4242-0a1b2c3d');
    assert.equal(name, '.gpt-image-4242-0a1b2c3d.tmp');
    assert.ok(isTemporaryName(name));
    assert.ok(!isTemporaryName('.gpt-image'));
    assert.ok(!isTemporaryName('photo.png'));
  });
});
