import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultEditSize,
  editFileTemplate,
  editProviderChoices,
  isEditableImageName,
  maskFileNameFor,
  nearestFreeSize,
  rememberPrompt,
  sourceNameOf,
  splitSelection,
} from '../../../src/core/editDefaults';
import { renderFileName } from '../../../src/core/naming';
import { freeSizeProblem } from '../../../src/core/size';
import type { SizeRule } from '../../../src/core/capabilities';
import { capabilityRow } from './fixtures';

function sizeRule(provider: 'openai' | 'modellix' | 'apixo'): SizeRule {
  return capabilityRow(provider).size;
}

describe('edit: file names', () => {
  it('accepts png, jpg, jpeg and webp in any letter case, nothing else', () => {
    for (const name of ['a.png', 'b.PNG', 'c.jpg', 'd.JPEG', 'e.Webp', 'f.jpeg']) assert.equal(isEditableImageName(name), true, name);
    for (const name of ['a.gif', 'b.png.txt', 'c', 'd.svg', 'e.jpgx']) assert.equal(isEditableImageName(name), false, name);
  });

  it('derives the mask name beside the image, always .png', () => {
    assert.equal(maskFileNameFor('photo.png'), 'photo.mask.png');
    assert.equal(maskFileNameFor('Holiday Shot.JPG'), 'Holiday Shot.mask.png');
    assert.equal(maskFileNameFor('archive.v2.webp'), 'archive.v2.mask.png');
    assert.equal(maskFileNameFor('photo.mask.png'), undefined);
    assert.equal(maskFileNameFor('photo.MASK.PNG'), undefined);
  });

  it('strips only the last extension for {name}', () => {
    assert.equal(sourceNameOf('photo.png'), 'photo');
    assert.equal(sourceNameOf('archive.v2.webp'), 'archive.v2');
    assert.equal(sourceNameOf('.hidden.png'), '.hidden');
  });

  it('splits a multi-selection into images, the first image mask and skipped files', () => {
    const split = splitSelection(['cat.png', 'notes.txt', 'dog.jpg', 'cat.mask.png', 'dog.mask.png'], (name) => name);
    assert.deepEqual(split.images, ['cat.png', 'dog.jpg', 'dog.mask.png']);
    assert.equal(split.mask, 'cat.mask.png');
    assert.deepEqual(split.skipped, ['notes.txt']);
  });

  it('edits a mask selected on its own as an image', () => {
    const split = splitSelection(['cat.mask.png'], (name) => name);
    assert.deepEqual(split.images, ['cat.mask.png']);
    assert.equal(split.mask, undefined);
  });
});

describe('edit: output naming', () => {
  const date = new Date(2025, 0, 2);
  const render = (template: string, index: number, extension = 'png'): string =>
    renderFileName(template, { prompt: 'add a hat', provider: 'openai', model: 'gpt-image-2', index, extension, date, sourceName: 'photo' });

  it('names the first edit <name>-edit-1.<ext>', () => {
    const template = editFileTemplate(['photo.png', 'other-edit-4.png'], 'photo', 1);
    assert.equal(template, '{name}-edit-1');
    assert.equal(render(template, 1), 'photo-edit-1.png');
    assert.equal(render(template, 1, 'jpg'), 'photo-edit-1.jpg');
  });

  it('numbers several images of a first edit by {index}', () => {
    const template = editFileTemplate([], 'photo', 3);
    assert.equal(template, '{name}-edit-{index}');
    assert.deepEqual([1, 2, 3].map((index) => render(template, index)), ['photo-edit-1.png', 'photo-edit-2.png', 'photo-edit-3.png']);
  });

  it('continues after the edits already in the folder', () => {
    const existing = ['photo.png', 'photo-edit-1.png', 'Photo-Edit-2.JPG', 'photo-edit-3-1.webp', 'photo-edit-x.png', 'photo-edit-9.txt'];
    assert.equal(render(editFileTemplate(existing, 'photo', 1), 1), 'photo-edit-4.png');
    const several = editFileTemplate(existing, 'photo', 2);
    assert.deepEqual([1, 2].map((index) => render(several, index)), ['photo-edit-4-1.png', 'photo-edit-4-2.png']);
  });

  it('numbers the edits of a long-named file by the cut name they were written under', () => {
    for (const sourceName of ['a'.repeat(230), '漢'.repeat(76)]) {
      const renderLong = (template: string, index: number): string =>
        renderFileName(template, { prompt: 'x', provider: 'openai', model: 'gpt-image-2', index, extension: 'png', date, sourceName });
      const first = renderLong(editFileTemplate([], sourceName, 1), 1);
      const second = renderLong(editFileTemplate([`${sourceName}.png`, first], sourceName, 1), 1);
      assert.ok(Buffer.byteLength(first) <= 255 && first.endsWith('-edit-1.png'), first);
      assert.ok(second.endsWith('-edit-2.png'), second);
      assert.equal(first.replace(/-edit-1\.png$/, ''), second.replace(/-edit-2\.png$/, ''));
    }
  });

  it('treats regex characters in the source name literally', () => {
    assert.equal(editFileTemplate(['a+b-edit-2.png', 'aab-edit-7.png'], 'a+b', 1), '{name}-edit-3');
  });
});

