import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, runCli, startCli, waitFor } from './cliHarness';
import { batchRecords, count, outDir, threeEntries, threeEntryFiles, withBatchFile } from './batchApiSupport';

const fast = ['--poll-interval', '0.05'];

describe('gpt-image batch --via batch-api: crashes, lost answers, Ctrl-C and cancel', () => {
  let openai: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(() => openai.close());
  beforeEach(() => {
    openai.reset();
    openai.batch.configure({ stepMs: 100 });
  });

  it('SIGKILL while polling: gpt-image resume finishes it with no second upload or create', async () => {
    openai.batch.configure({ stepMs: 1500 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/batches/batch-*') >= 2);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL');
    assert.deepEqual(imagesIn(outDir(box)), []);
    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /polling .*Batch API: site\.images\.yaml \(3 entries\) {2}0 of 3 saved, 0 failed/);
    assert.match(listed.stdout, /batch: batch-fake\d+ \((validating|in_progress)/);

    const resumed = await runCli(['resume', ...fast], box);
    assertNoKeyLeak(resumed);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'POST /v1/files'), 1, 'uploaded once');
    assert.equal(count(openai, 'POST /v1/batches'), 1, 'created once');
    assert.equal(openai.batch.batches.size, 1);
    assert.equal(batchRecords(box)[0]?.state, 'saved');
  });

  it('SIGKILL after the download started: resume writes the rest, each image once', async () => {
    // Slow content download: the CLI is killed while the output file is on its way.
    openai.batch.enqueue({ on: 'content', kind: 'delay', delayMs: 3000 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/files/file-*/content') >= 1);
    run.child.kill('SIGKILL');
    await run.done;
    assert.equal(batchRecords(box)[0]?.state, 'downloading');
    const resumed = await runCli(['resume', ...fast], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'POST /v1/batches'), 1);
  });

  it('an output file cut off midway is downloaded again in the same run; each image written once', async () => {
    openai.batch.enqueue({ on: 'content', kind: 'cutMidBody' });
    const box = withBatchFile(openai, threeEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'GET /v1/files/file-*/content'), 2);
  });

  for (const fault of [{ kind: 'reset' as const, label: 'the connection reset after the batch was created' }, { kind: 'status' as const, status: 502, label: 'a 502' }]) {
    it(`a create answered by ${fault.label} is unknown: not sent again by resume or a second run, shown by gpt-image jobs`, async () => {
      openai.batch.enqueue({ on: 'create', ...fault });
      const box = withBatchFile(openai, threeEntries);
      const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
      assertNoKeyLeak(result);
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /OpenAI may have created \(and will charge for\) the batch of file file-fake\d+: it is not created again automatically/);
      assert.equal(count(openai, 'POST /v1/batches'), 1);
      const listed = await runCli(['jobs'], box);
      assert.match(listed.stdout, /unknown .*Batch API: site\.images\.yaml/);
      assert.match(listed.stdout, /file: file-fake\d+ \(batch creation of unknown outcome\)/);

      const resumed = await runCli(['resume', ...fast], box);
      assert.equal(resumed.code, 0, resumed.stderr);
      const again = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
      assert.match(again.stderr, /icon is in Batch API job \S+ \(unknown\); not sent again/);
      assert.notEqual(again.code, 0);
      assert.equal(count(openai, 'POST /v1/batches'), 1, 'the create is never sent a second time');
      assert.equal(count(openai, 'POST /v1/files'), 1);
    });
  }

  it('SIGKILL while the create is on its way: the batch is unknown, and resume never sends the create again', async () => {
    openai.batch.enqueue({ on: 'create', kind: 'delay', delayMs: 2000 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'POST /v1/batches') >= 1);
    run.child.kill('SIGKILL');
    await run.done;
    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /unknown .*Batch API: site\.images\.yaml/);
    assert.match(listed.stdout, /GPT Image stopped while the batch was being created\. OpenAI may have created \(and will charge for\) the batch of file file-fake\d+/);
    const resumed = await runCli(['resume', ...fast], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(count(openai, 'POST /v1/batches'), 1, 'the create is never sent a second time');
    assert.equal(batchRecords(box)[0]?.state, 'unknown');
  });

  it('a batch left running at OpenAI is not made again by a run without --via, nor by a second --via run', async () => {
    openai.batch.configure({ stepMs: 3000 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/batches/batch-*') >= 1);
    run.child.kill('SIGINT');
    assert.equal((await run.done).code, 130);
    const plain = await runCli(['batch', 'site.images.yaml'], box);
    assert.equal(plain.code, 1, plain.stderr);
    assert.match(plain.stderr, /icon .*it is in Batch API job \S+ \(polling\): not sent again/);
    assert.equal(count(openai, 'POST /v1/images/generations'), 0, 'nothing paid twice');
    const viaAgain = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.match(viaAgain.stderr, /hero is in Batch API job \S+ \(polling\); not sent again/);
    assert.equal(count(openai, 'POST /v1/batches'), 1);
  });

  it('two gpt-image resume at once: one finishes the batch, each image is written once', async () => {
    openai.batch.configure({ stepMs: 1200 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/batches/batch-*') >= 1);
    run.child.kill('SIGKILL');
    await run.done;
    const [first, second] = await Promise.all([runCli(['resume', ...fast], box), runCli(['resume', ...fast], box)]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(`${first.stderr}${second.stderr}`, /being finished by another window or process/);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'GET /v1/files/file-*/content'), 1, 'downloaded by one of them only');
  });

  it('Ctrl-C before the create is sent cancels the job (nothing charged); the file can be run again', async () => {
    openai.batch.enqueue({ on: 'upload', kind: 'delay', delayMs: 1500 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'POST /v1/files') >= 1);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /Cancelled Batch API job \S+ before anything was created at OpenAI; nothing was charged/);
    assert.equal(count(openai, 'POST /v1/batches'), 0);
    assert.equal(batchRecords(box)[0]?.state, 'cancelled');
    const again = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'POST /v1/batches'), 1);
  });

  it('images that cannot be written are kept aside, never lost; resume moves them into place once the folder is back', async () => {
    openai.batch.configure({ stepMs: 600 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/batches/batch-*') >= 1);
    // The output folder becomes a file while OpenAI works on the batch.
    rmSync(outDir(box), { recursive: true, force: true });
    writeFileSync(outDir(box), 'not a folder');
    const result = await run.done;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Image 1 of entry "icon" could not be saved in .* it is kept at .*rescued/);
    assert.match(result.stderr, /needs attention: 0 of 3 requests saved, 0 failed, 3 kept aside/);
    const kept = readdirSync(join(box.home, 'rescued'), { recursive: true }).filter((name) => String(name).endsWith('.png'));
    assert.equal(kept.length, 4, 'all four paid images kept');
    rmSync(outDir(box));
    const resumed = await runCli(['resume', ...fast], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(batchRecords(box)[0]?.state, 'saved');
    assert.equal(readdirSync(join(box.home, 'rescued'), { recursive: true }).filter((name) => String(name).endsWith('.png')).length, 0, 'kept copies removed once written');
    assert.equal(count(openai, 'POST /v1/batches'), 1);
  });

  it('Ctrl-C while polling keeps the batch (no /cancel); gpt-image cancel sends /cancel and ends it', async () => {
    openai.batch.configure({ stepMs: 5000 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'GET /v1/batches/batch-*') >= 1);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /Stopped waiting\. Batch API job (\S+) stays in the journal and OpenAI keeps working on it/);
    assert.equal(count(openai, 'POST /v1/batches/batch-*/cancel'), 0, 'a Ctrl-C keeps the batch');
    const [job] = batchRecords(box);
    assert.equal(job?.state, 'polling');

    const cancelled = await runCli(['cancel', job?.id ?? '', ...fast], box);
    assert.equal(count(openai, 'POST /v1/batches/batch-*/cancel'), 1, cancelled.stderr);
    assert.equal(cancelled.code, 1, cancelled.stderr);
    assert.equal(batchRecords(box)[0]?.state, 'cancelled');
    assert.match(cancelled.stderr, /Batch API job \S+ cancelled: 0 of 3 requests saved/);
  });

  it('Ctrl-C while the create is on its way waits for its answer, records the batch id, and resume finishes', async () => {
    openai.batch.enqueue({ on: 'create', kind: 'delay', delayMs: 1500 });
    const box = withBatchFile(openai, threeEntries);
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'POST /v1/batches') >= 1);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    assert.match(interrupted.stderr, /was already sent, so it may be charged: still waiting for its answer/);
    assert.equal(interrupted.code, 130, interrupted.stderr);
    const [job] = batchRecords(box);
    assert.match(job?.parts[0]?.batchId ?? '', /^batch-fake\d+$/);
    const resumed = await runCli(['resume', ...fast], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.equal(count(openai, 'POST /v1/batches'), 1);
  });
});
