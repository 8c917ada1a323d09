import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createFileJournalStore } from '../../../src/cli/fileJournalStore';
import { isHeldElsewhereError } from '../../../src/core/jobRunner';
import type { JobRecord, LeaseClaim } from '../../../src/core/journal';
import { leaseExpiryMs } from '../../../src/core/journal';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { leavePolling, runnerRig } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const winners = (claims: readonly LeaseClaim[]): number => claims.filter((claim) => claim.ok).length;

/** N stores over one home, as N processes see it: each with its own memory, sharing only the files. */
function claimers(home: string, count: number): ReturnType<typeof createFileJournalStore>[] {
  return Array.from({ length: count }, () => createFileJournalStore(home));
}

describe('lease claims over node:fs: exactly one of many simultaneous claimers wins', () => {
  const now = Date.now();

  it('on a job nobody holds', async () => {
    for (let round = 0; round < 20; round++) {
      const home = mkdtempSync(join(tmpdir(), 'gpt-image-claim-'));
      const stores = claimers(home, 8);
      const claims = await Promise.all(stores.map((store, index) => store.claim?.('job-1', `owner-${index}`, now) as Promise<LeaseClaim>));
      assert.equal(winners(claims), 1, `round ${round}: ${JSON.stringify(claims)}`);
      const refused = claims.find((claim) => !claim.ok);
      const winner = claims.findIndex((claim) => claim.ok);
      assert.deepEqual(refused && !refused.ok ? refused.holder.owner : undefined, `owner-${winner}`);
    }
  });

  it('on a lease whose owner is gone or whose heartbeat is stale: one breaker takes it over, never two', async () => {
    for (const [kind, heartbeatAt, gone] of [
      ['dead owner', now, true],
      ['stale heartbeat', now - leaseExpiryMs - 1, false],
    ] as const) {
      for (let round = 0; round < 10; round++) {
        const home = mkdtempSync(join(tmpdir(), 'gpt-image-claim-'));
        mkdirSync(join(home, 'jobs'), { recursive: true });
        writeFileSync(join(home, 'jobs', 'job-1.lease.0'), JSON.stringify({ owner: 'cli:old:1', heartbeatAt, nonce: 'old' }));
        const isOwnerGone = (owner: string): boolean => gone && owner === 'cli:old:1';
        const claims = await Promise.all(claimers(home, 8).map((store, index) => store.claim?.('job-1', `owner-${index}`, now, isOwnerGone) as Promise<LeaseClaim>));
        assert.equal(winners(claims), 1, `${kind}, round ${round}`);
        assert.deepEqual(readdirSync(join(home, 'jobs')).sort(), ['job-1.lease.0', 'job-1.lease.1'], 'the old lease is never deleted or renamed, only succeeded');
      }
    }
  });

  it('a live lease is refused, a released one is free at once, and the owner takes its own live lease back', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gpt-image-claim-'));
    const [first, second] = claimers(home, 2) as [ReturnType<typeof createFileJournalStore>, ReturnType<typeof createFileJournalStore>];
    assert.deepEqual(await first.claim?.('job-1', 'window-a', now), { ok: true });
    assert.equal((await second.claim?.('job-1', 'window-b', now + 1_000))?.ok, false);
    // A reloaded window (same owner id, fresh memory) takes its live lease back.
    assert.deepEqual(await createFileJournalStore(home).claim?.('job-1', 'window-a', now + 2_000), { ok: true });
    await first.release?.('job-1', 'window-a');
    assert.deepEqual(await second.claim?.('job-1', 'window-b', now + 3_000), { ok: true });
    const lease = JSON.parse(readFileSync(join(home, 'jobs', 'job-1.lease.1'), 'utf8')) as { owner: string };
    assert.equal(lease.owner, 'window-b');
  });
});

