import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateRequest } from '../../../src/core/request';
import type { PartialImage } from '../../../src/core/provider';
import { createOpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import { createGravitexProvider } from '../../../src/providers/gravitex/gravitexProvider';
import { makePng } from '../../fake-providers/png';
import { fakeOpenAiRig, images, rejectsWith, resolve } from './openAiTestSupport';

const key = 'sk-test-openai-key';

describe('OpenAI streaming (partial images) against the fake Images API', () => {
  const rig = fakeOpenAiRig('openai', key);

  it('sends stream:true and partial_images for a generation, reports the partials and returns the completed image', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    const partials: PartialImage[] = [];
    const outcome = images(
      await provider.submit(resolve({ provider: 'openai', quality: 'high', partialImages: 2 }), new AbortController().signal, {
        onPartialImage: (partial) => partials.push(partial),
      }),
    );
    const sent = rig.fake.apiRequests();
    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]?.body.toString('utf8'),
      '{"model":"gpt-image-2","prompt":"a red fox in snow","n":1,"size":"1024x1024","quality":"high","stream":true,"partial_images":2}',
    );
    assert.match(sent[0]?.headers.accept ?? '', /text\/event-stream/);
    assert.deepEqual(
      partials.map((partial) => partial.index),
      [0, 1],
    );
    assert.deepEqual(
      partials.map((partial) => Buffer.from(partial.bytes())),
      rig.fake.partialsServed,
    );
    assert.equal(outcome.images.length, 1);
    assert.deepEqual(Buffer.from(outcome.images[0]?.bytes ?? []), rig.fake.served[0]?.bytes);
    assert.ok((outcome.usage?.outputImageTokens ?? 0) > 0, 'usage comes from the completed event');
  });

  it('the fake waits partialDelayMs after each partial (so the editor test can see a preview before the final image)', async () => {
    rig.fake.configure({ partialDelayMs: 150 });
    const provider = createOpenAiProvider(rig.test.context);
    const seenAt: number[] = [];
    const started = Date.now();
    const outcome = images(
      await provider.submit(resolve({ provider: 'openai', partialImages: 2 }), new AbortController().signal, {
        onPartialImage: () => void seenAt.push(Date.now()),
      }),
    );
    const finished = Date.now();
    assert.equal(seenAt.length, 2);
    // Lower bounds only: a busy machine can deliver the first partial late (shrinking the gap
    // between arrivals), but it can never make the delays the fake waits shorter.
    assert.ok((seenAt[1] ?? 0) - started >= 145, `second partial ${(seenAt[1] ?? 0) - started} ms after the request`);
    assert.ok(finished - started >= 295, `final image ${finished - started} ms after the request (two delays)`);
    assert.deepEqual(Buffer.from(outcome.images[0]?.bytes ?? []), rig.fake.served[0]?.bytes);
  });

  it('a partial-image listener that throws does not cost the final image', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    const outcome = images(
      await provider.submit(resolve({ provider: 'openai', partialImages: 2 }), new AbortController().signal, {
        onPartialImage: () => {
          throw new Error('a broken view');
        },
      }),
    );
    assert.deepEqual(Buffer.from(outcome.images[0]?.bytes ?? []), rig.fake.served[0]?.bytes);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('sends stream and partial_images as form fields in a multipart edit', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    const png = makePng({ width: 32, height: 32, seed: 5 });
    const request = resolve({ provider: 'openai', partialImages: 1, inputImages: [{ kind: 'file', source: 'cat.png', fileName: 'cat.png', bytes: png }] });
    const outcome = images(await provider.submit(request, new AbortController().signal));
    const body = rig.fake.apiRequests()[0]?.body.toString('latin1') ?? '';
    assert.match(body, /name="stream"\r\n\r\ntrue\r\n/);
    assert.match(body, /name="partial_images"\r\n\r\n1\r\n/);
    assert.doesNotMatch(body, /response_format/);
    assert.deepEqual(Buffer.from(outcome.images[0]?.bytes ?? []), rig.fake.served[0]?.bytes);
    assert.equal(rig.fake.partialsServed.length, 1);
  });

  it('sends no stream field at all with 0 partial images (exactly the non-streaming request)', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    await provider.submit(resolve({ provider: 'openai', partialImages: 0 }), new AbortController().signal);
    const body = JSON.parse(rig.fake.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.deepEqual(body, { model: 'gpt-image-2', prompt: 'a red fox in snow', n: 1, size: '1024x1024', quality: 'auto' });
  });

  it('a stream cut after a partial is an unknown outcome and is sent exactly once', async () => {
    rig.fake.enqueue({ streamCutAfterPartial: true }, { streamCutAfterPartial: true }, { streamCutAfterPartial: true });
    const provider = createOpenAiProvider(rig.test.context);
    let partials = 0;
    const error = await rejectsWith(
      provider.submit(resolve({ provider: 'openai', partialImages: 2 }), new AbortController().signal, { onPartialImage: () => void (partials += 1) }),
      'unknownOutcome',
    );
    assert.equal(error.retryable, false);
    assert.equal(rig.fake.apiRequests().length, 1);
    assert.equal(partials, 1);
    assert.match(error.message, /not resent/);
  });

  it('an error event (moderation) is a content-policy failure with the content-policy sentence, not resent', async () => {
    rig.fake.enqueue({ streamError: true }, { streamError: true });
    const provider = createOpenAiProvider(rig.test.context);
    const error = await rejectsWith(provider.submit(resolve({ provider: 'openai', partialImages: 2 }), new AbortController().signal), 'contentPolicy');
    assert.match(error.message, /^OpenAI blocked the request under its content policy: "Your request was rejected by the safety system"; rephrase the prompt or change the image\.$/);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('an error event that quotes the API key is reported without it', async () => {
    rig.fake.enqueue({ streamError: true, code: 'invalid_value', type: 'invalid_request_error', message: `Bad value for key ${key}.` });
    const provider = createOpenAiProvider(rig.test.context);
    const error = await rejectsWith(provider.submit(resolve({ provider: 'openai', partialImages: 1 }), new AbortController().signal), 'badRequest');
    assert.doesNotMatch(error.message, new RegExp(key));
    rig.fake.enqueue({ streamError: true, code: 'server_error', type: 'server_error', message: `Upstream saw ${key}.` });
    const midway = await rejectsWith(provider.submit(resolve({ provider: 'openai', partialImages: 1 }), new AbortController().signal), 'unknownOutcome');
    assert.doesNotMatch(midway.message, new RegExp(key));
    assert.match(midway.message, /Upstream saw/);
  });

  it('a server error event midway is an unknown outcome, never resent', async () => {
    rig.fake.enqueue({ streamError: true, code: 'server_error', type: 'server_error', message: 'The server had an error.' }, { streamError: true });
    const provider = createOpenAiProvider(rig.test.context);
    const error = await rejectsWith(provider.submit(resolve({ provider: 'openai', partialImages: 1 }), new AbortController().signal), 'unknownOutcome');
    assert.match(error.message, /in the middle of the image stream \("The server had an error\."\)/);
    assert.equal(rig.fake.apiRequests().length, 1);
  });
});

describe('Streaming on the capability rows', () => {
  const rig = fakeOpenAiRig('gravitex', key);

  it('Gravitex does not stream: partial images are dropped with the reason, and no stream field is sent', async () => {
    const plan = validateRequest({ provider: 'gravitex', model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', partialImages: 2 });
    assert.equal(plan.calls[0]?.partialImages, undefined);
    assert.ok(plan.warnings.some((warning) => warning.includes("Gravitex's relay strips partial_images")), plan.warnings.join(' | '));
    await createGravitexProvider(rig.test.context).submit(plan.calls[0] as never, new AbortController().signal);
    const body = JSON.parse(rig.fake.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.equal('stream' in body, false);
    assert.equal('partial_images' in body, false);
  });

  it('partial images are streamed only for one image, and refused outside 0–3', () => {
    const many = validateRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', n: 2, partialImages: 2 });
    assert.equal(many.calls[0]?.partialImages, undefined);
    assert.ok(many.warnings.some((warning) => /only when one image is asked for/.test(warning)));
    assert.throws(() => validateRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', partialImages: 4 }), /from 0 to 3/);
  });
});
