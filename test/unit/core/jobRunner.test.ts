import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import type { JobRecord } from '../../../src/core/journal';
import type { Provenance } from '../../../src/core/provenance';
import { startFakeApixo } from '../../fake-providers/apixo';
import type { FakeApixo } from '../../fake-providers/apixo';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { makePng } from '../../fake-providers/png';
import { runnerRig } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const output = (rig: RunnerRig): { dir: string; template: string } => ({ dir: rig.outDir, template: '{slug}-{index}' });
const submitCount = (fake: { requests(): { method: string; url: string }[] }): number =>
  fake.requests().filter((request) => request.method === 'POST' && /\/openai\/|\/generateTask\//.test(request.url)).length;

function images(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.png')).sort();
}

function provenanceOf(file: string): Provenance {
  const parts = file.split('/');
  const name = parts.pop() as string;
  return JSON.parse(readFileSync(join(parts.join('/'), '.gpt-image', `${name}.json`), 'utf8')) as Provenance;
}

describe('job runner (real providers, loopback fakes, node:fs journal)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  let openai: FakeOpenAi;
  let rig: RunnerRig;

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
    apixo = await startFakeApixo({ cdn });
    openai = await startFakeOpenAi();
  });
  afterEach(async () => {
    await rig.http.close();
  });
  after(async () => {
    await Promise.all([modellix.close(), apixo.close(), openai.close()]);
    await cdn.close();
  });
  beforeEach(() => {
    modellix.reset();
    apixo.reset();
    openai.reset();
    cdn.reset();
    rig = runnerRig({ modellix: modellix.baseUrl, apixo: apixo.baseUrl, openai: openai.baseUrl });
  });

  it('journals the job before the paid request, records the task id, and writes provenance with a cost', async () => {
    let seenAtCreation: { requests: number; journaled: JobRecord | undefined } | undefined;
    const states: string[] = [];
    const result = await rig.runner.run({
      request: { provider: 'apixo', model: 'gpt-image-2', prompt: 'A quiet harbour', size: '16:9@2k' },
      output: output(rig),
      signal: new AbortController().signal,
      onJobCreated: (job) => {
        // Synchronously, at the moment the runner says the job exists: nothing sent, record on disk.
        const file = join(rig.home, 'jobs', `${job.id}.json`);
        seenAtCreation = { requests: apixo.requests().length, journaled: JSON.parse(readFileSync(file, 'utf8')) as JobRecord };
      },
      onProgress: (progress) => states.push(progress.phase),
    });
    assert.equal(seenAtCreation?.requests, 0);
    assert.equal(seenAtCreation?.journaled?.state, 'submitting');
    assert.deepEqual([...new Set(states)], ['submitting', 'polling', 'downloading', 'saving', 'saved']);
    const stored = await rig.journal.get(result.job.id);
    assert.equal(stored?.state, 'saved');
    const taskId = apixo.tasks.all()[0]?.id;
    assert.equal(stored?.tasks[0]?.taskId, taskId);
    assert.deepEqual(stored?.tasks[0]?.files, result.files);
    const provenance = provenanceOf(result.files[0] as string);
    assert.equal(provenance.taskId, taskId);
    assert.equal(provenance.costEstimateUsd, 0.03);
    assert.equal(provenance.index, 1);
    assert.ok((provenance.width ?? 0) > 0 && (provenance.height ?? 0) > 0);
    assert.deepEqual(provenance.request.wireSize, { kind: 'aspectTier', aspect: '16:9', tier: '2k' });
  });

  it('estimates OpenAI cost from usage tokens and numbers images across the job', async () => {
    const result = await rig.runner.run({
      request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Two moons', size: '1024x1024', n: 2 },
      output: output(rig),
      signal: new AbortController().signal,
    });
    assert.deepEqual(result.files.map((file) => file.split('/').pop()), ['two-moons-1.png', 'two-moons-2.png']);
    const provenance = provenanceOf(result.files[1] as string);
    assert.equal(provenance.index, 2);
    assert.ok(provenance.usage && (provenance.costEstimateUsd ?? 0) > 0, 'a cost estimate from usage');
    result.files.forEach((file, index) => assert.deepEqual(readFileSync(file), openai.served[index]?.bytes));
  });

  it('a crash between writing an image and recording it does not write it twice on resume', async () => {
    const first = await rig.runner.run({
      request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Once only', size: '1024x1024' },
      output: output(rig),
      signal: new AbortController().signal,
    });
    // What the journal holds if the process died right after the rename, before the put.
    const crashed = (await rig.journal.get(first.job.id)) as JobRecord;
    crashed.state = 'downloading';
    crashed.tasks[0] = { ...(crashed.tasks[0] as JobRecord['tasks'][number]), state: 'downloading', files: [], images: [{ state: 'pending' }] };
    await rig.journal.put(crashed);
    const resumed = await rig.runner.resume(first.job.id, new AbortController().signal);
    assert.deepEqual(resumed.files, first.files);
    assert.deepEqual(images(rig.outDir), ['once-only-1.png']);
    assert.equal(submitCount(modellix), 1);
  });

  it('cancel while polling leaves the task resumable; resume finishes it with one submit', async () => {
    modellix.setKnobs({ hold: true });
    const controller = new AbortController();
    let jobId = '';
    const running = rig.runner.run({
      request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Held', size: '1024x1024' },
      output: output(rig),
      signal: controller.signal,
      onJobCreated: (job) => (jobId = job.id),
      onProgress: (progress) => {
        if (progress.phase === 'polling' && progress.message.includes('is')) controller.abort();
      },
    });
    await assert.rejects(running, (error) => isProviderError(error) && error.kind === 'aborted');
    const kept = await rig.journal.get(jobId);
    assert.equal(kept?.state, 'polling');
    assert.ok(kept?.tasks[0]?.taskId);
    modellix.release();
    const results = await rig.runner.resumeAll(new AbortController().signal);
    assert.equal(results.length, 1);
    assert.equal(results[0]?.files.length, 1);
    assert.equal(submitCount(modellix), 1);
    assert.equal((await rig.runner.resumeAll(new AbortController().signal)).length, 0);
  });

  it('a resume of a job already being waited on joins that work instead of polling twice', async () => {
    modellix.setKnobs({ hold: true });
    let jobId = '';
    let polling!: () => void;
    const firstPoll = new Promise<void>((resolve) => (polling = resolve));
    const running = rig.runner.run({
      request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Watched twice', size: '1024x1024' },
      output: output(rig),
      signal: new AbortController().signal,
      onJobCreated: (job) => (jobId = job.id),
      onProgress: (progress) => {
        if (progress.phase === 'polling') polling();
      },
    });
    await firstPoll;
    assert.equal(rig.runner.isActive(jobId), true);
    const joined = rig.runner.resume(jobId, new AbortController().signal);
    assert.equal(rig.runner.resume(jobId, new AbortController().signal), joined, 'every resume joins the same work');
    modellix.release();
    const [ran, resumed] = await Promise.all([running, joined]);
    assert.deepEqual(resumed.files, ran.files);
    assert.equal(ran.files.length, 1);
    assert.equal(submitCount(modellix), 1);
    assert.equal(cdn.requests().filter((request) => request.method === 'GET').length, 1, 'the result is downloaded once');
    assert.equal(rig.runner.isActive(jobId), false);
  });

  it('an unknown submit is never resent; resubmit is the explicit way to pay again', async () => {
    modellix.fault({ on: 'submit', kind: 'reset' });
    let jobId = '';
    await assert.rejects(
      rig.runner.run({
        request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Maybe', size: '1024x1024' },
        output: output(rig),
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
      }),
      (error) => isProviderError(error) && error.kind === 'unknownOutcome',
    );
    assert.equal((await rig.journal.get(jobId))?.state, 'unknown');
    assert.equal((await rig.runner.resumeAll(new AbortController().signal)).length, 0);
    assert.equal(submitCount(modellix), 1);
    const again = await rig.runner.resubmit(jobId, new AbortController().signal);
    assert.notEqual(again.job.id, jobId);
    assert.equal(again.files.length, 1);
    assert.equal(submitCount(modellix), 2);
    const listed = await rig.runner.list();
    assert.deepEqual(listed.map((job) => job.id), [again.job.id, jobId]);
    await rig.runner.discard(jobId);
    assert.deepEqual((await rig.runner.list()).map((job) => job.id), [again.job.id]);
  });

  it('a refused download keeps the result URLs; retryDownload saves the image without a new task', async () => {
    // 400 is a definite refusal (404 right after completion stays resumable instead: resultLinks.test.ts).
    cdn.faults.push({ on: 'download', kind: 'status', status: 400, times: 1 });
    let jobId = '';
    await assert.rejects(
      rig.runner.run({
        request: { provider: 'apixo', model: 'gpt-image-2', prompt: 'Second chance', size: 'auto' },
        output: output(rig),
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
      }),
    );
    const failed = await rig.journal.get(jobId);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.tasks[0]?.resultUrls?.length, 1);
    const retried = await rig.runner.retryDownload(jobId, new AbortController().signal);
    assert.equal(retried.files.length, 1);
    assert.equal(submitCount(apixo), 1);
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('abandon stops a polling job for good and keeps its uploads (the provider may still run the task)', async () => {
    modellix.setKnobs({ hold: true });
    const controller = new AbortController();
    let jobId = '';
    const running = rig.runner.run({
      request: {
        provider: 'modellix',
        model: 'gpt-image-2',
        prompt: 'Never mind',
        size: '1024x1024',
        inputImages: [{ kind: 'file', source: '/tmp/in.png', fileName: 'in.png', bytes: makePng({ width: 16, height: 16 }) }],
      },
      output: output(rig),
      signal: controller.signal,
      onJobCreated: (job) => (jobId = job.id),
      onProgress: (progress) => {
        if (progress.phase === 'polling') controller.abort();
      },
    });
    await assert.rejects(running);
    assert.equal([...modellix.uploads.values()][0]?.deleted, false, 'kept while the task may still run');
    await rig.runner.abandon(jobId);
    const abandoned = await rig.journal.get(jobId);
    assert.equal(abandoned?.state, 'cancelled');
    // Abandoning only stops our waiting; the task may still be running at Modellix and read its
    // input from the upload, so deleting it could spoil an image that is being paid for.
    assert.equal(abandoned?.uploads[0]?.deleted, false);
    assert.equal([...modellix.uploads.values()][0]?.deleted, false);
    const pollsBefore = modellix.requests().length;
    assert.equal((await rig.runner.resumeAll(new AbortController().signal)).length, 0);
    assert.equal(modellix.requests().length, pollsBefore);
  });
});
