import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { resultUnavailableCode } from '../../../src/core/resultLinks';
import { downloadResult } from '../../../src/providers/download';
import { createHttpClient } from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { makePng } from '../../fake-providers/png';
import { capturingLogger, rejection, testSignal } from './asyncProviderHarness';

describe('downloadResult against a second-origin CDN', () => {
  let cdn: FakeCdn;
  let http: HttpClient;
  const png = makePng({ width: 32, height: 24, seed: 5 });
  const fast = { provider: 'Modellix', retries: 3, baseDelayMs: 10 };

  before(async () => {
    cdn = await startFakeCdn();
    http = createHttpClient({ log: capturingLogger() });
  });
  after(async () => {
    await http.close();
    await cdn.close();
  });
  beforeEach(() => cdn.reset());

  it('returns the exact bytes and never sends an Authorization header', async () => {
    const url = cdn.put(png);
    const bytes = await downloadResult(http, url, { ...fast, signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes), png);
    assert.equal(cdn.requests().length, 1);
    assert.equal(cdn.requests()[0]?.method, 'GET');
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('follows redirects on the result host', async () => {
    const url = cdn.redirectTo(cdn.put(png), 2);
    const bytes = await downloadResult(http, url, { ...fast, signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes), png);
    assert.deepEqual(
      cdn.requests().map((request) => request.url.split('/')[1]),
      ['redirect', 'redirect', 'files'],
    );
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('refuses a body over the size cap without retrying', async () => {
    const big = Buffer.concat([png.subarray(0, 16), Buffer.alloc(2 * 1024 * 1024)]);
    const url = cdn.put(big);
    const error = await rejection(() => downloadResult(http, url, { ...fast, maxBytes: 1024 * 1024, signal: testSignal() }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'invalidResponse');
    assert.match(error.message, /larger than the 1 MB limit/);
    assert.equal(cdn.requests().length, 1);
  });

  it('refuses an HTML page served with status 200', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'notImage' });
    const error = await rejection(() => downloadResult(http, url, { ...fast, signal: testSignal() }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'invalidResponse');
    assert.match(error.message, /an HTML page, not a PNG, JPEG or WebP image/);
    // A challenge page may give way to the image: the job decides whether to try again later.
    assert.equal(error.code, resultUnavailableCode);
    assert.equal(cdn.requests().length, 1);
  });

  it('refuses a GIF: the bytes decide, not the extension', async () => {
    const url = cdn.put(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), { extension: 'png' });
    const error = await rejection(() => downloadResult(http, url, { ...fast, signal: testSignal() }));
    assert.ok(isProviderError(error));
    assert.match(error.message, /a GIF image, not a PNG/);
    // Another image format will not turn into a PNG later: a definite failure.
    assert.equal(error.code, undefined);
  });

  it('retries 503, 429 and a reset, then returns the image', async () => {
    const url = cdn.put(png);
    cdn.faults.push(
      { on: 'download', kind: 'status', status: 503 },
      { on: 'download', kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { on: 'download', kind: 'reset' },
    );
    const bytes = await downloadResult(http, url, { ...fast, signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes), png);
    assert.equal(cdn.requests().length, 4);
  });

  it('retries a body that stalls midway (the per-attempt timeout), then returns the image', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'stallMidBody' });
    const bytes = await downloadResult(http, url, { ...fast, timeoutMs: 300, signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes), png);
    assert.equal(cdn.requests().length, 2);
  });

  it('retries a body cut off midway and fails as a network error once the retries are spent', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'resetMidBody', times: 10 });
    const error = await rejection(() => downloadResult(http, url, { ...fast, retries: 2, signal: testSignal() }));
    assert.ok(isProviderError(error), `a classified error, not ${String(error)}`);
    assert.equal(error.kind, 'network');
    assert.equal(error.retryable, true);
    assert.equal(cdn.requests().length, 3);
  });

  it('retries a close-delimited body cut off midway (HTTP sees a whole answer), then returns the whole image', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'closeMidBody' });
    const bytes = await downloadResult(http, url, { ...fast, signal: testSignal() });
    assert.deepEqual(Buffer.from(bytes), png);
    assert.equal(cdn.requests().length, 2);
  });

  for (const kind of ['closeMidBody', 'truncatedFile'] as const) {
    it(`never returns a short image (${kind}): after the retries it is an invalidResponse naming the result`, async () => {
      const url = cdn.put(png);
      cdn.faults.push({ on: 'download', kind, times: 10 });
      const error = await rejection(() => downloadResult(http, url, { ...fast, retries: 2, signal: testSignal() }));
      assert.ok(isProviderError(error), `a classified error, not ${String(error)}`);
      assert.equal(error.kind, 'invalidResponse');
      // Retryable: the task stays 'downloading', so a resume tries the (free) GET again.
      assert.equal(error.retryable, true);
      assert.ok(error.message.includes(url.replace(/\?.*$/, '')), error.message);
      assert.match(error.message, /arrived incomplete \(a PNG .*\); it was not saved/);
      assert.equal(cdn.requests().length, 3);
    });
  }

  it('is cancelled, not failed, when the user cancels while the body arrives', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'stallMidBody' });
    const controller = new AbortController();
    const pending = downloadResult(http, url, { ...fast, signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    const error = await rejection(() => pending);
    assert.ok(isProviderError(error), `a classified error, not ${String(error)}`);
    assert.equal(error.kind, 'aborted');
    assert.equal(cdn.requests().length, 1);
  });

  it('gives up after the retries with the last status', async () => {
    const url = cdn.put(png);
    cdn.faults.push({ on: 'download', kind: 'status', status: 502, times: 10 });
    const error = await rejection(() => downloadResult(http, url, { ...fast, retries: 2, signal: testSignal() }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.equal(cdn.requests().length, 3);
  });

  it('treats 404 as a link not available now, not worth retrying at once (the caller knows whether it expired)', async () => {
    const error = await rejection(() => downloadResult(http, `${cdn.origin}/files/gone.png`, { ...fast, signal: testSignal() }));
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'notFound');
    assert.equal(error.code, resultUnavailableCode);
    assert.match(error.message, /not available \(HTTP 404\)/);
    // Whether it expired depends on when the task finished: only the job knows that.
    assert.doesNotMatch(error.message, /expire/);
    assert.equal(cdn.requests().length, 1);
  });

  it('refuses non-http URLs without any request', async () => {
    for (const url of ['file:///etc/passwd', 'data:image/png;base64,AAAA', 'not a url']) {
      const error = await rejection(() => downloadResult(http, url, { ...fast, signal: testSignal() }));
      assert.ok(isProviderError(error));
      assert.equal(error.kind, 'invalidResponse');
    }
    assert.equal(cdn.requests().length, 0);
  });

  it('stops when cancelled', async () => {
    const url = cdn.put(png);
    const controller = new AbortController();
    cdn.faults.push({ on: 'download', kind: 'status', status: 503, times: 10 });
    const pending = downloadResult(http, url, { provider: 'APIXO', retries: 5, baseDelayMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(() => pending);
    assert.ok(isProviderError(error));
    assert.equal(error.kind, 'aborted');
  });
});
