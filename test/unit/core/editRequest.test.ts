import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEditRequest, issuesOf, problemsForEveryProvider } from '../../../src/core/editRequest';
import type { InputImage } from '../../../src/core/request';
import { makePng } from '../../fake-providers/png';

const file = (fileName: string, bytes: Uint8Array): InputImage => ({ kind: 'file', source: `art/${fileName}`, fileName, bytes });
const photo = file('photo.png', makePng({ width: 1024, height: 1024 }));

/** A valid PNG header padded past OpenAI's 50 MB limit: only the header is read, the size is what counts. */
function oversizedPng(): Uint8Array {
  const header = makePng({ width: 1024, height: 1024 });
  const bytes = new Uint8Array(50 * 1024 * 1024 + 1);
  bytes.set(header);
  return bytes;
}

describe('edit request: problems found before any question or request', () => {
  it('accepts a real PNG', () => {
    assert.deepEqual(problemsForEveryProvider('gpt-image-2', [photo]), []);
  });

  it('refuses a text file named .png, a GIF and an oversized file, naming each', () => {
    const text = file('notes.png', new TextEncoder().encode('not an image at all'));
    const gif = file('anim.png', new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]));
    const big = file('huge.png', oversizedPng());
    const issues = problemsForEveryProvider('gpt-image-2', [text, gif, big]);
    assert.equal(issues.length, 3);
    assert.match(issues[0] ?? '', /art\/notes\.png is not a PNG, JPEG or WebP image/);
    assert.match(issues[1] ?? '', /art\/anim\.png is a GIF/);
    assert.match(issues[2] ?? '', /art\/huge\.png is 50\.0 MB; OpenAI accepts up to 50 MB/);
  });

  it('leaves Modellix 16 MiB limit to the provider-specific check', () => {
    const header = makePng({ width: 1024, height: 1024 });
    const bytes = new Uint8Array(20 * 1024 * 1024);
    bytes.set(header);
    const twenty = file('twenty.png', bytes);
    assert.deepEqual(problemsForEveryProvider('gpt-image-2', [twenty]), []);
    const request = buildEditRequest({ provider: 'modellix', model: 'gpt-image-2', prompt: 'add a hat', size: '1024x1024', quality: 'high' }, [twenty], undefined);
    assert.match(issuesOf(request).join(' '), /Modellix accepts up to 16 MB/);
  });
});

describe('edit request: provider and mask checks', () => {
  const answers = { provider: 'openai', model: 'gpt-image-2', prompt: 'add a hat', size: '1024x1024', quality: 'high' } as const;

  it('builds one edit request with the images and the mask', () => {
    const mask = file('photo.mask.png', makePng({ width: 1024, height: 1024, alpha: true }));
    const request = buildEditRequest(answers, [photo], mask);
    assert.deepEqual(request, { ...answers, n: 1, inputImages: [photo], mask });
    assert.deepEqual(issuesOf(request), []);
  });

  it('says APIXO cannot use a workspace file and who can', () => {
    const issues = issuesOf(buildEditRequest({ ...answers, provider: 'apixo', size: '1:1@1k', quality: undefined }, [photo], undefined));
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /APIXO needs a public https image URL and cannot use a file from your workspace \(art\/photo\.png\); OpenAI, Gravitex, Modellix can edit a local file\./);
  });

  it('refuses a mask of the wrong size and a mask without alpha', () => {
    const small = file('small.mask.png', makePng({ width: 512, height: 512, alpha: true }));
    assert.match(issuesOf(buildEditRequest(answers, [photo], small)).join(' '), /mask is 512x512 but the image is 1024x1024/);
    const opaque = file('opaque.mask.png', makePng({ width: 1024, height: 1024 }));
    assert.match(issuesOf(buildEditRequest(answers, [photo], opaque)).join(' '), /must be a PNG with an alpha channel/);
  });
});
