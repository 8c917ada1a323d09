import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transparencySwitch } from '../../../src/core/capabilities';
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

  it('refuses compression with PNG output and transparent JPEG', () => {
    assert.deepEqual(issuesOf({ ...base, outputFormat: 'png', outputCompression: 50 }), [
      'Compression applies only to JPEG and WebP output, not PNG: choose jpeg or webp, or leave compression out.',
    ]);
    const issues = issuesOf({ ...base, model: 'gpt-image-1.5', size: '1024x1024', background: 'transparent', outputFormat: 'jpeg' });
    assert.deepEqual(issues, ['A transparent background needs PNG or WebP output, not JPEG.']);
  });

  it('refuses transparent with gpt-image-2, naming the models of that provider that can (issue 12)', () => {
    assert.deepEqual(issuesOf({ ...base, background: 'transparent' }), [
      'gpt-image-2 on OpenAI cannot make a transparent background: switch to gpt-image-1.5, gpt-image-2.5-flare, gpt-image-2.5-sunburst, which can, or choose auto or opaque.',
    ]);
    assert.match(issuesOf({ ...base, provider: 'modellix', model: 'gpt-image-2', size: '1024x1024', background: 'transparent' })[0] ?? '', /switch to gpt-image-1\.5, which can/);
    // Gravitex strips background altogether, so the image would come back opaque: refused too.
    assert.match(issuesOf({ ...base, provider: 'gravitex', background: 'transparent' })[0] ?? '', /no Gravitex model can, or choose auto or opaque/);
  });

  it('names the switch the Studio offers for a row without transparency', () => {
    assert.equal(transparencySwitch('openai', 'gpt-image-1.5'), undefined);
    assert.equal(transparencySwitch('modellix', 'gpt-image-2'), 'gpt-image-2 on Modellix cannot make a transparent background: switch to gpt-image-1.5, which can');
    assert.equal(transparencySwitch('apixo', 'gpt-image-2'), 'gpt-image-2 on APIXO cannot make a transparent background: no APIXO model can');
  });

  it('refuses transparent JPEG even where the format is not sent', () => {
    assert.deepEqual(issuesOf({ ...base, model: 'gpt-image-2.5-flare', background: 'transparent', outputFormat: 'jpeg' }), [
      'A transparent background needs PNG or WebP output, not JPEG.',
    ]);
  });

  it('offers xhigh and transparent on gpt-image-2.5 and sends them', () => {
    const plan = validateRequest({ ...base, model: 'gpt-image-2.5-sunburst', quality: 'xhigh', background: 'transparent', outputFormat: 'webp' });
    assert.deepEqual(plan.warnings, []);
    assert.equal(plan.calls[0]?.quality, 'xhigh');
    assert.equal(plan.calls[0]?.background, 'transparent');
    assert.match(issuesOf({ ...base, model: 'gpt-image-2.6-flare', background: 'transparent' })[0] ?? '', /gpt-image-2\.6-flare on OpenAI cannot make a transparent background/);
    assert.deepEqual(validateRequest({ ...base, quality: 'max' }).warnings, ['OpenAI does not offer quality "max"; using "auto".']);
  });

  it('sends moderation where the row allows it and warns where it is not sent', () => {
    assert.equal(validateRequest({ ...base, moderation: 'low' }).calls[0]?.moderation, 'low');
    const gravitex = validateRequest({ ...base, provider: 'gravitex', moderation: 'low' });
    assert.equal(gravitex.calls[0]?.moderation, undefined);
    assert.deepEqual(gravitex.warnings, ['Gravitex does not let you choose moderation; "low" is not sent.']);
  });

  it('validates a custom model by the row it is like and warns that its capabilities are assumed', () => {
    const plan = validateRequest({ ...base, model: 'gpt-image-1.5', customModel: 'gpt-image-3', size: '1536x1024', background: 'transparent' });
    assert.equal(plan.calls[0]?.customModel, 'gpt-image-3');
    assert.equal(plan.calls[0]?.model, 'gpt-image-1.5');
    assert.equal(plan.calls[0]?.background, 'transparent');
    assert.deepEqual(plan.warnings, [
      'gpt-image-3: capabilities assumed from gpt-image-1.5 (a custom model; options the real model lacks may be refused by the provider).',
    ]);
    // The inherited row's limits apply: gpt-image-2 cannot be transparent, so neither can a model like it.
    assert.match(issuesOf({ ...base, customModel: 'gpt-image-3', background: 'transparent' })[0] ?? '', /cannot make a transparent background/);
    assert.match(issuesOf({ ...base, provider: 'modellix', size: '1024x1024', customModel: 'gpt-image-3' })[0] ?? '', /Custom models work with OpenAI and Gravitex only/);
    assert.match(issuesOf({ ...base, customModel: 'bad id/../x' })[0] ?? '', /custom model id/);
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
