import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isInputError } from '../../../src/core/errors';
import type { JobRecord } from '../../../src/core/journal';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { leavePolling, runnerRig } from './jobRunnerHarness';
import type { RigOptions, RunnerRig } from './jobRunnerHarness';

/**
 * Two windows (or CLI processes) share one journal: a job is finished by the one holding its lease,
 * never by both (two pollers would download and write every image twice).
 */
describe('job leases: one journal, several runners', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let root: string;
  const rigs: RunnerRig[] = [];
  const rigAs = (options: RigOptions, baseUrl = modellix.baseUrl): RunnerRig => {
    const rig = runnerRig({ modellix: baseUrl }, root, options);
    rigs.push(rig);
    return rig;
  };
  const pngs = (rig: RunnerRig): string[] => readdirSync(rig.outDir).filter((name) => name.endsWith('.png'));
  const downloads = (): number => cdn.requests().filter((request) => request.method === 'GET').length;

  /** A Modellix job left 'polling' in the journal by `owner` (Ctrl-C while the task was held). */
  async function pollingJob(owner: string): Promise<string> {
    modellix.setKnobs({ hold: true });
    return leavePolling(rigAs({ ownerId: owner }), 'Shared');
  }

  async function setLease(rig: RunnerRig, jobId: string, lease: JobRecord['lease']): Promise<void> {
    const job = (await rig.journal.get(jobId)) as JobRecord;
    job.lease = lease;
    await rig.journal.put(job);
  }

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
  });
  beforeEach(() => {
    modellix.reset();
    cdn.reset();
    root = mkdtempSync(join(tmpdir(), 'gpt-image-lease-'));
  });
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((rig) => rig.http.close()));
  });
  after(async () => {
    await modellix.close();
    await cdn.close();
  });

  it('a second owner leaves a job the first is finishing: one file, one download', async () => {
    const jobId = await pollingJob('window-a');
    const first = rigAs({ ownerId: 'window-a' });
    let polling!: () => void;
    const isPolling = new Promise<void>((resolve) => (polling = resolve));
    const finishing = first.runner.resume(jobId, new AbortController().signal, (progress) => {
      if (progress.phase === 'polling') polling();
    });
    await isPolling;
    assert.equal((await first.journal.get(jobId))?.lease?.owner, 'window-a', 'the lease is on disk while polling');

    const second = rigAs({ ownerId: 'window-b' });
    assert.deepEqual(await second.runner.resumeAll(new AbortController().signal), []);
    await assert.rejects(second.runner.resume(jobId, new AbortController().signal), (error) => isInputError(error) && /another window or process/.test(error.message));
    assert.equal(second.runner.heldElsewhere((await second.journal.get(jobId)) as JobRecord), true);

    modellix.release();
    const result = await finishing;
    assert.equal(result.files.length, 1);
    assert.deepEqual(pngs(first), ['shared-1.png']);
    assert.equal(downloads(), 1);
    const saved = await first.journal.get(jobId);
    assert.equal(saved?.state, 'saved');
    assert.equal(saved?.lease, undefined, 'given back when the work ends');
  });

  it('a download that outlasts the lease expiry keeps its lease alive: the other window never takes the job', async () => {
    const jobId = await pollingJob('window-a');
    let clock = Date.now();
    const now = (): number => clock;
    // Nothing is written while one image downloads; the clock then runs past the 90 s expiry.
    cdn.faults.push({ on: 'download', kind: 'delay', delayMs: 1500, times: 1 });
    modellix.release();
    const first = rigAs({ ownerId: 'window-a', now, leaseCheckEveryMs: 10 });
    let downloading!: () => void;
    const isDownloading = new Promise<void>((resolve) => (downloading = resolve));
    const finishing = first.runner.resume(jobId, new AbortController().signal, (progress) => {
      if (progress.phase === 'downloading') downloading();
    });
    await isDownloading;
    for (let step = 0; step < 4; step++) {
      clock += 31_000;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const second = rigAs({ ownerId: 'window-b', now });
    await assert.rejects(second.runner.resume(jobId, new AbortController().signal), (error) => isInputError(error) && /another window or process/.test(error.message));
    const result = await finishing;
    assert.equal(result.files.length, 1);
    assert.deepEqual(pngs(first), ['shared-1.png']);
    assert.equal(downloads(), 1, 'fetched once, by the window holding the lease');
    assert.equal((await first.journal.get(jobId))?.lease, undefined, 'given back when the work ends');
  });

  it('the same owner (a reloaded window) takes its own job back at once', async () => {
    const jobId = await pollingJob('window-a');
    // What a window that was reloaded mid-poll leaves behind: its lease, heartbeat seconds old.
    const reloaded = rigAs({ ownerId: 'window-a' });
    await setLease(reloaded, jobId, { owner: 'window-a', heartbeatAt: Date.now() });
    modellix.release();
    const results = await reloaded.runner.resumeAll(new AbortController().signal);
    assert.equal(results.length, 1);
    assert.deepEqual(pngs(reloaded), ['shared-1.png']);
  });

  it('a lease whose heartbeat is older than 90 s is taken over', async () => {
    const jobId = await pollingJob('window-a');
    const other = rigAs({ ownerId: 'window-b' });
    await setLease(other, jobId, { owner: 'window-a', heartbeatAt: Date.now() - 120_000 });
    modellix.release();
    const result = await other.runner.resume(jobId, new AbortController().signal);
    assert.equal(result.files.length, 1);
    assert.equal(downloads(), 1);
  });

  it('a job is polled at the base URL it was sent to, not the one configured now', async () => {
    const jobId = await pollingJob('window-a');
    assert.equal((await rigs[0]?.journal.get(jobId))?.baseUrl, modellix.baseUrl);
    // Configured now: a port nothing listens on. The job's recorded URL must win.
    const moved = rigAs({ ownerId: 'window-a' }, 'http://127.0.0.1:9/api');
    modellix.release();
    const result = await moved.runner.resume(jobId, new AbortController().signal);
    assert.equal(result.files.length, 1);
  });
});
