import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runFreeCheck } from '../../../src/providers/freeCheck';
import { createHttpClient } from '../../../src/providers/http';
import { startFakeApixo } from '../../fake-providers/apixo';
import type { FakeApixo } from '../../fake-providers/apixo';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { capturingLogger } from './asyncProviderHarness';

const key = 'sk-test-free-check-key';

describe('Check Setup free requests against the fakes (docs/providers.md §2.9)', () => {
  let cdn: FakeCdn;
  let openai: FakeOpenAi;
  let gravitex: FakeOpenAi;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  const http = createHttpClient({ log: capturingLogger() });
  const options = (baseUrl: string) => ({ baseUrl, http, apiKey: key, signal: new AbortController().signal, timeoutMs: 5000 });

  before(async () => {
    cdn = await startFakeCdn();
    openai = await startFakeOpenAi({ flavour: 'openai', expectedKey: key });
    gravitex = await startFakeOpenAi({ flavour: 'gravitex', expectedKey: key });
    modellix = await startFakeModellix({ cdn, apiKey: key });
    apixo = await startFakeApixo({ cdn, apiKey: key });
  });
  after(async () => {
    await http.close();
    await Promise.all([openai.close(), gravitex.close(), modellix.close(), apixo.close(), cdn.close()]);
  });

  it('OpenAI: one GET /models with the key, and nothing paid', async () => {
    openai.reset();
    const result = await runFreeCheck('openai', options(openai.baseUrl));
    assert.deepEqual(result, { kind: 'answered', keyAccepted: true, detail: 'the model list has 2 models' });
    const sent = openai.apiRequests();
    assert.deepEqual(sent.map((request) => `${request.method} ${request.url}`), ['GET /v1/models']);
    assert.equal(sent[0]?.headers.authorization, `Bearer ${key}`);
  });

  it('Gravitex has no free request: nothing is sent at all', async () => {
    gravitex.reset();
    assert.deepEqual(await runFreeCheck('gravitex', options(gravitex.baseUrl)), { kind: 'noFreeEndpoint' });
    assert.equal(gravitex.apiRequests().length, 0);
  });

  it('Modellix: GET /apikey/validate; an invalid key is a failed check though HTTP worked', async () => {
    modellix.reset();
    assert.deepEqual(await runFreeCheck('modellix', options(modellix.baseUrl)), { kind: 'answered', keyAccepted: true, detail: 'the key check says the key is valid' });
    modellix.fault({ on: 'validate', kind: 'status', status: 200, body: { code: 0, message: 'success', data: { is_valid: false } } });
    const invalid = await runFreeCheck('modellix', options(modellix.baseUrl));
    assert.equal(invalid.kind === 'answered' && invalid.keyAccepted, false);
    assert.deepEqual(modellix.requests().map((request) => `${request.method} ${request.url}`), ['GET /api/v1/apikey/validate', 'GET /api/v1/apikey/validate']);
  });

  it('APIXO: GET /apikeys/current-balance reports the balance', async () => {
    apixo.reset();
    assert.deepEqual(await runFreeCheck('apixo', options(apixo.baseUrl)), { kind: 'answered', keyAccepted: true, detail: 'the account balance is 74.87 USD' });
    assert.deepEqual(apixo.requests().map((request) => `${request.method} ${request.url}`), ['GET /api/v1/apikeys/current-balance']);
  });

  it('a failing provider is reported with its status, once: a check is never retried', async () => {
    apixo.reset();
    apixo.fault({ on: 'balance', kind: 'status', status: 503, times: 5 });
    const result = await runFreeCheck('apixo', options(apixo.baseUrl));
    assert.equal(result.kind, 'refused');
    assert.match(result.kind === 'refused' ? result.detail : '', /APIXO answered HTTP 503: Injected 503/);
    assert.equal(apixo.requests().length, 1);
  });

  it('a wrong key is a 401 whose text is not quoted (a gateway may echo the key)', async () => {
    openai.reset();
    openai.configure({ echoAuthorization: true });
    const result = await runFreeCheck('openai', { ...options(openai.baseUrl), apiKey: 'sk-wrong-key-echoed' });
    assert.deepEqual(result, { kind: 'refused', status: 401, detail: 'OpenAI answered HTTP 401' });
  });

  it('a base URL where nothing listens is unreachable, with the URL in the words', async () => {
    const closed = await startFakeOpenAi({ flavour: 'openai' });
    const baseUrl = closed.baseUrl;
    await closed.close();
    const result = await runFreeCheck('openai', options(baseUrl));
    assert.equal(result.kind, 'unreachable');
    assert.ok(result.kind === 'unreachable' && result.detail.startsWith(`OpenAI did not answer at ${baseUrl}`), JSON.stringify(result));
  });
});
