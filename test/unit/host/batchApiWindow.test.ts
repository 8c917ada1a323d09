import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { BatchJobRecord } from '../../../src/core/batch/batchApiJob';
import { createBatchRunner } from '../../../src/core/batch/batchApiRunner';
import type { Logger } from '../../../src/core/logger';
import type { SpendLimits } from '../../../src/core/spendLimits';
import { createHttpClient } from '../../../src/providers/http';
import { createOpenAiBatchApi } from '../../../src/providers/openai/batchApi';
import { batchApiJobFor } from '../../../src/providers/openai/batchApiJobFor';
import { createFileImageWriter } from '../../../src/cli/fileImageWriter';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { loadBatch } from '../../../src/cli/batchLoad';
import type * as BatchJobStoreModule from '../../../src/host/batchJobStore';
import type * as SpendLedgerStoreModule from '../../../src/host/spendLedgerStore';
import { BatchApiWindow } from '../../../src/host/batchApiWindow';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { FakeUri, installStorageVscode, vscodeLikeWorkspaceFs } from './fakeStorageVscode';

const { fs } = vscodeLikeWorkspaceFs();
installStorageVscode(fs);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createBatchJobStore } = require('../../../src/host/batchJobStore') as typeof BatchJobStoreModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSpendLedgerStore } = require('../../../src/host/spendLedgerStore') as typeof SpendLedgerStoreModule;

const key = 'sk-test-batch-window-key';
const warnings: string[] = [];
const log: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) };

const batchFile = `defaults: { provider: openai, size: 1024x1024, quality: low, out: images }
images:
  - name: icon
    prompt: A paper boat app icon
  - name: hero
    prompt: A watercolor harbour at dawn
    n: 2
  - name: banner
    prompt: A long banner of waves
`;

interface Rig {
  readonly root: string;
  readonly storage: FakeUri;
  readonly images: string;
  /** A window over the same storage, as a reloaded window (same owner id) or another one. */
  window(owner?: string): BatchApiWindow;
  init(): Promise<Parameters<BatchApiWindow['start']>[0]>;
}

