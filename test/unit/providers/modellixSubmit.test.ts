import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { createModellixProvider } from '../../../src/providers/modellix/modellixProvider';
import { startFakeModellix } from '../../fake-providers/modellix';
import { assertNoKey, fakeProviderRig, jsonBody, rejection, resolve, testContext, testSignal } from './asyncProviderHarness';

const apiKey = 'sk-test-modellix-key';

describe('Modellix submit', () => {
  const rig = fakeProviderRig({ apiKey, start: (cdn) => startFakeModellix({ cdn, apiKey }) });

  const submits = () => rig.fake.requests().filter((request) => request.method === 'POST');

  it('posts the documented body to /openai/gpt-image-2/async with the key', async () => {
    const provider = createModellixProvider(rig.test.context);
    const outcome = await provider.submit(resolve({ provider: 'modellix', size: '1536x1024', quality: 'high' }), testSignal());
    assert.equal(outcome.kind, 'task');
    assert.equal(outcome.kind === 'task' && outcome.taskId, rig.fake.tasks.all()[0]?.id);
    const [request] = submits();
    assert.ok(request);
    assert.equal(request.url, '/api/v1/openai/gpt-image-2/async');
    assert.equal(request.headers.authorization, `Bearer ${apiKey}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(jsonBody(request.body), { prompt: 'a lighthouse at dusk', size: '1536x1024', quality: 'high' });
    assertNoKey(apiKey, rig.test.log.lines.join('\n'));
  });

  it('always sends quality (Modellix would default to low) and snaps sizes to its presets', async () => {
    const provider = createModellixProvider(rig.test.context);
    await provider.submit(resolve({ provider: 'modellix', size: '3840x2160' }), testSignal());
    await provider.submit(resolve({ provider: 'modellix', size: '1000x1000' }), testSignal());
    const bodies = submits().map((request) => jsonBody(request.body));
    assert.deepEqual(bodies, [
      { prompt: 'a lighthouse at dusk', size: '3840x2160', quality: 'medium' },
      { prompt: 'a lighthouse at dusk', size: '1024x1024', quality: 'medium' },
    ]);
  });

  it('sends background only for gpt-image-1.5', async () => {
    const provider = createModellixProvider(rig.test.context);
    await provider.submit(resolve({ provider: 'modellix', model: 'gpt-image-1.5', background: 'transparent', quality: 'low' }), testSignal());
    const [request] = submits();
    assert.equal(request?.url, '/api/v1/openai/gpt-image-1.5/async');
    assert.deepEqual(jsonBody(request?.body ?? Buffer.from('{}')), { prompt: 'a lighthouse at dusk', size: '1024x1024', quality: 'low', background: 'transparent' });
  });

  it('falls back once to the path without /async on a 404, and remembers it for later providers of that base URL', async () => {
    rig.fake.setKnobs({ asyncPath: 'notFound' });
    const first = await createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal());
    assert.equal(first.kind, 'task');
    assert.deepEqual(submits().map((request) => request.url), ['/api/v1/openai/gpt-image-2/async', '/api/v1/openai/gpt-image-2']);
    // The host builds a provider per job: the next one goes straight to the plain path.
    await createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal());
    assert.deepEqual(submits().map((request) => request.url).slice(2), ['/api/v1/openai/gpt-image-2']);
    assert.equal(rig.fake.tasks.all().length, 2);
    // And it learns back when the plain path goes away (this also leaves /async first for the tests after).
    rig.fake.setKnobs({ asyncPath: 'ok', plainPath: 'notFound' });
    await createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal());
    await createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal());
    assert.deepEqual(submits().map((request) => request.url).slice(3), [
      '/api/v1/openai/gpt-image-2',
      '/api/v1/openai/gpt-image-2/async',
      '/api/v1/openai/gpt-image-2/async',
    ]);
  });

  it('stops after one fallback when both paths answer 404', async () => {
    rig.fake.setKnobs({ asyncPath: 'notFound', plainPath: 'notFound' });
    const error = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /base URL/);
    assert.equal(submits().length, 2);
  });

  it('says the balance is insufficient on 402 and sends nothing more', async () => {
    rig.fake.fault({ on: 'submit', kind: 'status', status: 402, message: 'Payment Required: insufficient balance' });
    const error = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'quota');
    assert.equal(error.retryable, false);
    assert.equal(error.message, 'Your Modellix balance is insufficient: top up at modellix.ai.');
    assert.equal(submits().length, 1);
  });

  it('treats a non-zero envelope code on HTTP 200 as that status (U-M9)', async () => {
    rig.fake.fault({ on: 'submit', kind: 'envelope', code: 402, message: 'Payment Required: balance too low' });
    const quota = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(quota));
    assert.equal(quota.kind, 'quota');
    rig.fake.fault({ on: 'submit', kind: 'envelope', code: 400, message: 'Bad Request: prompt rejected' });
    const bad = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(bad));
    assert.equal(bad.kind, 'badRequest');
    assert.match(bad.message, /Bad Request: prompt rejected/);
    rig.fake.fault({ on: 'submit', kind: 'envelope', code: 503, message: 'Service Unavailable' });
    const open = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(open));
    assert.equal(open.kind, 'unknownOutcome');
    assert.equal(submits().length, 3);
  });

  it('maps 400 with its message, 401 and 403 as definite refusals', async () => {
    const cases = [
      { status: 400, kind: 'badRequest', text: /Bad Request: size not supported/ },
      { status: 401, kind: 'auth', text: /API key/ },
      { status: 403, kind: 'permission', text: /not be allowed/ },
    ] as const;
    for (const { status, kind, text } of cases) {
      rig.fake.fault({ on: 'submit', kind: 'status', status, message: status === 400 ? 'Bad Request: size not supported' : undefined });
      const error = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.match(error.message, text);
      assertNoKey(apiKey, error);
    }
    assert.equal(submits().length, 3);
  });

  it('refuses a wrong key with 401 from the fake itself', async () => {
    const wrong = testContext(rig.fake.baseUrl, 'sk-test-wrong-key');
    try {
      const error = await rejection(() => createModellixProvider(wrong.context).submit(resolve({ provider: 'modellix' }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'auth');
      assertNoKey('sk-test-wrong-key', error, wrong.log.lines.join('\n'));
    } finally {
      await wrong.http.close();
    }
  });

  it('keeps an echoed key out of 400 and 401 errors, their stacks and the log', async () => {
    rig.fake.setKnobs({ echoAuthorization: true });
    rig.fake.fault({ on: 'submit', kind: 'status', status: 400, message: 'Bad Request: size not supported' });
    const refused = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(refused));
    assert.equal(refused.kind, 'badRequest');
    assert.match(refused.message, /Bad Request: size not supported \(received Authorization: Bearer \[redacted\]\)/);
    rig.fake.fault({ on: 'submit', kind: 'envelope', code: 401, message: 'Unauthorized' });
    const inEnvelope = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
    assert.ok(isProviderError(inEnvelope));
    assert.equal(inEnvelope.message, 'Modellix did not accept the API key: check that the Modellix key is set and still valid.');
    const wrongKey = 'sk-test-echoed-modellix-key';
    const wrong = testContext(rig.fake.baseUrl, wrongKey);
    try {
      const auth = await rejection(() => createModellixProvider(wrong.context).submit(resolve({ provider: 'modellix' }), testSignal()));
      assert.ok(isProviderError(auth));
      assert.equal(auth.kind, 'auth');
      assert.ok(rig.fake.requests().some((request) => request.headers.authorization === `Bearer ${wrongKey}`), 'the fake saw the key it echoes');
      assertNoKey(wrongKey, auth, JSON.stringify(auth), ...wrong.log.lines);
    } finally {
      await wrong.http.close();
    }
    assertNoKey(apiKey, refused, inEnvelope, JSON.stringify(refused), JSON.stringify(inEnvelope), ...rig.test.log.lines);
  });

  for (const fault of [
    { name: 'a reset after the task was created', fault: { on: 'submit', kind: 'reset' } },
    { name: 'HTTP 503', fault: { on: 'submit', kind: 'status', status: 503 } },
    { name: 'HTTP 429', fault: { on: 'submit', kind: 'status', status: 429, headers: { 'retry-after': '1' } } },
    { name: 'a 200 without a task id', fault: { on: 'submit', kind: 'noTaskId' } },
  ] as const) {
    it(`turns ${fault.name} into unknownOutcome with exactly one submit`, async () => {
      rig.fake.fault(fault.fault);
      const error = await rejection(() => createModellixProvider(rig.test.context).submit(resolve({ provider: 'modellix' }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'unknownOutcome');
      assert.equal(error.retryable, false);
      assert.match(error.message, /may still have been accepted/);
      assert.equal(submits().length, 1);
      assertNoKey(apiKey, error);
    });
  }

  it('times out a silent submit as unknownOutcome, not as a retryable error', async () => {
    const slow = testContext(rig.fake.baseUrl, apiKey, 300);
    try {
      rig.fake.fault({ on: 'submit', kind: 'status', status: 200, delayMs: 2_000 });
      const error = await rejection(() => createModellixProvider(slow.context).submit(resolve({ provider: 'modellix' }), testSignal()));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'unknownOutcome');
      assert.equal(submits().length, 1);
    } finally {
      await slow.http.close();
    }
  });

  it('refuses a local file that was not uploaded, before sending', async () => {
    const request = resolve({ provider: 'modellix', inputImages: [{ kind: 'url', url: 'https://example.invalid/a.png' }] });
    const withFile = { ...request, inputImages: [{ kind: 'file' as const, source: 'a.png', fileName: 'a.png', bytes: new Uint8Array(1), info: { format: 'png' as const, width: 1, height: 1, hasAlpha: false } }] };
    const error = await rejection(() => createModellixProvider(rig.test.context).submit(withFile, testSignal()));
    assert.ok(isProviderError(error));
    assert.match(error.message, /not uploaded/);
    assert.equal(rig.fake.requests().length, 0);
  });
});
