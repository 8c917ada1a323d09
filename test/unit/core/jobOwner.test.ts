import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isInputError } from '../../../src/core/errors';
import { cancelJob } from '../../../src/core/jobHandle';
import type { JobHandle, JobHandleState, KeepOrStopAnswer } from '../../../src/core/jobHandle';
import { JobOwner } from '../../../src/core/jobOwner';
import type { GenerationRequest } from '../../../src/core/request';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { runnerRig, silentLog } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const request: GenerationRequest = { provider: 'modellix', model: 'gpt-image-2', prompt: 'A paper boat', size: '1024x1024', quality: 'low', n: 1 };

/** Resolves once the handle reaches `state` (or fails the test after 10 s). */
function reached(handle: JobHandle, state: JobHandleState): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (handle.state === state) return resolve();
    const timer = setTimeout(() => reject(new Error(`never reached ${state}; is ${handle.state}`)), 10_000);
    const subscription = handle.onProgress(() => {
      if (handle.state !== state) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

describe('job owner and handle (real runner, Modellix fake, node:fs journal)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let rig: RunnerRig;
  let owner: JobOwner;
  const submits = (): number => modellix.requests().filter((entry) => entry.method === 'POST' && /\/openai\//.test(entry.url)).length;
  const polls = (): number => modellix.requests().filter((entry) => entry.method === 'GET' && /\/tasks\//.test(entry.url)).length;
  const pngs = (): string[] => {
    try {
      return readdirSync(rig.outDir).filter((name) => name.endsWith('.png'));
    } catch {
      return [];
    }
  };
  const output = (): { dir: string; template: string } => ({ dir: rig.outDir, template: '{slug}-{index}' });

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
  });
  beforeEach(() => {
    modellix.reset();
    cdn.reset();
    rig = runnerRig({ modellix: modellix.baseUrl }, undefined, { ownerId: 'window-a' });
    owner = new JobOwner(rig.runner, silentLog);
  });
  afterEach(async () => {
    await owner.dispose();
    await rig.http.close();
  });
  after(async () => {
    await modellix.close();
    await cdn.close();
  });

  it('walks preparing → sending → polling → downloading → saved and says so to its views', async () => {
    const handle = owner.run({ request, output: output() });
    const seen: JobHandleState[] = [handle.state];
    handle.onProgress(() => {
      if (seen[seen.length - 1] !== handle.state) seen.push(handle.state);
    });
    const end = await handle.ended;
    assert.equal(end.state, 'saved');
    assert.deepEqual([...seen, handle.state], ['preparing', 'sending', 'polling', 'downloading', 'saved']);
    assert.equal(pngs().length, 1);
    assert.equal(owner.running().length, 0, 'an ended job leaves its owner');
  });

  it('a dismissed keep-or-stop question keeps the paid job: it finishes and saves its image', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    const answer = cancelJob(handle, async (): Promise<KeepOrStopAnswer> => 'dismissed');
    assert.equal(await answer, 'kept');
    modellix.release();
    const end = await handle.ended;
    assert.equal(end.state, 'saved');
    assert.equal(pngs().length, 1);
    assert.equal((await rig.journal.get(handle.jobId as string))?.state, 'saved');
  });

  it('"stop waiting" abandons the job in the journal and says the provider may still charge', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    assert.equal(await cancelJob(handle, async () => 'stop'), 'stopped');
    const end = await handle.ended;
    assert.equal(end.state, 'cancelled');
    assert.equal(end.stopped, true);
    assert.equal((await rig.journal.get(handle.jobId as string))?.state, 'cancelled');
    assert.equal(pngs().length, 0);
  });

  it('Cancel before anything paid left cancels at once, without asking, and nothing is sent', async () => {
    // An upload-free job is cancelled before its submit reaches the provider: abort during validation/journaling.
    const handle = owner.run({ request, output: output() });
    let asked = false;
    const outcome = await cancelJob(handle, async () => {
      asked = true;
      return 'keep';
    });
    assert.equal(outcome, 'cancelled');
    assert.equal(asked, false);
    const end = await handle.ended;
    assert.equal(end.state, 'cancelled');
    assert.equal(submits(), 0);
  });

  it('a job that ends while the question is open is left as it ended', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    const outcome = await cancelJob(handle, async () => {
      modellix.release();
      await handle.ended;
      return 'stop';
    });
    assert.equal(outcome, 'ended');
    assert.equal((await handle.ended).state, 'saved');
    assert.equal(pngs().length, 1);
  });

  it('refuses a second job for the same request id: one paid submit, however often Generate arrives', async () => {
    const first = owner.run({ request, output: output(), requestId: 'studio-7' });
    assert.throws(() => owner.run({ request, output: output(), requestId: 'studio-7' }), (error) => isInputError(error) && /already started/.test(error.message));
    await first.ended;
    assert.throws(() => owner.run({ request, output: output(), requestId: 'studio-7' }), isInputError);
    assert.equal(submits(), 1);
  });

  it('resuming a job it is already running joins it: one poller, one download', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    const jobId = handle.jobId as string;
    assert.equal(owner.resume(jobId, 'modellix'), handle);
    assert.deepEqual(await owner.resumeWaiting(), [], 'a job running here is not resumed a second time');
    modellix.release();
    await handle.ended;
    assert.equal(pngs().length, 1);
    assert.equal(cdn.requests().filter((entry) => entry.method === 'GET').length, 1);
  });

  it('resumeWaiting leaves a job another live window is finishing, and finishes its own', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    const jobId = handle.jobId as string;
    // Window A quits waiting (the job stays polling, leased to A until its heartbeat expires).
    await handle.detach();
    assert.equal((await rig.journal.get(jobId))?.state, 'polling');

    // Another window on the same journal (the same global storage).
    const sharedRig = runnerRig({ modellix: modellix.baseUrl }, rig.home.replace(/\/home$/, ''), { ownerId: 'window-b' });
    const shared = new JobOwner(sharedRig.runner, silentLog);
    const job = await sharedRig.journal.get(jobId);
    if (job) {
      job.lease = { owner: 'window-a', heartbeatAt: Date.now() };
      await sharedRig.journal.put(job);
    }
    const pollsBefore = polls();
    assert.deepEqual(await shared.resumeWaiting(), [], 'leased elsewhere: left to its owner');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(polls(), pollsBefore, 'not one poll from the window that does not hold the lease');

    const resumed = await owner.resumeWaiting();
    assert.equal(resumed.length, 1, 'its own owner takes it back at once');
    modellix.release();
    assert.equal((await (resumed[0] as JobHandle).ended).state, 'saved');
    await Promise.all([shared.dispose(), sharedRig.http.close()]);
  });

  it('a window closing detaches its jobs: nothing abandoned, the journal keeps them resumable', async () => {
    modellix.setKnobs({ hold: true });
    const handle = owner.run({ request, output: output() });
    await reached(handle, 'polling');
    await owner.dispose();
    const end = await handle.ended;
    assert.equal(end.resumable, true);
    assert.equal(end.stopped, false);
    assert.equal((await rig.journal.get(handle.jobId as string))?.state, 'polling');
  });
});
