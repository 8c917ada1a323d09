import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInputError } from '../../../src/core/errors';
import { validateRequest } from '../../../src/core/request';
import type { GenerationRequest } from '../../../src/core/request';
import { makePng } from '../../fake-providers/png';

function issuesOf(request: GenerationRequest): string[] {
  try {
    validateRequest(request);
  } catch (error) {
    assert.ok(isInputError(error), `expected an InputError, got ${String(error)}`);
    return [...error.issues];
  }
  assert.fail('expected the request to be refused');
}

const base: GenerationRequest = { provider: 'openai', model: 'gpt-image-2', prompt: 'a lighthouse at dusk', size: '1536x1024' };

describe('request validation', () => {
  it('resolves a valid request into one call with the defaults of its capability row', () => {
    const plan = validateRequest(base);
    assert.equal(plan.calls.length, 1);
    assert.deepEqual(plan.calls[0], {
      provider: 'openai',
      model: 'gpt-image-2',
      prompt: 'a lighthouse at dusk',
      size: { kind: 'wxh', value: '1536x1024' },
      quality: 'auto',
      n: 1,
      background: undefined,
      outputFormat: undefined,
      outputCompression: undefined,
      inputImages: [],
      mask: undefined,
    });
    assert.deepEqual(plan.warnings, []);
  });

  it('trims the prompt and refuses an empty one', () => {
    assert.equal(validateRequest({ ...base, prompt: '  fox  ' }).calls[0]?.prompt, 'fox');
    assert.deepEqual(issuesOf({ ...base, prompt: '   ' }), ['The prompt is empty: describe the image you want.']);
  });

  it('refuses a prompt over the provider limit with the numbers', () => {
    const issues = issuesOf({ ...base, provider: 'apixo', size: '16:9@2k', prompt: 'x'.repeat(20001) });
    assert.deepEqual(issues, ['The prompt has 20001 characters; APIXO accepts at most 20000.']);
  });

  it('collects every problem at once', () => {
    const issues = issuesOf({ ...base, size: '1000x1000', n: 11 });
    assert.equal(issues.length, 2);
    assert.match(issues[0] ?? '', /multiples of 16/);
    assert.match(issues[1] ?? '', /at most 10 images per request; you asked for 11/);
  });

  it('refuses n that is not a positive whole number', () => {
    assert.deepEqual(issuesOf({ ...base, n: 0 }), ['Ask for at least one image.']);
    assert.deepEqual(issuesOf({ ...base, n: 1.5 }), ['The number of images must be a whole number.']);
  });

  it('splits n over several calls when a provider makes one image per call', () => {
    const plan = validateRequest({ ...base, provider: 'modellix', size: '1024x1024', n: 3 });
    assert.deepEqual(plan.calls.map((call) => call.n), [1, 1, 1]);
    assert.equal(plan.totalImages, 3);
  });

  it('warns instead of silently dropping a setting the provider cannot honour', () => {
    const plan = validateRequest({ ...base, provider: 'gravitex', background: 'opaque', outputFormat: 'webp' });
    assert.equal(plan.calls[0]?.background, undefined);
    assert.equal(plan.calls[0]?.outputFormat, undefined);
    assert.deepEqual(plan.warnings, [
      'Gravitex does not let you choose the background; "opaque" is not sent.',
      'Gravitex does not let you choose the output format; "webp" is not sent.',
    ]);
  });

  it('drops compression for PNG output with a warning and refuses transparent JPEG', () => {
    const plan = validateRequest({ ...base, outputFormat: 'png', outputCompression: 50 });
    assert.equal(plan.calls[0]?.outputCompression, undefined);
    assert.match(plan.warnings[0] ?? '', /Compression applies only to JPEG and WebP/);
    const issues = issuesOf({ ...base, model: 'gpt-image-1.5', size: '1024x1024', background: 'transparent', outputFormat: 'jpeg' });
    assert.deepEqual(issues, ['A transparent background needs PNG or WebP output, not JPEG.']);
  });

  it('refuses a model the provider does not offer', () => {
    assert.deepEqual(issuesOf({ ...base, provider: 'apixo', model: 'gpt-image-1.5' }), ['APIXO does not offer gpt-image-1.5.']);
  });

  it('checks input images by their bytes, not their names', () => {
    const png = makePng({ width: 32, height: 32 });
    const plan = validateRequest({ ...base, inputImages: [{ kind: 'file', source: 'a.jpg', fileName: 'a.jpg', bytes: png }] });
    const image = plan.calls[0]?.inputImages[0];
    assert.ok(image && image.kind === 'file');
    assert.deepEqual(image.info, { format: 'png', width: 32, height: 32, hasAlpha: false });
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    assert.deepEqual(issuesOf({ ...base, inputImages: [{ kind: 'file', source: 'x.png', fileName: 'x.png', bytes: gif }] }), [
      'Reference image x.png is a GIF; use a PNG, JPEG or WebP file.',
    ]);
  });

  it('refuses URLs where only files travel, and files where only URLs do', () => {
    assert.match(issuesOf({ ...base, inputImages: [{ kind: 'url', url: 'https://example.invalid/a.png' }] })[0] ?? '', /takes reference images as files/);
    const png = makePng({ width: 16, height: 16 });
    const issue = issuesOf({ ...base, provider: 'apixo', size: '1:1@1k', inputImages: [{ kind: 'file', source: 'a.png', fileName: 'a.png', bytes: png }] })[0];
    assert.match(issue ?? '', /APIXO needs a public https image URL/);
  });

  it('requires the mask to be a PNG with alpha of the first image size', () => {
    const image = { kind: 'file' as const, source: 'a.png', fileName: 'a.png', bytes: makePng({ width: 32, height: 32 }) };
    const opaque = { kind: 'file' as const, source: 'm.png', fileName: 'm.png', bytes: makePng({ width: 32, height: 32 }) };
    assert.match(issuesOf({ ...base, inputImages: [image], mask: opaque })[0] ?? '', /must be a PNG with an alpha channel/);
    const small = { kind: 'file' as const, source: 'm.png', fileName: 'm.png', bytes: makePng({ width: 16, height: 16, alpha: true }) };
    assert.match(issuesOf({ ...base, inputImages: [image], mask: small })[0] ?? '', /mask is 16x16 but the image is 32x32/);
    assert.deepEqual(issuesOf({ ...base, mask: small }), ['A mask needs an image to apply to.']);
  });
});
