import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import {
  authorizationFor,
  classifyNetworkError,
  createHttpClient,
  describeHeaders,
  kindForStatus,
  networkErrorCode,
  readBytes,
  readText,
  redactUrl,
  retryAfterFromHeaders,
} from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import { resetConnection, sendJson, startLoopbackServer } from '../../fake-providers/server';
import type { LoopbackServer } from '../../fake-providers/server';
import { assertNoKey, capturingLogger } from '../providers/asyncProviderHarness';

const key = 'sk-test-openai-key';

describe('http: redaction', () => {
  it('never prints credentials in header descriptions', () => {
    const text = describeHeaders({ Authorization: `Bearer ${key}`, 'x-api-key': key, Cookie: 'a=b', 'content-type': 'application/json' });
    assert.equal(text, '{ Authorization: [redacted], x-api-key: [redacted], Cookie: [redacted], content-type: application/json }');
    assert.equal(describeHeaders(undefined), '');
  });

  it('drops user info and signed query strings from logged URLs', () => {
    assert.equal(redactUrl('https://user:pw@cdn.example.invalid/a.png?X-Amz-Signature=abc&X-Amz-Expires=60'), 'https://cdn.example.invalid/a.png?[redacted]');
    assert.equal(redactUrl('https://api.apixo.ai/api/v1/statusTask/gpt-image-2?taskId=t1'), 'https://api.apixo.ai/api/v1/statusTask/gpt-image-2?taskId=t1');
    assert.equal(redactUrl('::'), '[unparseable url]');
  });

  it('sends the key only to the configured origin', () => {
    assert.deepEqual(authorizationFor('https://api.openai.com/v1', 'https://api.openai.com/v1/images/edits', key), { authorization: `Bearer ${key}` });
    for (const url of ['https://cdn.example.invalid/x.png', 'http://api.openai.com/v1/images', 'https://api.openai.com:8443/v1']) {
      assert.throws(
        () => authorizationFor('https://api.openai.com/v1', url, key),
        (error: unknown) => isProviderError(error) && error.kind === 'permission' && !error.message.includes(key),
      );
    }
  });
});

describe('http: classification', () => {
  it('maps statuses to kinds and retryability', () => {
    assert.deepEqual(kindForStatus(400), { kind: 'badRequest', retryable: false });
    assert.deepEqual(kindForStatus(401), { kind: 'auth', retryable: false });
    assert.deepEqual(kindForStatus(402), { kind: 'quota', retryable: false });
    assert.deepEqual(kindForStatus(403), { kind: 'permission', retryable: false });
    assert.deepEqual(kindForStatus(404), { kind: 'notFound', retryable: false });
    assert.deepEqual(kindForStatus(408), { kind: 'timeout', retryable: true });
    assert.deepEqual(kindForStatus(429), { kind: 'rateLimit', retryable: true });
    assert.deepEqual(kindForStatus(503), { kind: 'server', retryable: true });
    assert.deepEqual(kindForStatus(418), { kind: 'badRequest', retryable: false });
  });

  it('reads Retry-After from headers', () => {
    assert.equal(retryAfterFromHeaders({ 'retry-after': '3' }), 3000);
    assert.equal(retryAfterFromHeaders({ 'retry-after-ms': '250' }), 250);
    assert.equal(retryAfterFromHeaders({}), undefined);
  });

  it('walks .cause for a network code', () => {
    const error = new Error('fetch failed', { cause: new Error('inner', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }) });
    assert.equal(networkErrorCode(error), 'ECONNRESET');
    assert.equal(networkErrorCode(new Error('plain')), undefined);
  });

  it('classifies a paid failure by whether it was sent, never by its code', () => {
    const request = { paid: true, provider: 'OpenAI', url: 'https://api.openai.com/v1/images/generations', timeoutMs: 300_000 };
    const coded = (code: string): Error => Object.assign(new Error('x'), { code });
    // Before the request was handed to a connected socket nothing can have been charged.
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ERR_SSL_WRONG_VERSION_NUMBER', 'UND_ERR_ABORTED']) {
      const notSent = classifyNetworkError(coded(code), request, { timedOut: false, sent: false });
      assert.equal(notSent.kind, 'network', code);
      assert.equal(notSent.retryable, true, code);
      assert.match(notSent.message, /not sent, so nothing was charged/, code);
    }
    // After it, whatever the code says (EHOSTUNREACH and ECONNREFUSED included), the outcome is open.
    for (const code of ['ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED', 'ENOTFOUND', 'UND_ERR_SOCKET']) {
      const sent = classifyNetworkError(coded(code), request, { timedOut: false, sent: true });
      assert.equal(sent.kind, 'unknownOutcome', code);
      assert.equal(sent.retryable, false, code);
    }
    const timedOut = classifyNetworkError(new Error('timeout'), request, { timedOut: true, sent: true });
    assert.equal(timedOut.kind, 'unknownOutcome');
    assert.match(timedOut.message, /did not answer within 300 s/);
    const timedOutConnecting = classifyNetworkError(new Error('timeout'), request, { timedOut: true, sent: false });
    assert.equal(timedOutConnecting.kind, 'timeout');
    assert.match(timedOutConnecting.message, /not sent/);
    const poll = classifyNetworkError(coded('ECONNRESET'), { ...request, paid: false }, { timedOut: false, sent: true });
    assert.equal(poll.kind, 'network');
    assert.equal(poll.retryable, true);
  });

  it('names a proxy that refused CONNECT', () => {
    const refused = Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' });
    const error = classifyNetworkError(refused, { paid: true, provider: 'OpenAI', url: 'https://api.openai.com/v1', timeoutMs: 1000 }, { timedOut: false, sent: false });
    assert.equal(error.kind, 'network');
    assert.match(error.message, /^The proxy refused to connect to OpenAI at api\.openai\.com \(HTTP 407\)\. The request was not sent, so nothing was charged\./);
  });
});

