import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markUnwatched, stateChangeAnnouncement, upsertJob } from '../../../src/webview/jobList';
import type { JobView } from '../../../src/webview/protocol';

function job(jobId: string, overrides: Partial<JobView> = {}): JobView {
  return {
    jobId,
    prompt: `prompt ${jobId}`,
    provider: 'openai',
    phase: 'polling',
    taskIndex: 0,
    taskCount: 1,
    elapsedMs: 0,
    message: 'Waiting',
    warnings: [],
    thumbnails: [],
    cancellable: true,
    ...overrides,
  };
}

describe('jobs list: keyed updates', () => {
  it('replaces an updated job where it is and keeps every other entry as the same object', () => {
    const a = job('a');
    const b = job('b');
    const c = job('c');
    const next = upsertJob([a, b, c], job('b', { phase: 'downloading', elapsedMs: 5000 }));
    assert.deepEqual(next.map((item) => item.jobId), ['a', 'b', 'c'], 'no row moves');
    assert.equal(next[0], a, 'untouched rows keep their identity (their keyed DOM rows are not rebuilt)');
    assert.equal(next[2], c);
    assert.equal(next[1]?.phase, 'downloading');
  });

  it('puts a new job first and never mutates the list it was given', () => {
    const list = [job('a')];
    const next = upsertJob(list, job('new'));
    assert.deepEqual(next.map((item) => item.jobId), ['new', 'a']);
    assert.deepEqual(list.map((item) => item.jobId), ['a'], 'the previous list is unchanged');
  });

  it('drops the oldest finished jobs beyond the limit, never a running one', () => {
    const list = [job('r1'), job('done-new', { phase: 'saved' }), job('r2'), job('done-old', { phase: 'failed' })];
    const next = upsertJob(list, job('r3'), 4);
    assert.deepEqual(next.map((item) => item.jobId), ['r3', 'r1', 'done-new', 'r2']);
    const running = [job('r1'), job('r2')];
    assert.deepEqual(upsertJob(running, job('r3'), 2).map((item) => item.jobId), ['r3', 'r1', 'r2'], 'running jobs stay beyond the limit');
  });

  it('marks jobs saved as running as no longer watched after the page came back', () => {
    const [running, saved] = markUnwatched([job('r'), job('s', { phase: 'saved', cancellable: false })]);
    assert.equal(running?.cancellable, false);
    assert.match(running?.message ?? '', /Show Jobs/);
    assert.equal(saved?.message, 'Waiting');
  });
});

describe('jobs list: what is announced', () => {
  it('announces a change of state to saved, failed, needs a decision or cancelled', () => {
    assert.match(stateChangeAnnouncement(job('a'), job('a', { phase: 'saved', thumbnails: ['x'] })) ?? '', /^Saved: "prompt a", 1 image\.$/);
    assert.match(stateChangeAnnouncement(job('a'), job('a', { phase: 'failed', error: 'Quota exceeded.' })) ?? '', /^Failed: .*Quota exceeded\.$/);
    assert.match(stateChangeAnnouncement(job('a'), job('a', { phase: 'unknown' })) ?? '', /^Needs a decision/);
    assert.match(stateChangeAnnouncement(job('a'), job('a', { phase: 'cancelled' })) ?? '', /^Cancelled/);
  });

  it('announces nothing for progress, ticks, repeats or a job that starts', () => {
    assert.equal(stateChangeAnnouncement(undefined, job('a', { phase: 'submitting' })), undefined, 'a new running job');
    assert.equal(stateChangeAnnouncement(job('a'), job('a', { elapsedMs: 9000, message: 'Still waiting' })), undefined, 'progress in the same phase');
    assert.equal(stateChangeAnnouncement(job('a', { phase: 'polling' }), job('a', { phase: 'downloading' })), undefined, 'a running phase');
    const saved = job('a', { phase: 'saved' });
    assert.equal(stateChangeAnnouncement(saved, job('a', { phase: 'saved', costUsd: 0.02 })), undefined, 'the saved job again (its usage arrived)');
  });
});