describe('two runners resuming one polling job in the same instant', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  const rigs: RunnerRig[] = [];

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
  });
  beforeEach(() => {
    modellix.reset();
    cdn.reset();
  });
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((rig) => rig.http.close()));
  });
  after(async () => {
    await modellix.close();
    await cdn.close();
  });

  it('one finishes it (one download, one file); the other is told it is held elsewhere', { timeout: 30_000 }, async () => {
    let refusals = 0;
    for (let round = 0; round < 5; round++) {
      const root = mkdtempSync(join(tmpdir(), 'gpt-image-race-'));
      const starter = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'starter' });
      rigs.push(starter);
      modellix.setKnobs({ hold: true });
      const jobId = await leavePolling(starter, `Race ${round}`);
      modellix.release();
      modellix.setKnobs({ hold: false });
      cdn.reset();
      const [left, right] = [runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'left' }), runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'right' })];
      rigs.push(left, right);
      const outcomes = await Promise.allSettled([left.runner.resume(jobId, new AbortController().signal), right.runner.resume(jobId, new AbortController().signal)]);
      const described = outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok')).join(', ');
      // The loser is refused, or (had it come after the winner gave the lease back) finds the job saved.
      assert.ok(outcomes.some((outcome) => outcome.status === 'fulfilled'), `round ${round}: ${described}`);
      for (const outcome of outcomes) if (outcome.status === 'rejected') assert.ok(isHeldElsewhereError(outcome.reason), described);
      refusals += outcomes.filter((outcome) => outcome.status === 'rejected').length;
      assert.equal(cdn.requests().filter((request) => request.method === 'GET').length, 1, `round ${round}: one download`);
      assert.equal(readdirSync(starter.outDir).filter((name) => name.endsWith('.png')).length, 1);
      const saved = (await starter.journal.get(jobId)) as JobRecord;
      assert.equal(saved.state, 'saved');
      assert.equal(saved.lease, undefined);
    }
    assert.ok(refusals > 0, 'the race was real: some round had a claimer refused');
  });

  it('a live lease in the record alone (a process of an earlier version, without lease files) is still honoured', { timeout: 20_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-race-'));
    const starter = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'starter' });
    rigs.push(starter);
    modellix.setKnobs({ hold: true });
    const jobId = await leavePolling(starter, 'Old poller');
    const record = (await starter.journal.get(jobId)) as JobRecord;
    record.lease = { owner: 'old-version', heartbeatAt: Date.now() };
    await starter.journal.put(record);
    const polls = modellix.requests().length;
    const other = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'new-version' });
    rigs.push(other);
    await assert.rejects(other.runner.resume(jobId, new AbortController().signal), (error) => isHeldElsewhereError(error));
    assert.equal(modellix.requests().length, polls, 'nothing polled');
    // The claim it made is given back: once the old poller is gone, anyone may take the job.
    const lease = JSON.parse(readFileSync(join(other.home, 'jobs', `${jobId}.lease.1`), 'utf8')) as { released?: boolean };
    assert.equal(lease.released, true);
    modellix.release();
  });

  it('a claimer that read the job before another finished it reads it again after claiming: no second poll or download', { timeout: 20_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'gpt-image-race-'));
    const starter = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'starter' });
    rigs.push(starter);
    modellix.setKnobs({ hold: true });
    const jobId = await leavePolling(starter, 'Late claimer');
    modellix.release();
    modellix.setKnobs({ hold: false });
    cdn.reset();
    const late = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'late' });
    const prompt = runnerRig({ modellix: modellix.baseUrl }, root, { ownerId: 'prompt' });
    rigs.push(late, prompt);
    // The late runner's claim waits (a slow disk, a busy event loop) until the other has finished.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const claim = late.journal.claim?.bind(late.journal);
    assert.ok(claim);
    let waiting!: () => void;
    const isWaiting = new Promise<void>((resolve) => (waiting = resolve));
    late.journal.claim = async (...args) => {
      waiting();
      await gate;
      return claim(...args);
    };
    const lateWork = late.runner.resume(jobId, new AbortController().signal);
    await isWaiting;
    const first = await prompt.runner.resume(jobId, new AbortController().signal);
    assert.equal(first.files.length, 1);
    const polls = modellix.requests().filter((request) => request.method === 'GET').length;
    open();
    const second = await lateWork;
    assert.deepEqual(second.files, first.files, 'the late claimer reports the saved job');
    assert.equal(cdn.requests().filter((request) => request.method === 'GET').length, 1, 'downloaded once');
    assert.equal(modellix.requests().filter((request) => request.method === 'GET').length, polls, 'not polled again');
  });
});