describe('edit: default size', () => {
  it('keeps the input size when OpenAI allows it', () => {
    assert.deepEqual(defaultEditSize(1536, 1024, sizeRule('openai'), 'OpenAI'), { size: '1536x1024', exact: true, note: undefined });
    assert.deepEqual(defaultEditSize(1280, 720, sizeRule('openai'), 'OpenAI'), { size: '1280x720', exact: true, note: undefined });
  });

  it('picks the nearest valid free size otherwise, and says why', () => {
    const odd = defaultEditSize(1000, 750, sizeRule('openai'), 'OpenAI');
    assert.equal(odd.exact, false);
    assert.match(odd.note ?? '', /multiples of 16/);
    const [width, height] = odd.size.split('x').map(Number) as [number, number];
    assert.equal(freeSizeProblem(width, height), undefined);
    assert.ok(Math.abs(width / height - 4 / 3) < 0.05, odd.size);
  });

  it('nearestFreeSize always returns a valid size close in shape', () => {
    const cases: Array<[number, number]> = [
      [1000, 750],
      [512, 512],
      [64, 64],
      [6000, 4000],
      [8000, 8000],
      [4000, 500],
      [300, 2400],
      [1920, 1080],
      [1, 1],
    ];
    for (const [width, height] of cases) {
      const size = nearestFreeSize(width, height);
      const [outWidth, outHeight] = size.split('x').map(Number) as [number, number];
      assert.equal(freeSizeProblem(outWidth, outHeight), undefined, `${width}x${height} → ${size}`);
      const wanted = Math.min(3, Math.max(1 / 3, width / height));
      assert.ok(Math.abs(Math.log(outWidth / outHeight / wanted)) < 0.05, `${width}x${height} → ${size}`);
    }
    assert.equal(nearestFreeSize(512, 512), '816x816');
    assert.equal(nearestFreeSize(8000, 8000), '2880x2880');
  });

  it('uses an exact Modellix preset when the input has one, else the nearest', () => {
    assert.deepEqual(defaultEditSize(2048, 1152, sizeRule('modellix'), 'Modellix'), { size: '2048x1152', exact: true, note: undefined });
    const snapped = defaultEditSize(1920, 1080, sizeRule('modellix'), 'Modellix');
    assert.equal(snapped.size, '2048x1152');
    assert.equal(snapped.exact, false);
    assert.match(snapped.note ?? '', /nearest size it has/);
  });

  it('maps to an aspect ratio and tier for APIXO', () => {
    assert.equal(defaultEditSize(1920, 1080, sizeRule('apixo'), 'APIXO').size, '16:9@2k');
    assert.equal(defaultEditSize(1024, 1024, sizeRule('apixo'), 'APIXO').size, '1:1@1k');
  });
});

describe('edit: recent prompts and providers', () => {
  it('keeps recent prompts newest first, unique and bounded', () => {
    assert.deepEqual(rememberPrompt(['b', 'a'], ' a '), ['a', 'b']);
    assert.deepEqual(rememberPrompt(['b', 'a'], '   '), ['b', 'a']);
    const many = Array.from({ length: 12 }, (_, index) => `p${index}`);
    const kept = rememberPrompt(many, 'new');
    assert.equal(kept.length, 10);
    assert.equal(kept[0], 'new');
  });

  it('lists APIXO as unusable for a local file, with the reason', () => {
    const choices = editProviderChoices('gpt-image-2', 1, false);
    assert.deepEqual(choices.map((choice) => choice.provider), ['openai', 'gravitex', 'modellix', 'apixo']);
    const apixo = choices.find((choice) => choice.provider === 'apixo');
    assert.equal(apixo?.usable, false);
    assert.match(apixo?.detail ?? '', /public https image URL/);
    assert.ok(choices.filter((choice) => choice.provider !== 'apixo').every((choice) => choice.usable));
  });

  it('says when a provider cannot use the mask or that many images', () => {
    const withMask = editProviderChoices('gpt-image-2', 1, true);
    assert.match(withMask.find((choice) => choice.provider === 'modellix')?.detail ?? '', /mask is not used/);
    assert.doesNotMatch(withMask.find((choice) => choice.provider === 'openai')?.detail ?? '', /mask/);
    const tooMany = editProviderChoices('gpt-image-2', 17, false);
    assert.ok(tooMany.every((choice) => !choice.usable));
  });
});