describe("the window's Batch API jobs (host store over workspace.fs, the core runner, a real fake OpenAI Batch API)", { timeout: 60_000 }, () => {
  let fake: FakeOpenAi;
  // Every window a test opened is closed after it, passed or not: no poll outlives its test.
  const opened: BatchApiWindow[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((window) => window.dispose()));
  });
  const http = createHttpClient({ log });
  before(async () => {
    fake = await startFakeOpenAi({ flavour: 'openai', expectedKey: key });
  });
  after(async () => {
    await http.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.batch.configure({ stepMs: 40 });
  });

  const rig = async (): Promise<Rig> => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-batch-window-'));
    const storage = new FakeUri(join(root, 'storage'));
    const work = join(root, 'work');
    await mkdir(work, { recursive: true });
    await writeFile(join(work, 'site.images.yaml'), batchFile);
    const window = (owner = 'window:test'): BatchApiWindow => {
      const created = new BatchApiWindow({
        runner: createBatchRunner({
          store: createBatchJobStore(storage as never, log, fs as never, 5),
          api: (baseUrl) => createOpenAiBatchApi({ baseUrl, http, log, now: () => Date.now(), requestTimeoutMs: 30_000, getApiKey: async () => key }),
          writer: createFileImageWriter(),
          rescue: createFileRescueStore(join(root, 'home')),
          log,
          now: () => Date.now(),
          ownerId: owner,
          isOwnerGone: () => false,
          pollIntervalOverrideMs: 20,
        }),
        ledger: createSpendLedgerStore(storage as never, log, fs as never),
        log,
        now: () => Date.now(),
      });
      opened.push(created);
      return created;
    };
    const init = async (): Promise<Parameters<BatchApiWindow['start']>[0]> => {
      const loaded = await loadBatch({ file: 'site.images.yaml' }, work);
      return batchApiJobFor(loaded.plan.targets, loaded.path, fake.baseUrl, loaded.resolveOut, loaded.originFile);
    };
    return { root, storage, images: join(work, 'images'), window, init };
  };

  const spendOf = (usd: number | undefined, limits?: SpendLimits): Parameters<BatchApiWindow['start']>[1] => ({
    items: [{ provider: 'openai', estimate: { usd, approximate: false, basis: 'estimate' } }],
    limits,
    estimateUsd: usd,
  });
  const creates = (): number => fake.apiRequests().filter((request) => request.method === 'POST' && request.url === '/v1/batches').length;
  const ledger = async (storage: FakeUri): Promise<{ kind: string; usd?: number }[]> => (await createSpendLedgerStore(storage as never, log, fs as never).read()) as { kind: string; usd?: number }[];

  it('journals the job, creates one batch, writes every image under its name and settles the discounted estimate', async () => {
    const { window, init, images, storage } = await rig();
    const win = window();
    const started = await win.start(await init(), spendOf(0.02));
    const job = (await win.settled(started.id)) as BatchJobRecord;
    assert.equal(job.state, 'saved');
    assert.deepEqual((await readdir(images)).filter((name) => name.endsWith('.png')).sort(), ['banner.png', 'hero-1.png', 'hero-2.png', 'icon.png']);
    assert.equal(creates(), 1, 'one create');
    const entries = await ledger(storage);
    assert.deepEqual(entries.map((entry) => [entry.kind, entry.usd]), [['estimate', 0.02], ['actual', 0.02]]);
    const files = await readdir(join(storage.path, 'batches'));
    assert.ok(files.includes(`${job.id}.json`) && files.includes(`${job.id}.part-1.jsonl`), files.join(' '));
    assert.ok(!files.some((name) => name.endsWith('.tmp')), 'no temporary file left');
  });

  it('a reloaded window picks up a polling job (batch id journaled) and writes its images; the create is not sent again', async () => {
    const { window, init, images, storage } = await rig();
    fake.batch.configure({ stepMs: 400 });
    const first = window();
    const started = await first.start(await init(), spendOf(0.02));
    // Wait until OpenAI accepted it and its id is in the journal, then the window closes.
    for (let waited = 0; ; waited += 20) {
      const stored = await createBatchJobStore(storage as never, log, fs as never).get(started.id);
      if (stored?.parts[0]?.batchId) break;
      assert.ok(waited < 10_000, 'the batch id is journaled');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await first.dispose();
    assert.equal((await readdir(images).catch(() => [])).length, 0, 'nothing written yet');
    const reloaded = window();
    assert.deepEqual(await reloaded.resumeWaiting(), [started.id]);
    const job = (await reloaded.settled(started.id)) as BatchJobRecord;
    assert.equal(job.state, 'saved');
    assert.equal((await readdir(images)).filter((name) => name.endsWith('.png')).length, 4);
    assert.equal(creates(), 1, 'the create was sent once');
  });

  it('a create whose answer was lost is unknown and never sent again, by this window or after a reload', async () => {
    const { window, init, storage } = await rig();
    fake.batch.enqueue({ on: 'create', kind: 'reset' });
    const first = window();
    const started = await first.start(await init(), spendOf(0.02));
    await first.settled(started.id);
    const stored = await createBatchJobStore(storage as never, log, fs as never).get(started.id);
    assert.equal(stored?.state, 'unknown');
    const reloaded = window();
    assert.deepEqual(await reloaded.resumeWaiting(), [], 'an unknown create is not resumed');
    await reloaded.checkNow(started.id);
    await reloaded.settled(started.id);
    assert.equal(creates(), 1, 'the create was sent once');
    assert.ok(fake.batch.batches.size === 1, 'one batch at OpenAI');
  });

  it('Cancel sends POST /v1/batches/{id}/cancel, then saves what had finished', async () => {
    const { window, init, storage } = await rig();
    fake.batch.configure({ stepMs: 300 });
    const win = window();
    const started = await win.start(await init(), spendOf(0.02));
    for (let waited = 0; win.progressOf(started.id)?.phase !== 'polling'; waited += 20) {
      assert.ok(waited < 10_000, 'it polls');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await win.cancel(started.id);
    const job = (await win.settled(started.id)) as BatchJobRecord;
    assert.equal(job.state, 'cancelled');
    assert.equal(fake.apiRequests().filter((request) => request.method === 'POST' && /^\/v1\/batches\/[^/]+\/cancel$/.test(request.url)).length, 1, 'one /cancel');
    const entries = await ledger(storage);
    assert.deepEqual(entries.map((entry) => [entry.kind, entry.usd]), [['estimate', 0.02], ['actual', 0]], 'nothing made, nothing charged');
  });

  it('a record whose replacement was cut off by a closing window (only its temporary left) is still found', async () => {
    const { window, init, storage } = await rig();
    const win = window();
    const started = await win.start(await init(), spendOf(0.02));
    const job = (await win.settled(started.id)) as BatchJobRecord;
    const batches = join(storage.path, 'batches');
    const text = await readFile(join(batches, `${job.id}.json`), 'utf8');
    // What workspace.fs's delete-then-rename leaves when the extension host stops between the two,
    // beside an older copy and one cut short mid-write.
    await rm(join(batches, `${job.id}.json`));
    await writeFile(join(batches, `.${job.id}.json.0123456789ab.tmp`), text);
    await writeFile(join(batches, `.${job.id}.json.ba9876543210.tmp`), JSON.stringify({ ...JSON.parse(text), updatedAt: 1, state: 'polling' }));
    await writeFile(join(batches, `.${job.id}.json.aaaaaaaaaaaa.tmp`), text.slice(0, 40));
    const store = createBatchJobStore(storage as never, log, fs as never);
    assert.equal((await store.get(job.id))?.state, 'saved');
    assert.deepEqual((await store.list()).map((record) => [record.id, record.state]), [[job.id, 'saved']]);
  });

  it('the spend guard refuses a batch over gptImage.spendLimit before anything is journaled or sent', async () => {
    const { window, init, storage } = await rig();
    const win = window();
    await assert.rejects(win.start(await init(), spendOf(0.5, { source: 'gptImage.spendLimit', day: 0.1 })), /would cost|limit/i);
    assert.equal(fake.apiRequests().length, 0, 'nothing sent');
    assert.deepEqual(await readdir(join(storage.path, 'batches')).catch(() => []), [], 'nothing journaled');
    assert.deepEqual(await ledger(storage), []);
  });

  it('an entry of an unfinished job is held (a second run must not send it again)', async () => {
    const { window, init } = await rig();
    fake.batch.configure({ stepMs: 300 });
    const win = window();
    const started = await win.start(await init(), spendOf(undefined));
    const holders = await win.holders();
    assert.equal(holders.size, 3);
    assert.ok([...holders.values()].every((job) => job.id === started.id));
    await win.settled(started.id);
    assert.equal((await win.holders()).size, 0, 'a saved job holds nothing');
  });
});
