import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mapBounded } from '../../../src/core/concurrency';
import type { Logger } from '../../../src/core/logger';
import { createProvider } from '../../../src/providers/registry';
import { createWindowHttp } from '../../../src/host/windowHttp';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { resolve } from '../providers/openAiTestSupport';

const key = 'sk-test-window-http-key';
const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const entries = 24;

describe("the window's HTTP client under a provider rate limit (the real OpenAI fake answers 429 beyond it)", () => {
  let fake: FakeOpenAi;
  before(async () => {
    // 40 requests a second, 2 at once: far below the 16 entries Run Image Batch starts at once.
    fake = await startFakeOpenAi({ flavour: 'openai', expectedKey: key, rateLimit: { perSecond: 40, burst: 2 }, latencyMs: 30 });
  });
  after(async () => {
    await fake.close();
  });

  it('adapts per provider instead of storming: every request made once, fewer 429s than requests', async () => {
    const http = createWindowHttp({ proxy: undefined, noProxy: [], log });
    try {
      const provider = createProvider('openai', { baseUrl: fake.baseUrl, http, log, now: () => Date.now(), requestTimeoutMs: 30_000, getApiKey: async () => key });
      const outcomes = await mapBounded(Array.from({ length: entries }, (_, index) => index), 16, (index) =>
        provider.submit(resolve({ provider: 'openai', prompt: `Window entry ${index + 1}` }), new AbortController().signal),
      );
      assert.equal(outcomes.length, entries);
      assert.equal(fake.served.length, entries, 'each request answered with its image once');
      // Without the adaptive limit the same 16 at once are refused most of every round (about 80 429s).
      assert.ok(fake.rateLimitedCount() < entries, `${fake.rateLimitedCount()} 429s for ${entries} requests`);
    } finally {
      await http.close();
    }
  });
});
