import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGravitexProvider } from '../../../src/providers/gravitex/gravitexProvider';
import { parseMultipart } from '../../fake-providers/multipartParser';
import { makePng } from '../../fake-providers/png';
import { assertNoKey } from './asyncProviderHarness';
import { fakeOpenAiRig, images, rejectsWith, resolve, testContext, tinyJpeg } from './openAiTestSupport';

const key = 'sk-test-gravitex-key';

describe('Gravitex provider against the fake relay', () => {
  const rig = fakeOpenAiRig('gravitex', key);

  it('sends model, prompt, n, size and quality only', async () => {
    const outcome = images(
      await createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex', size: '2048x1152', quality: 'low', n: 3 }), new AbortController().signal),
    );
    const sent = rig.fake.apiRequests()[0];
    assert.ok(sent);
    assert.equal(sent.url, '/v1/images/generations');
    assert.equal(sent.body.toString('utf8'), '{"model":"gpt-image-2","prompt":"a red fox in snow","n":3,"size":"2048x1152","quality":"low"}');
    assert.equal(sent.headers.authorization, `Bearer ${key}`);
    assert.equal(outcome.images.length, 3);
    assert.deepEqual(outcome.images.map((image) => Buffer.from(image.bytes)), rig.fake.served.map((image) => image.bytes));
    assertNoKey(key, ...rig.test.log.lines);
  });

  it('reports (and does not send) output options the relay strips', async () => {
    const request = { ...resolve({ provider: 'gravitex' }), background: 'opaque' as const, outputFormat: 'jpeg' as const, outputCompression: 50 };
    const outcome = images(await createGravitexProvider(rig.test.context).submit(request, new AbortController().signal));
    const body = JSON.parse(rig.fake.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['model', 'prompt', 'n', 'size', 'quality']);
    assert.equal(outcome.warnings.length, 3);
    assert.ok(outcome.warnings.every((warning) => warning.startsWith('Gravitex ignores')));
  });

  it('decodes b64_json with a data: prefix and ignores empty url/revised_prompt', async () => {
    rig.fake.configure({ dataUriPrefix: true });
    const outcome = images(await createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex', n: 2 }), new AbortController().signal));
    assert.equal(outcome.images.length, 2);
    assert.deepEqual(outcome.images.map((image) => Buffer.from(image.bytes)), rig.fake.served.map((image) => image.bytes));
    assert.deepEqual(outcome.warnings, []);
    assert.equal(outcome.usage?.outputImageTokens, 1056 * 2);
  });

  it('sends an edit as multipart image[] parts without OpenAI-only fields', async () => {
    const png = makePng({ width: 16, height: 16 });
    const jpeg = tinyJpeg(16, 16);
    const request = resolve({
      provider: 'gravitex',
      inputImages: [
        { kind: 'file', source: 'a.png', fileName: 'a.png', bytes: png },
        { kind: 'file', source: 'b.JPEG', fileName: 'b.JPEG', bytes: jpeg },
      ],
    });
    await createGravitexProvider(rig.test.context).submit(request, new AbortController().signal);
    const sent = rig.fake.apiRequests()[0];
    assert.ok(sent);
    assert.equal(sent.url, '/v1/images/edits');
    const boundary = /boundary=(\S+)$/.exec(sent.headers['content-type'] ?? '')?.[1];
    assert.ok(boundary);
    const parts = parseMultipart(sent.body, boundary);
    assert.deepEqual(
      parts.map((part) => [part.name, part.fileName, part.contentType, part.fileName ? part.data.length : part.data.toString('utf8')]),
      [
        ['model', undefined, undefined, 'gpt-image-2'],
        ['prompt', undefined, undefined, 'a red fox in snow'],
        ['n', undefined, undefined, '1'],
        ['size', undefined, undefined, '1024x1024'],
        ['quality', undefined, undefined, 'medium'],
        ['image[]', 'a.png', 'image/png', png.length],
        ['image[]', 'b.jpg', 'image/jpeg', jpeg.length],
      ],
    );
    assert.ok(parts[5]?.data.equals(png) && parts[6]?.data.equals(jpeg));
  });

  it('maps sensitive_words_detected to content policy in Gravitex terms', async () => {
    rig.fake.enqueue({ moderation: true });
    const error = await rejectsWith(createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'contentPolicy');
    assert.equal(error.message, 'Gravitex blocked the request under its content policy: "sensitive words detected: weapon"; rephrase the prompt or change the image.');
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('names Gravitex and GRAVITEX_API_KEY on a refused key, never OpenAI', async () => {
    const wrong = testContext(rig.fake.baseUrl, { apiKey: 'sk-test-wrong-gravitex-key' });
    try {
      const error = await rejectsWith(createGravitexProvider(wrong.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'auth');
      assert.equal(error.message, 'Gravitex refused the API key: set a valid key with "GPT Image: Set API Key…" or GRAVITEX_API_KEY.');
      assert.doesNotMatch(error.message, /OpenAI/);
    } finally {
      await wrong.close();
    }
  });

  it('maps insufficient_user_quota (sent with 403) to quota', async () => {
    rig.fake.enqueue({ status: 403 });
    const error = await rejectsWith(createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'quota');
    assert.match(error.message, /^Gravitex says the account is out of credit or quota \("user quota is not enough"\)/);
    assert.doesNotMatch(error.message, /OpenAI/);
  });

  it('maps a plain 403 without OpenAI words', async () => {
    rig.fake.enqueue({ status: 403, code: 'model_not_allowed', message: 'this token cannot use gpt-image-2' });
    const error = await rejectsWith(createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'permission');
    assert.match(error.message, /^Gravitex refused access to the model \("this token cannot use gpt-image-2"\)/);
    assert.doesNotMatch(error.message, /OpenAI|openai\.com/);
  });

  it('never resends after an upstream 502: the relay may have been charged upstream', async () => {
    rig.fake.enqueue({ status: 502 });
    const error = await rejectsWith(createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'unknownOutcome');
    assert.equal(
      error.message,
      'Gravitex answered 502 (bad gateway) after the request was sent, saying "bad response status code 502"; it may have been generated and charged. Check your account, then resubmit by hand.',
    );
    assert.equal(error.retryable, false);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('keeps a key that the relay echoes out of 401 and 400 errors and logs', async () => {
    const echoedKey = 'sk-test-echoed-gravitex-key';
    rig.fake.configure({ echoAuthorization: true, expectedKey: echoedKey });
    const echoing = testContext(rig.fake.baseUrl, { apiKey: echoedKey });
    try {
      rig.fake.enqueue({ status: 400 });
      const refused = await rejectsWith(createGravitexProvider(echoing.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'badRequest');
      assert.match(refused.message, /^Gravitex rejected the request \(400\): "invalid request \(received Authorization: Bearer \[redacted\]\)"/);
      rig.fake.configure({ expectedKey: 'sk-test-some-other-key' });
      const auth = await rejectsWith(createGravitexProvider(echoing.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'auth');
      assertNoKey(echoedKey, refused, auth, JSON.stringify(refused), JSON.stringify(auth), ...echoing.log.lines);
    } finally {
      await echoing.close();
    }
  });

  it('scripts faults through the control endpoint, as another process would', async () => {
    const control = await fetch(`${rig.fake.origin}/__control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ queue: [{ status: 429, retryAfterMs: 50 }, { reset: true }] }),
    });
    assert.equal(control.status, 200);
    await rejectsWith(createGravitexProvider(rig.test.context).submit(resolve({ provider: 'gravitex' }), new AbortController().signal), 'unknownOutcome');
    const recorded = (await (await fetch(`${rig.fake.origin}/__requests`)).json()) as { url: string; headers: Record<string, string>; bodyBase64: string }[];
    assert.deepEqual(recorded.map((request) => request.url), ['/v1/images/generations', '/v1/images/generations']);
    assert.equal(recorded[0]?.headers.authorization, `Bearer ${key}`);
    assert.equal(Buffer.from(recorded[1]?.bodyBase64 ?? '', 'base64').toString('utf8'), rig.fake.apiRequests()[1]?.body.toString('utf8'));
    assert.equal((await fetch(`${rig.fake.origin}/__reset`, { method: 'POST' })).status, 200);
    assert.equal(rig.fake.apiRequests().length, 0);
  });
});
