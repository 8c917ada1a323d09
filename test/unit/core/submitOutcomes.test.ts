import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import type { JobRecord } from '../../../src/core/journal';
import type { Logger } from '../../../src/core/logger';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { makePng } from '../../fake-providers/png';
import { runnerRig, silentLog } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const output = (rig: RunnerRig): { dir: string; template: string } => ({ dir: rig.outDir, template: '{slug}-{index}' });
const inputFile = { kind: 'file' as const, source: '/tmp/in.png', fileName: 'in.png', bytes: makePng({ width: 16, height: 16 }) };

function journalOnDisk(rig: RunnerRig, jobId: string): JobRecord {
  return JSON.parse(readFileSync(join(rig.home, 'jobs', `${jobId}.json`), 'utf8')) as JobRecord;
}

describe('what the journal says about a submit, and what happens to uploads', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let openai: FakeOpenAi;
  const rigs: RunnerRig[] = [];
  const rigFor = (log?: Logger): RunnerRig => {
    const rig = runnerRig({ modellix: modellix.baseUrl, openai: openai.baseUrl }, undefined, { log: log ?? silentLog });
    rigs.push(rig);
    return rig;
  };

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
    openai = await startFakeOpenAi();
  });
  beforeEach(() => {
    modellix.reset();
    openai.reset();
    cdn.reset();
  });
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((rig) => rig.http.close()));
  });
  after(async () => {
    await Promise.all([modellix.close(), openai.close()]);
    await cdn.close();
  });

  it('records task 1 id on disk before task 2 is sent (n=2 Modellix, second submit held)', async () => {
    const rig = rigFor();
    // The second submit is held, then its connection drops: its outcome is unknown.
    modellix.fault({ on: 'submit', kind: 'resetBefore', skip: 1, delayMs: 300 });
    let atSecondSubmit: JobRecord | undefined;
    let jobId = '';
    await assert.rejects(
      rig.runner.run({
        request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Two tasks', size: '1024x1024', n: 2 },
        output: output(rig),
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
        onProgress: (progress) => {
          // Synchronously, as the second paid request starts: a crash now must not lose task 1.
          if (progress.phase === 'submitting' && progress.taskIndex === 1) atSecondSubmit = journalOnDisk(rig, progress.jobId);
        },
      }),
    );
    const firstTaskId = modellix.tasks.all()[0]?.id;
    assert.ok(firstTaskId);
    assert.equal(atSecondSubmit?.tasks[0]?.taskId, firstTaskId);
    assert.equal(atSecondSubmit?.tasks[0]?.state, 'polling');
    const final = await rig.journal.get(jobId);
    assert.equal(final?.tasks[0]?.state, 'saved');
    assert.equal(final?.tasks[1]?.state, 'unknown');
  });

  it('keeps the uploads of a job whose submit outcome is unknown (the task may still read them)', async () => {
    const rig = rigFor();
    modellix.fault({ on: 'submit', kind: 'reset' });
    let jobId = '';
    await assert.rejects(
      rig.runner.run({
        request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Maybe', size: '1024x1024', inputImages: [inputFile] },
        output: output(rig),
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
      }),
      (error) => isProviderError(error) && error.kind === 'unknownOutcome',
    );
    const job = await rig.journal.get(jobId);
    assert.equal(job?.state, 'unknown');
    assert.equal(job?.uploads.length, 1);
    assert.equal(job?.uploads[0]?.deleted, false);
    assert.equal([...modellix.uploads.values()][0]?.deleted, false);
    assert.equal(modellix.requests().filter((request) => request.method === 'DELETE').length, 0);
  });

  it('deletes the uploads once the task is saved', async () => {
    const rig = rigFor();
    const result = await rig.runner.run({
      request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Done', size: '1024x1024', inputImages: [inputFile] },
      output: output(rig),
      signal: new AbortController().signal,
    });
    assert.equal((await rig.journal.get(result.job.id))?.uploads[0]?.deleted, true);
    assert.equal([...modellix.uploads.values()][0]?.deleted, true);
  });

  it('a submit cancelled before anything was sent is cancelled, not "may have been charged"', async () => {
    const controller = new AbortController();
    // Cancel while the provider waits out a definite 429's Retry-After: no paid request is in flight.
    const log: Logger = { ...silentLog, info: (line) => void (/Retrying in/.test(line) && controller.abort()), warn: (line) => void (/Retrying in/.test(line) && controller.abort()) };
    const rig = rigFor(log);
    openai.enqueue({ status: 429, retryAfter: 30 });
    let jobId = '';
    await assert.rejects(
      rig.runner.run({
        request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Not now', size: '1024x1024' },
        output: output(rig),
        signal: controller.signal,
        onJobCreated: (job) => (jobId = job.id),
      }),
      (error) => isProviderError(error) && error.kind === 'aborted',
    );
    const job = await rig.journal.get(jobId);
    assert.equal(job?.state, 'cancelled');
    assert.equal(job?.tasks[0]?.state, 'cancelled');
    assert.doesNotMatch(job?.error?.message ?? '', /charged\)|may (still )?have been/);
    assert.match(job?.error?.message ?? '', /nothing was charged/);
    assert.equal(openai.apiRequests().length, 1, 'the 429 was not followed by a second request');
  });
});
