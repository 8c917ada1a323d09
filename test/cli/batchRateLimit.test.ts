import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { imagesIn, runCli, sandbox } from './cliHarness';

const entries = 24;

describe('gpt-image batch under a provider rate limit (built CLI against the rate-limited OpenAI fake)', () => {
  let openai: FakeOpenAi;

  before(async () => {
    // 40 requests a second, 2 at once: far below --concurrency 16.
    openai = await startFakeOpenAi({ flavour: 'openai', rateLimit: { perSecond: 40, burst: 2 }, latencyMs: 30 });
  });
  after(async () => {
    await openai.close();
  });

  it('adapts instead of storming: every entry made once, fewer 429s than entries', async () => {
    const box = sandbox({ GPT_IMAGE_OPENAI_BASE_URL: openai.baseUrl });
    const text = `images:\n${Array.from({ length: entries }, (_, index) => `  - name: e${index + 1}\n    prompt: Entry ${index + 1}\n`).join('')}`;
    writeFileSync(join(box.cwd, 'many.images.yaml'), text);
    const result = await runCli(['batch', 'many.images.yaml', '--concurrency', '16'], box);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(imagesIn(join(box.cwd, 'images')).length, entries);
    const requests = openai.apiRequests();
    const prompts = openai.served.map((image) => (JSON.parse(requests[image.requestIndex]?.body.toString('utf8') ?? '{}') as { prompt: string }).prompt);
    assert.equal(new Set(prompts).size, entries, 'an entry was answered twice');
    assert.equal(prompts.length, entries);
    // Without the adaptive limit, 16 at once against a burst of 2 refuses most of every round (84
    // 429s for these 24 entries when it was taken out); with it, about 10.
    assert.ok(openai.rateLimitedCount() < entries, `${openai.rateLimitedCount()} 429s for ${entries} entries`);
  });
});
