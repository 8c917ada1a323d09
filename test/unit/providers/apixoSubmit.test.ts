import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInputError, isProviderError } from '../../../src/core/errors';
import { validateRequest } from '../../../src/core/request';
import { createApixoProvider } from '../../../src/providers/apixo/apixoProvider';
import { startFakeApixo } from '../../fake-providers/apixo';
import { makePng } from '../../fake-providers/png';
import { assertNoKey, fakeProviderRig, jsonBody, rejection, resolve, testSignal } from './asyncProviderHarness';

const apiKey = 'sk-test-apixo-key';

describe('APIXO submit', () => {
  const rig = fakeProviderRig({ apiKey, start: (cdn) => startFakeApixo({ cdn, apiKey }) });

  const submit = (request: Parameters<typeof resolve>[0]) => createApixoProvider(rig.test.context).submit(resolve(request), testSignal());

  it('sends 3840x2160 as 16:9 at 4k to /generateTask/gpt-image-2, without quality or provider', async () => {
    const outcome = await submit({ provider: 'apixo', size: '3840x2160', quality: 'high' });
    assert.equal(outcome.kind, 'task');
    assert.equal(outcome.kind === 'task' && outcome.taskId, rig.fake.tasks.all()[0]?.id);
    const [request] = rig.fake.requests();
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/api/v1/generateTask/gpt-image-2');
    assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(jsonBody(request?.body ?? Buffer.from('{}')), {
      request_type: 'async',
      input: { mode: 'text-to-image', prompt: 'a lighthouse at dusk', aspect_ratio: '16:9', resolution: '4k' },
    });
    assertNoKey(apiKey, rig.test.log.lines.join('\n'));
  });

  it('warns when a pixel size changes shape, and sends aspect ratio and tier explicitly', async () => {
    const plan = validateRequest({ provider: 'apixo', model: 'gpt-image-2', prompt: 'p', size: '1536x1024' });
    assert.match(plan.warnings.join(' '), /1536x1024 becomes 4:3 at 2k/);
    await submit({ provider: 'apixo', size: 'auto' });
    await submit({ provider: 'apixo', size: '9:16@2k' });
    const inputs = rig.fake.requests().map((request) => (jsonBody(request.body) as { input: Record<string, unknown> }).input);
    assert.deepEqual(inputs.map((input) => [input.aspect_ratio, input.resolution]), [['auto', '1k'], ['9:16', '2k']]);
  });

  it('sends image-to-image with the public URLs as given', async () => {
    const urls = ['https://images.example/a.png', 'https://images.example/b.jpg'];
    await submit({ provider: 'apixo', size: '1:1@1k', prompt: 'merge these', inputImages: urls.map((url) => ({ kind: 'url', url })) });
    assert.deepEqual(jsonBody(rig.fake.requests()[0]?.body ?? Buffer.from('{}')), {
      request_type: 'async',
      input: { mode: 'image-to-image', prompt: 'merge these', image_urls: urls, aspect_ratio: '1:1', resolution: '1k' },
    });
  });

  it('refuses a local file before anything is sent, naming providers that can edit one', async () => {
    const png = makePng({ width: 16, height: 16 });
    const validation = await rejection(async () =>
      validateRequest({ provider: 'apixo', model: 'gpt-image-2', prompt: 'p', size: 'auto', inputImages: [{ kind: 'file', source: 'logo.png', fileName: 'logo.png', bytes: png }] }),
    );
    assert.ok(isInputError(validation));
    assert.match(validation.message, /APIXO needs a public https image URL.*logo\.png.*OpenAI, Gravitex, Modellix can edit a local file/);
    // Even if a caller skipped validation, the provider itself refuses.
    const base = resolve({ provider: 'apixo' });
    const forced = { ...base, inputImages: [{ kind: 'file' as const, source: 'logo.png', fileName: 'logo.png', bytes: png, info: { format: 'png' as const, width: 16, height: 16, hasAlpha: false } }] };
    const error = await rejection(() => createApixoProvider(rig.test.context).submit(forced, testSignal()));
    assert.ok(isProviderError(error));
    assert.match(error.message, /APIXO needs a public https image URL/);
    assert.equal(rig.fake.requests().length, 0);
  });

  it('says the balance is insufficient on 402, without retrying', async () => {
    rig.fake.fault({ on: 'submit', kind: 'status', status: 402, message: 'Insufficient credits' });
    const error = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'quota');
    assert.equal(error.retryable, false);
    assert.match(error.message, /^Your APIXO balance is insufficient \(Insufficient credits\): top up at apixo\.ai\.$/);
    assert.equal(rig.fake.requests().length, 1);
  });

  it('reads "Insufficient credits" in a 400 as a balance problem, and other 400s with their message', async () => {
    rig.fake.fault({ on: 'submit', kind: 'status', status: 400, message: 'Insufficient credits' });
    const credits = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(credits));
    assert.equal(credits.kind, 'quota');
    rig.fake.fault({ on: 'submit', kind: 'envelope', code: 400, message: 'image_urls[0] is not a valid URL' });
    const bad = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(bad));
    assert.equal(bad.kind, 'badRequest');
    assert.match(bad.message, /image_urls\[0\] is not a valid URL/);
  });

  it('keeps an echoed key out of 400 and 401 errors, their stacks and the log', async () => {
    rig.fake.setKnobs({ echoAuthorization: true });
    rig.fake.fault({ on: 'submit', kind: 'status', status: 400, message: 'Invalid parameter: input.size' });
    const refused = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(refused));
    assert.equal(refused.kind, 'badRequest');
    assert.match(refused.message, /Invalid parameter: input\.size \(received Authorization: Bearer \[redacted\]\)/);
    rig.fake.fault({ on: 'submit', kind: 'status', status: 401, message: 'Invalid API key' });
    const auth = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(auth));
    assert.equal(auth.message, 'APIXO did not accept the API key: check that the APIXO key is set and still valid.');
    assert.ok(rig.fake.requests().every((request) => request.headers.authorization === `Bearer ${apiKey}`), 'the fake saw the key it echoes');
    assertNoKey(apiKey, refused, auth, JSON.stringify(refused), JSON.stringify(auth), ...rig.test.log.lines);
  });

  it('maps 401 and 403 as definite refusals', async () => {
    for (const [status, kind] of [[401, 'auth'], [403, 'permission']] as const) {
      rig.fake.fault({ on: 'submit', kind: 'status', status });
      const error = await rejection(() => submit({ provider: 'apixo' }));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, kind);
      assertNoKey(apiKey, error);
    }
  });

  for (const fault of [
    { name: 'a reset after the task was created', fault: { on: 'submit', kind: 'reset' } },
    { name: 'HTTP 500', fault: { on: 'submit', kind: 'status', status: 500 } },
    { name: 'HTTP 504', fault: { on: 'submit', kind: 'status', status: 504 } },
    { name: 'HTTP 429', fault: { on: 'submit', kind: 'status', status: 429 } },
    { name: 'code 502 inside HTTP 200', fault: { on: 'submit', kind: 'envelope', code: 502 } },
    { name: 'a 200 without a taskId', fault: { on: 'submit', kind: 'noTaskId' } },
  ] as const) {
    it(`turns ${fault.name} into unknownOutcome with exactly one submit`, async () => {
      rig.fake.fault(fault.fault);
      const error = await rejection(() => submit({ provider: 'apixo' }));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'unknownOutcome');
      assert.equal(error.retryable, false);
      assert.equal(rig.fake.requests().length, 1);
    });
  }

  it('is reachable over HTTP control from another process: faults in, requests out', async () => {
    const control = await fetch(`${rig.fake.origin}/__control`, {
      method: 'POST',
      body: JSON.stringify({ faults: [{ on: 'submit', kind: 'status', status: 402 }], knobs: { completeAfterPolls: 0 } }),
    });
    assert.deepEqual(await control.json(), { ok: true, pendingFaults: 1 });
    const error = await rejection(() => submit({ provider: 'apixo' }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'quota');
    const listed = (await (await fetch(`${rig.fake.origin}/__requests`)).json()) as { requests: { method: string; url: string; bodyText?: string }[] };
    assert.deepEqual(listed.requests.map((request) => `${request.method} ${request.url}`), ['POST /api/v1/generateTask/gpt-image-2']);
    assert.equal(rig.fake.knobs.completeAfterPolls, 0);
    await fetch(`${rig.fake.origin}/__reset`, { method: 'POST' });
    assert.equal(rig.fake.requests().length, 0);
    assert.equal(rig.fake.knobs.completeAfterPolls, 2);
  });
});
