import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { startFakeProxy } from '../fake-providers/transportFaults';
import type { FakeProxy } from '../fake-providers/transportFaults';
import { assertNoKeyLeak, fakeKeys, imagesIn, lines, runCli, sandbox } from './cliHarness';

// Issue 10 item 11 through the built CLI: a request a proxy refused never left (exit 1, the job
// failed, not "unknown"), and a key on plain http to any loopback address never passes a proxy.

function journalStates(home: string): string[] {
  const dir = join(home, 'jobs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { state: string }).state);
}

describe('gpt-image behind a proxy (built CLI, proxy and fakes on loopback)', () => {
  let openai: FakeOpenAi;
  let proxy: FakeProxy;

  before(async () => {
    // 127.0.0.5: loopback that no noProxy list spells out.
    openai = await startFakeOpenAi({ flavour: 'openai', host: '127.0.0.5' });
    proxy = await startFakeProxy({ refuse: 407 });
  });
  after(async () => {
    await openai.close();
    await proxy.close();
  });

  it('a proxy refusing CONNECT: exit 1, "not sent", the job failed (not unknown), nothing reached any provider', async () => {
    const box = sandbox({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
    const before = proxy.connects.length;
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A fox', '--base-url', 'https://api.example.invalid/v1'], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /The proxy refused to connect to OpenAI at api\.example\.invalid \(HTTP 407\)\. The request was not sent, so nothing was charged\./);
    assert.doesNotMatch(result.stderr, /may (still )?have been (accepted|charged)|marked unknown/);
    assert.equal(lines(result.stdout).length, 0);
    assert.deepEqual(journalStates(box.home), ['failed']);
    const connects = proxy.connects.slice(before);
    assert.ok(connects.length >= 1 && connects.every((target) => target === 'api.example.invalid:443'), connects.join(', '));
    assert.deepEqual(proxy.forwards, []);
  });

  it('a key on plain http to 127.0.0.5 goes straight there, whatever HTTPS_PROXY / HTTP_PROXY say', async () => {
    const box = sandbox({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, https_proxy: proxy.url, http_proxy: proxy.url });
    const connectsBefore = proxy.connects.length;
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A fox', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(openai.baseUrl.startsWith('http://127.0.0.5:'));
    assert.equal(lines(result.stdout).length, 1);
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 1);
    assert.equal(openai.apiRequests().at(-1)?.headers.authorization, `Bearer ${fakeKeys.OPENAI_API_KEY}`);
    assert.equal(proxy.connects.length, connectsBefore, 'the proxy saw no CONNECT');
    assert.deepEqual(proxy.forwards, [], 'and no plain request');
  });
});