describe('http: client against a loopback server', () => {
  let server: LoopbackServer;
  let client: HttpClient;
  const log = capturingLogger();

  before(async () => {
    server = await startLoopbackServer((request, _body, response) => {
      if (request.url === '/reset') return resetConnection(response);
      if (request.url === '/big') return sendJson(response, 200, 'x'.repeat(5000));
      if (request.url === '/chunked') return void sendChunked(response);
      if (request.url === '/midbody-reset') return startBody(response, () => resetConnection(response));
      if (request.url === '/midbody-stall') return startBody(response, () => undefined);
      // The whole request was read (the fake reads bodies first); the answer never comes.
      if (request.url === '/hold') return;
      sendJson(response, 200, { ok: true }, { 'x-request-id': 'req_1' });
    });
    client = createHttpClient({ log });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('sends headers and logs the request without the key', async () => {
    const response = await client.send({
      method: 'POST',
      url: `${server.origin}/ok`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 5000,
      signal: new AbortController().signal,
      paid: true,
      provider: 'OpenAI',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-request-id'], 'req_1');
    assert.deepEqual(JSON.parse(await readText(response)), { ok: true });
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${key}`);
    assert.ok(log.lines.some((line) => line.includes('authorization: [redacted]')));
    assert.ok(log.lines.some((line) => line.includes('(request id req_1)')));
    assertNoKey(key, ...log.lines);
  });

  it('turns a reset after sending a paid request into unknownOutcome', async () => {
    await assert.rejects(
      client.send({ method: 'POST', url: `${server.origin}/reset`, body: '{}', timeoutMs: 5000, signal: new AbortController().signal, paid: true, provider: 'OpenAI' }),
      (error: unknown) => isProviderError(error) && error.kind === 'unknownOutcome' && error.retryable === false,
    );
  });

  it('refuses a body over the limit', async () => {
    const response = await client.send({ method: 'GET', url: `${server.origin}/big`, timeoutMs: 5000, signal: new AbortController().signal, paid: false, provider: 'OpenAI' });
    await assert.rejects(readBytes(response, 1000), (error: unknown) => isProviderError(error) && error.kind === 'invalidResponse');
  });

  it('refuses a chunked body (no Content-Length) once it passes the limit', async () => {
    const response = await client.send({ method: 'GET', url: `${server.origin}/chunked`, timeoutMs: 5000, signal: new AbortController().signal, paid: false, provider: 'OpenAI' });
    assert.equal(response.headers['content-length'], undefined);
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    await assert.rejects(readBytes(response, 3000), (error: unknown) => isProviderError(error) && error.kind === 'invalidResponse' && /larger than/.test(error.message));
    const whole = await client.send({ method: 'GET', url: `${server.origin}/chunked`, timeoutMs: 5000, signal: new AbortController().signal, paid: false, provider: 'OpenAI' });
    assert.equal((await readBytes(whole, 6000)).byteLength, 6000);
  });

  it('classifies a body that breaks midway: retryable for a GET, unknownOutcome for a paid POST', async () => {
    const get = await client.send({ method: 'GET', url: `${server.origin}/midbody-reset`, timeoutMs: 5000, signal: new AbortController().signal, paid: false, provider: 'Modellix' });
    await assert.rejects(readText(get), (error: unknown) => isProviderError(error) && error.kind === 'network' && error.retryable);
    const post = await client.send({ method: 'POST', url: `${server.origin}/midbody-reset`, body: '{}', timeoutMs: 5000, signal: new AbortController().signal, paid: true, provider: 'Modellix' });
    await assert.rejects(readText(post), (error: unknown) => isProviderError(error) && error.kind === 'unknownOutcome' && !error.retryable);
  });

  it('classifies a body that stalls past the per-attempt timeout as a retryable timeout', async () => {
    const response = await client.send({ method: 'GET', url: `${server.origin}/midbody-stall`, timeoutMs: 300, signal: new AbortController().signal, paid: false, provider: 'APIXO' });
    await assert.rejects(readBytes(response, 10_000), (error: unknown) => isProviderError(error) && error.kind === 'timeout' && error.retryable);
  });

  it('a cancel while the body arrives: aborted for a GET, unknownOutcome for a paid POST', async () => {
    const getController = new AbortController();
    const get = await client.send({ method: 'GET', url: `${server.origin}/midbody-stall`, timeoutMs: 5000, signal: getController.signal, paid: false, provider: 'APIXO' });
    setTimeout(() => getController.abort(), 50);
    await assert.rejects(readBytes(get, 10_000), (error: unknown) => isProviderError(error) && error.kind === 'aborted');
    const postController = new AbortController();
    const post = await client.send({ method: 'POST', url: `${server.origin}/midbody-stall`, body: '{}', timeoutMs: 5000, signal: postController.signal, paid: true, provider: 'APIXO' });
    setTimeout(() => postController.abort(), 50);
    await assert.rejects(
      readBytes(post, 10_000),
      (error: unknown) => isProviderError(error) && error.kind === 'unknownOutcome' && error.message === 'Cancelled while the request to APIXO was in flight: it may have been accepted (and charged).',
    );
  });

  it('a cancel after a paid request was fully sent is an unknown outcome', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await assert.rejects(
      client.send({ method: 'POST', url: `${server.origin}/hold`, body: '{"prompt":"x"}', timeoutMs: 5000, signal: controller.signal, paid: true, provider: 'OpenAI' }),
      (error: unknown) => isProviderError(error) && error.kind === 'unknownOutcome' && /^Cancelled while the request to OpenAI was in flight/.test(error.message),
    );
  });

  it('a cancel before a paid request was handed to a connection stays a plain cancel', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(
      client.send({ method: 'POST', url: `${server.origin}/ok`, body: '{}', timeoutMs: 5000, signal: before.signal, paid: true, provider: 'OpenAI' }),
      (error: unknown) => isProviderError(error) && error.kind === 'aborted',
    );
  });

  it('reports a refused connection as a retryable network error, even when paid', async () => {
    const closed = await startLoopbackServer(() => undefined);
    const url = `${closed.origin}/x`;
    await closed.close();
    await assert.rejects(
      client.send({ method: 'POST', url, body: '{}', timeoutMs: 5000, signal: new AbortController().signal, paid: true, provider: 'OpenAI' }),
      (error: unknown) => isProviderError(error) && error.kind === 'network' && error.retryable,
    );
  });
});

/** 6000 bytes in three chunks without a Content-Length (chunked transfer encoding). */
async function sendChunked(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  for (let chunk = 0; chunk < 3; chunk++) {
    await new Promise<void>((resolve) => response.write(Buffer.alloc(2000, 0x61), () => resolve()));
  }
  response.end();
}

/** Headers and the first 100 of 1000 promised bytes, then `then` (a reset, or nothing: a stall until the client leaves). */
function startBody(response: ServerResponse, then: () => void): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
  response.write(Buffer.alloc(100, 0x20), then);
}
