import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBatch } from '../../../src/cli/batchLoad';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { JobOwner } from '../../../src/core/jobOwner';
import { createJobRunner } from '../../../src/core/jobRunner';
import type { Logger } from '../../../src/core/logger';
import { downloadResult } from '../../../src/providers/download';
import { createProvider } from '../../../src/providers/registry';
import type * as BatchRunModule from '../../../src/host/batchRun';
import { createWindowHttp } from '../../../src/host/windowHttp';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { installFakeVscode } from '../webview/fakeVscode';

// The notification is the only editor API a batch run touches on this path; the rest is real.
installFakeVscode({
  ProgressLocation: { Notification: 15 },
  window: { withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) }) },
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runBatchWithProgress } = require('../../../src/host/batchRun') as typeof BatchRunModule;

const key = 'sk-test-window-batch-key';
const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const entries = 24;

describe("Run Image Batch in a window under a provider rate limit (the window's HTTP client, the real OpenAI fake answering 429 beyond it)", () => {
  let fake: FakeOpenAi;
  before(async () => {
    // 40 requests a second, 2 at once: far below the 16 entries Run Image Batch starts at once.
    fake = await startFakeOpenAi({ flavour: 'openai', expectedKey: key, rateLimit: { perSecond: 40, burst: 2 }, latencyMs: 30 });
  });
  after(async () => {
    await fake.close();
  });

  it('adapts per provider instead of storming: every entry made once, fewer 429s than entries', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-window-batch-'));
    writeFileSync(join(root, 'many.images.yaml'), `images:\n${Array.from({ length: entries }, (_, index) => `  - name: e${index + 1}\n    prompt: Window entry ${index + 1}\n`).join('')}`);
    const http = createWindowHttp({ proxy: undefined, noProxy: [], log });
    const runner = createJobRunner({
      provider: (id) => createProvider(id, { baseUrl: fake.baseUrl, http, log, now: () => Date.now(), requestTimeoutMs: 30_000, getApiKey: async () => key }),
      baseUrlFor: () => fake.baseUrl,
      ownerId: 'window:test',
      journal: createFileJournalStore(join(root, 'home')),
      writer: createFileImageWriter(),
      rescue: createFileRescueStore(join(root, 'home')),
      log,
      now: () => Date.now(),
      download: (url, options) => downloadResult(http, url, { ...options, baseDelayMs: 20 }),
    });
    const owner = new JobOwner(runner, log);
    try {
      const batch = await loadBatch({ file: 'many.images.yaml' }, root);
      const summary = await runBatchWithProgress({
        owner,
        log,
        title: 'many.images.yaml',
        targets: batch.plan.targets,
        skipped: 0,
        resolveOut: (out) => ({ toString: () => resolve(root, out) }) as never,
        journaled: [],
        concurrency: 16,
        batchFile: 'many.images.yaml',
      });
      assert.deepEqual([...summary.failed, ...summary.unknown], []);
      assert.equal(summary.made, entries);
      assert.equal((await readdir(join(root, 'images'))).filter((name) => name.endsWith('.png')).length, entries);
      const requests = fake.apiRequests();
      const prompts = fake.served.map((image) => (JSON.parse(requests[image.requestIndex]?.body.toString('utf8') ?? '{}') as { prompt: string }).prompt);
      assert.equal(prompts.length, entries, 'one image per entry');
      assert.equal(new Set(prompts).size, entries, 'an entry was answered twice');
      // Without the adaptive limit the same 16 at once are refused most of every round.
      assert.ok(fake.rateLimitedCount() < entries, `${fake.rateLimitedCount()} 429s for ${entries} entries`);
    } finally {
      await owner.dispose();
      await http.close();
    }
  });
});
