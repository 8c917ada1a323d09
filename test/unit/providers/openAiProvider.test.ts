import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import { startFakeOpenAi } from '../../fake-providers/openai';
import { makePng } from '../../fake-providers/png';
import { assertNoKey } from './asyncProviderHarness';
import { fakeOpenAiRig, images, rejectsWith, resolve, testContext, tinyJpeg, tinyWebp } from './openAiTestSupport';

const key = 'sk-test-openai-key';

describe('OpenAI provider against the fake Images API', () => {
  const rig = fakeOpenAiRig('openai', key);

  it('sends the exact generation JSON and returns the served bytes with usage', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    const request = resolve({ provider: 'openai', size: '1536x1024', quality: 'high', n: 2, background: 'opaque', outputFormat: 'webp', outputCompression: 80 });
    const outcome = images(await provider.submit(request, new AbortController().signal));

    const [sent, ...others] = rig.fake.apiRequests();
    assert.ok(sent);
    assert.equal(others.length, 0);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/v1/images/generations');
    assert.equal(
      sent.body.toString('utf8'),
      '{"model":"gpt-image-2","prompt":"a red fox in snow","n":2,"size":"1536x1024","quality":"high","background":"opaque","output_format":"webp","output_compression":80}',
    );
    assert.equal(sent.headers.authorization, `Bearer ${key}`);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.match(sent.headers['user-agent'] ?? '', /^gpt-image-studio\/\d+\.\d+\.\d+$/);

    assert.equal(outcome.images.length, 2);
    assert.deepEqual(outcome.images.map((image) => Buffer.from(image.bytes)), rig.fake.served.map((image) => image.bytes));
    assert.deepEqual(outcome.warnings, []);
    assert.match(outcome.response.requestId ?? '', /^req_fake_openai_/);
    assert.equal(outcome.usage?.outputImageTokens, Math.round(4160 * 1.5) * 2);
    assert.ok((outcome.usage?.inputTextTokens ?? 0) > 0);
    assertNoKey(key, ...rig.test.log.lines);
  });

  it('sends only what the request has: no response_format, no unset options', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    await provider.submit(resolve({ provider: 'openai', size: 'auto' }), new AbortController().signal);
    const body = JSON.parse(rig.fake.apiRequests()[0]?.body.toString('utf8') ?? '{}') as Record<string, unknown>;
    assert.deepEqual(body, { model: 'gpt-image-2', prompt: 'a red fox in snow', n: 1, size: 'auto', quality: 'auto' });
  });

  it('sends an edit as multipart, byte for byte, with real extensions and the mask', async () => {
    const provider = createOpenAiProvider(rig.test.context);
    const png = makePng({ width: 32, height: 32, seed: 3 });
    const jpeg = tinyJpeg(32, 32);
    const webp = tinyWebp(32, 32);
    const mask = makePng({ width: 32, height: 32, alpha: true });
    const request = resolve({
      provider: 'openai',
      prompt: 'make it "night"',
      quality: 'low',
      inputImages: [
        { kind: 'file', source: 'images/cat.png', fileName: 'cat.png', bytes: png },
        { kind: 'file', source: 'photo.jpeg', fileName: 'photo.jpeg', bytes: jpeg },
        // Named .png but really WebP: the part must say .webp, since Gravitex trusts the name.
        { kind: 'file', source: 'scan.png', fileName: 'scan.png', bytes: webp },
      ],
      mask: { kind: 'file', source: 'cat.mask.png', fileName: 'cat.mask.png', bytes: mask },
    });
    const outcome = images(await provider.submit(request, new AbortController().signal));
    assert.equal(outcome.images.length, 1);

    const sent = rig.fake.apiRequests()[0];
    assert.ok(sent);
    assert.equal(sent.url, '/v1/images/edits');
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(sent.headers['content-type'] ?? '')?.[1];
    assert.ok(boundary, `content-type ${sent.headers['content-type']}`);
    const field = (name: string, value: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = (name: string, fileName: string, type: string, bytes: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
        bytes,
        Buffer.from('\r\n'),
      ]);
    const expected = Buffer.concat([
      Buffer.from(
        field('model', 'gpt-image-2') + field('prompt', 'make it "night"') + field('n', '1') + field('size', '1024x1024') + field('quality', 'low'),
      ),
      file('image[]', 'cat.png', 'image/png', png),
      file('image[]', 'photo.jpg', 'image/jpeg', jpeg),
      file('image[]', 'scan.webp', 'image/webp', webp),
      file('mask', 'cat.mask.png', 'image/png', mask),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    assert.ok(sent.body.equals(expected), 'multipart body differs from the expected bytes');
    assert.equal(Number(sent.headers['content-length']), expected.length);
  });

  it('waits out a 429 Retry-After and retries once', async () => {
    rig.fake.enqueue({ status: 429, retryAfter: 1 });
    const provider = createOpenAiProvider(rig.test.context);
    const started = Date.now();
    const outcome = images(await provider.submit(resolve({ provider: 'openai' }), new AbortController().signal));
    const elapsed = Date.now() - started;
    assert.equal(outcome.images.length, 1);
    assert.equal(rig.fake.apiRequests().length, 2);
    assert.ok(elapsed >= 950, `retried after ${elapsed} ms, before the 1 s Retry-After`);
    const [first, second] = rig.fake.apiRequests();
    assert.ok(first && second);
    assert.ok(first.body.equals(second.body), 'the retry must send the same body');
    assert.ok(rig.test.log.lines.some((line) => /rate limiting.*Retrying in 1000 ms/.test(line)));
  });

  it('never resends a paid POST after a 500: one request, unknownOutcome naming the status', async () => {
    rig.fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'unknownOutcome');
    assert.equal(rig.fake.apiRequests().length, 1);
    assert.equal(error.status, 500);
    assert.equal(error.retryable, false);
    assert.equal(
      error.message,
      'OpenAI answered 500 (internal server error) after the request was sent, saying "The server had an error while processing your request. Sorry about that!"; it may have been generated and charged. Check your account, then resubmit by hand.',
    );
  });

  for (const status of [503, 408, 409, 425]) {
    it(`does not resend after a ${status}: the outcome is unknown`, async () => {
      rig.fake.enqueue({ status });
      const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'unknownOutcome');
      assert.equal(rig.fake.apiRequests().length, 1);
      assert.match(error.message, new RegExp(`^OpenAI answered ${status} \\([a-z ]+\\) after the request was sent`));
    });
  }

  it('never shows, logs or keeps a key that an error body echoes (401 and 400)', async () => {
    const wrongKey = 'sk-test-echoed-openai-key';
    rig.fake.configure({ echoAuthorization: true, expectedKey: wrongKey });
    const echoing = testContext(rig.fake.baseUrl, { apiKey: wrongKey });
    try {
      rig.fake.enqueue({ status: 400, message: 'Invalid size.', param: 'size' });
      const refused = await rejectsWith(createOpenAiProvider(echoing.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'badRequest');
      assert.match(refused.message, /\[redacted\]/, 'the provider words are quoted, with the key taken out');
      rig.fake.configure({ expectedKey: 'sk-test-some-other-key' });
      const auth = await rejectsWith(createOpenAiProvider(echoing.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'auth');
      assert.ok(rig.fake.apiRequests().every((request) => request.headers.authorization === `Bearer ${wrongKey}`), 'the fake saw the key it echoes');
      assertNoKey(wrongKey, refused, auth, JSON.stringify(refused), JSON.stringify(auth), ...echoing.log.lines);
    } finally {
      await echoing.close();
    }
  });

  it('maps 401 to one actionable sentence without the key', async () => {
    const wrongKey = 'sk-test-wrong-openai-key';
    const wrong = testContext(rig.fake.baseUrl, { apiKey: wrongKey });
    try {
      const error = await rejectsWith(createOpenAiProvider(wrong.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'auth');
      assert.equal(error.message, 'OpenAI refused the API key: set a valid key with "GPT Image: Set API Key…" or OPENAI_API_KEY.');
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_api_key');
      assert.match(error.requestId ?? '', /^req_fake_openai_/);
      assert.equal(rig.fake.apiRequests().length, 1);
      assertNoKey(wrongKey, error.message, JSON.stringify(error), String(error.stack), ...wrong.log.lines);
    } finally {
      await wrong.close();
    }
  });

  it('maps 403 to organization verification with the link', async () => {
    rig.fake.enqueue({ status: 403 });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'permission');
    assert.match(error.message, /verified organization/);
    assert.ok(error.message.includes('https://platform.openai.com/settings/organization/general'));
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('maps moderation_blocked to content policy with the provider words, not retried', async () => {
    rig.fake.enqueue({ moderation: true });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'contentPolicy');
    assert.match(error.message, /^OpenAI blocked the request under its content policy \(violence\): "Your request was rejected by the safety system/);
    assert.equal(error.code, 'moderation_blocked');
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('maps another 400 to bad request with the message and parameter', async () => {
    rig.fake.enqueue({ status: 400, message: 'Invalid size 1024x1000: must be multiples of 16.', param: 'size' });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'badRequest');
    assert.equal(error.message, 'OpenAI rejected the request (400): "Invalid size 1024x1000: must be multiples of 16" (parameter size).');
  });

  it('treats a 429 insufficient_quota as quota, not a rate limit to wait out', async () => {
    rig.fake.enqueue({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota', message: 'You exceeded your current quota.', retryAfter: 1 });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'quota');
    assert.match(error.message, /out of credit or quota/);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('never resends after a reset once the request was sent: unknownOutcome, one request', async () => {
    rig.fake.enqueue({ reset: true });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'unknownOutcome');
    assert.equal(error.retryable, false);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('never resends when the connection breaks while the images arrive', async () => {
    rig.fake.enqueue({ resetMidBody: true });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai', n: 2 }), new AbortController().signal), 'unknownOutcome');
    assert.match(error.message, /probably made and charged/);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('treats a gateway timeout (504) as an unknown outcome, not a retry', async () => {
    rig.fake.enqueue({ status: 504 });
    await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'unknownOutcome');
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('reports a malformed 200 body as invalidResponse without retrying', async () => {
    rig.fake.enqueue({ malformed: true });
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'invalidResponse');
    assert.match(error.message, /OpenAI's response is not valid JSON/);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('times out per attempt as an unknown outcome (the call is paid)', async () => {
    rig.fake.enqueue({ delayMs: 1500 });
    const short = testContext(rig.fake.baseUrl, { apiKey: key, requestTimeoutMs: 200 });
    try {
      const error = await rejectsWith(createOpenAiProvider(short.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'unknownOutcome');
      assert.match(error.message, /did not answer within/);
      assert.equal(rig.fake.apiRequests().length, 1);
    } finally {
      await short.close();
    }
  });

  it('sends nothing when there is no key', async () => {
    const keyless = testContext(rig.fake.baseUrl, { apiKey: undefined });
    try {
      await rejectsWith(createOpenAiProvider(keyless.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'auth');
      assert.equal(rig.fake.apiRequests().length, 0);
    } finally {
      await keyless.close();
    }
  });

  it('does not follow a redirect, so the key never reaches another origin', async () => {
    const other = await startFakeOpenAi({ flavour: 'openai' });
    try {
      rig.fake.enqueue({ redirect: `${other.baseUrl}/images/generations` });
      const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), new AbortController().signal), 'badRequest');
      assert.match(error.message, /redirect \(307\)/);
      assert.equal(other.requests.length, 0);
      assert.equal(rig.fake.apiRequests().length, 1);
    } finally {
      await other.close();
    }
  });

  it('cancels promptly while waiting for a slow answer, as an unknown outcome (the request had arrived)', async () => {
    rig.fake.enqueue({ delayMs: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), controller.signal), 'unknownOutcome');
    assert.equal(error.message, 'Cancelled while the request to OpenAI was in flight: it may have been accepted (and charged).');
    // Generous bound: without cancellation this would take 10 s.
    assert.ok(Date.now() - started < 5_000);
    assert.equal(rig.fake.apiRequests().length, 1);
  });

  it('cancels promptly during a Retry-After wait, without a second request', async () => {
    rig.fake.enqueue({ status: 429, retryAfter: 30 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    await rejectsWith(createOpenAiProvider(rig.test.context).submit(resolve({ provider: 'openai' }), controller.signal), 'aborted');
    assert.ok(Date.now() - started < 5_000);
    assert.equal(rig.fake.apiRequests().length, 1);
  });
});
