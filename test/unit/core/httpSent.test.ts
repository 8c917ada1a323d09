import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bypassesProxy, createHttpClient, readText } from '../../../src/providers/http';
import type { HttpClient, HttpRequest } from '../../../src/core/httpClient';
import { resetConnection, sendJson, startLoopbackServer } from '../../fake-providers/server';
import type { LoopbackServer } from '../../fake-providers/server';
import { startFakeProxy, startNotTlsServer } from '../../fake-providers/transportFaults';
import type { FakeProxy, NotTlsServer } from '../../fake-providers/transportFaults';
import { capturingLogger } from '../providers/asyncProviderHarness';
import { providerFailure as failure } from './fixtures';

// Issue 10 item 11: whether a paid request was sent is one fact (undici's onRequestSent), and
// loopback never goes through a proxy. Real sockets on loopback only: the proxy refuses every
// CONNECT and forwards nothing, so a target such as api.example.invalid is never looked up or reached.

const key = 'sk-test-openai-key';

function paidPost(url: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{"prompt":"a fox"}',
    timeoutMs: 5000,
    signal: new AbortController().signal,
    paid: true,
    provider: 'OpenAI',
    ...extra,
  };
}


describe('http: a paid request that never left is a plain network error', () => {
  for (const status of [407, 403, 502] as const) {
    it(`the proxy refuses CONNECT with ${status}: network error, not "may have been charged"`, async () => {
      const proxy = await startFakeProxy({ refuse: status });
      const client = createHttpClient({ proxy: proxy.url, log: capturingLogger() });
      try {
        const error = await failure(client.send(paidPost('https://api.example.invalid/v1/images/generations')));
        assert.equal(error.kind, 'network');
        assert.equal(error.retryable, true);
        assert.match(error.message, new RegExp(`^The proxy refused to connect to OpenAI at api\\.example\\.invalid \\(HTTP ${status}\\)\\. The request was not sent, so nothing was charged\\.`));
        assert.ok(!error.message.includes(key));
        assert.deepEqual(proxy.connects, ['api.example.invalid:443'], 'one CONNECT, refused');
        assert.deepEqual(proxy.forwards, []);
      } finally {
        await client.close();
        await proxy.close();
      }
    });
  }

  it('a cancel while the proxy has not answered CONNECT is a plain cancel, at once: nothing was sent', async () => {
    const proxy = await startFakeProxy({ hold: true });
    const client = createHttpClient({ proxy: proxy.url, log: capturingLogger() });
    const controller = new AbortController();
    let sent = false;
    try {
      const sending = failure(client.send(paidPost('https://api.example.invalid/v1/images/generations', { signal: controller.signal, onSent: () => (sent = true) })));
      while (proxy.connects.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const cancelled = Date.now();
      controller.abort();
      const error = await sending;
      assert.equal(error.kind, 'aborted', error.message);
      assert.ok(Date.now() - cancelled < 1000, 'settled at once, not after the connect timeout');
      assert.equal(sent, false, 'never reported as sent');
      assert.deepEqual(proxy.forwards, []);
    } finally {
      await proxy.close();
      await client.close();
    }
  });

  it('a plain-http target behind the proxy is tunnelled too, and a refusal there is not sent either', async () => {
    const proxy = await startFakeProxy({ refuse: 403 });
    const client = createHttpClient({ proxy: proxy.url, log: capturingLogger() });
    try {
      const error = await failure(client.send(paidPost('http://gateway.example.invalid/v1/tasks')));
      assert.equal(error.kind, 'network');
      assert.deepEqual(proxy.connects, ['gateway.example.invalid:80']);
      assert.deepEqual(proxy.forwards, [], 'the request itself never reached the proxy');
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('the TLS handshake fails: network error, and the server never saw an HTTP request', async () => {
    const server: NotTlsServer = await startNotTlsServer();
    const client = createHttpClient({ log: capturingLogger() });
    try {
      const error = await failure(client.send(paidPost(`${server.origin}/v1/images/generations`)));
      assert.equal(error.kind, 'network', error.message);
      assert.equal(error.retryable, true);
      assert.match(error.message, /not sent, so nothing was charged/);
      assert.ok(server.received.length >= 1);
      for (const bytes of server.received) {
        assert.equal(bytes[0], 0x16, 'a TLS handshake record');
        assert.ok(!bytes.toString('latin1').includes('POST'), 'no HTTP request in the clear');
      }
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('a refused connection (nothing listening) is a network error', async () => {
    const closed = await startLoopbackServer(() => undefined);
    const url = `${closed.origin}/v1/images/generations`;
    await closed.close();
    const client = createHttpClient({ log: capturingLogger() });
    try {
      const error = await failure(client.send(paidPost(url)));
      assert.equal(error.kind, 'network');
      assert.equal(error.code, 'ECONNREFUSED');
    } finally {
      await client.close();
    }
  });
});

describe('http: a paid request that was sent is never called "not sent"', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopbackServer((request, _body, response) => {
      if (request.url === '/reset') return resetConnection(response);
      sendJson(response, 200, { ok: true });
    });
  });
  after(() => server.close());

  it('through a working proxy too: sent once through the tunnel, then a reset is unknownOutcome', async () => {
    const proxy = await startFakeProxy({ tunnelTo: server.port });
    const client = createHttpClient({ proxy: proxy.url, log: capturingLogger() });
    try {
      const ok = await client.send(paidPost('http://gateway.example.invalid/ok'));
      assert.equal(ok.status, 200, 'the tunnel works');
      await readText(ok);
      const before = server.requests.length;
      const error = await failure(client.send(paidPost('http://gateway.example.invalid/reset')));
      assert.equal(error.kind, 'unknownOutcome', error.message);
      assert.equal(error.retryable, false);
      assert.equal(server.requests.length - before, 1);
      assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${key}`);
      assert.ok(proxy.connects.every((target) => target === 'gateway.example.invalid:80'));
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('the server reads the whole request, then resets: unknownOutcome, received once', async () => {
    const client = createHttpClient({ log: capturingLogger() });
    try {
      const before = server.requests.length;
      const error = await failure(client.send(paidPost(`${server.origin}/reset`)));
      assert.equal(error.kind, 'unknownOutcome');
      assert.equal(error.retryable, false);
      assert.equal(server.requests.length - before, 1);
      assert.equal(server.requests.at(-1)?.body.toString('utf8'), '{"prompt":"a fox"}', 'the whole body arrived');
    } finally {
      await client.close();
    }
  });
});

describe('http: loopback never goes through a proxy', () => {
  let proxy: FakeProxy;
  let elsewhere: LoopbackServer;
  let client: HttpClient;
  before(async () => {
    proxy = await startFakeProxy({ refuse: 403 });
    // 127.0.0.5: loopback, but not one of the names a noProxy list would spell out.
    elsewhere = await startLoopbackServer((_request, _body, response) => sendJson(response, 200, { ok: true }), 0, '127.0.0.5');
    client = createHttpClient({ proxy: proxy.url, noProxy: ['internal.example.invalid'], log: capturingLogger() });
  });
  after(async () => {
    await client.close();
    await elsewhere.close();
    await proxy.close();
  });

  it('a key on plain http to 127.0.0.5 goes straight there; the proxy sees nothing', async () => {
    const response = await client.send(paidPost(`${elsewhere.origin}/v1/images/generations`));
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(await readText(response)), { ok: true });
    assert.equal(elsewhere.requests.at(-1)?.headers.authorization, `Bearer ${key}`);
    const download = await client.send({ method: 'GET', url: `${elsewhere.origin}/result.png`, timeoutMs: 5000, signal: new AbortController().signal, paid: false, provider: 'OpenAI', followRedirects: true });
    assert.equal(download.status, 200);
    await readText(download);
    assert.deepEqual(proxy.connects, []);
    assert.deepEqual(proxy.forwards, []);
  });

  it('knows every spelling of loopback, and nothing else', () => {
    for (const origin of ['http://127.0.0.5:8080', 'http://127.255.255.254', 'http://localhost:3000', 'http://[::1]:3000', 'http://[::ffff:127.0.0.1]', 'https://127.1']) {
      assert.ok(bypassesProxy(origin), origin);
    }
    for (const origin of ['https://api.openai.com', 'http://128.0.0.1', 'http://127.0.0.1.example.invalid', 'http://[::2]', 'not a url', undefined]) {
      assert.ok(!bypassesProxy(origin), String(origin));
    }
  });
});
