import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerLine, providerVerdict, setupSummary } from '../../../src/host/setupReport';
import type { ProviderSetup } from '../../../src/host/setupReport';

const base = (url: string) => ({ ok: true as const, url });
const ready: ProviderSetup = { provider: 'openai', keyStored: true, baseUrl: base('http://127.0.0.1:1/v1'), check: { kind: 'answered', keyAccepted: true, detail: 'the model list has 2 models' } };
const failed: ProviderSetup = { provider: 'apixo', keyStored: true, baseUrl: base('http://127.0.0.1:2/api/v1'), check: { kind: 'refused', status: 503, detail: 'APIXO answered HTTP 503' } };
const unchecked: ProviderSetup = { provider: 'gravitex', keyStored: true, baseUrl: base('http://127.0.0.1:3/v1'), check: { kind: 'noFreeEndpoint' } };
const noKey: ProviderSetup = { provider: 'modellix', keyStored: false, baseUrl: base('http://127.0.0.1:4/api/v1'), check: undefined };

describe('Check Setup report', () => {
  it('gives each provider one verdict', () => {
    assert.deepEqual([ready, failed, unchecked, noKey].map(providerVerdict), ['ready', 'failed', 'unchecked', 'noKey']);
    assert.equal(providerVerdict({ ...ready, check: { kind: 'answered', keyAccepted: false, detail: 'says the key is not valid' } }), 'failed');
    assert.equal(providerVerdict({ ...noKey, baseUrl: { ok: false, error: 'plain http is for loopback only' } }), 'failed');
  });

  it('says which providers were not contacted and why', () => {
    assert.match(providerLine(unchecked), /Gravitex: key stored; base URL http:\/\/127\.0\.0\.1:3\/v1 not contacted: Gravitex has no request that costs nothing/);
    assert.match(providerLine(noKey), /Modellix: no key stored \(Set API Key… adds one\); base URL .* not contacted\./);
    assert.match(providerLine(failed), /APIXO: key stored; base URL .* FAILED: APIXO answered HTTP 503\./);
  });

  it('summarises failures first, and flags them as problems', () => {
    const summary = setupSummary([ready, failed, unchecked, noKey], [{ label: 'images', error: undefined }]);
    assert.equal(
      summary.message,
      'Check Setup: APIXO failed; OpenAI answers; Gravitex: key stored, not contacted (no free request); the output folder images is writable. Details are in the log.',
    );
    assert.equal(summary.problems, true);
  });

  it('is no problem when every stored key answers and the folder is writable', () => {
    const summary = setupSummary([ready, noKey], [{ label: 'images', error: undefined }]);
    assert.deepEqual(summary, { problems: false, message: 'Check Setup: OpenAI answers; the output folder images is writable.' });
  });

  it('a folder that cannot be written, or no folder at all, is a problem', () => {
    assert.equal(setupSummary([ready], [{ label: 'images', error: 'Cannot write' }]).problems, true);
    const none = setupSummary([noKey], []);
    assert.equal(none.problems, true);
    assert.match(none.message, /no API key is stored yet .*; no workspace folder is open/);
  });
});
