import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord, JobState, JobTask } from '../../../src/core/journal';
import { describeJob, jobActions, promptStart, sortJobs } from '../../../src/host/jobList';
import { progressMessage } from '../../../src/host/progressText';
import { formatAge, formatElapsed } from '../../../src/core/timeText';
import { journalRequest } from '../core/fixtures';

function job(state: JobState, overrides: Partial<JobRecord> = {}, tasks: JobTask[] = [{ state, n: 1, files: [] }]): JobRecord {
  return {
    version: 1,
    id: `job-${state}`,
    createdAt: 1_000_000,
    updatedAt: 1_000_000,
    state,
    provider: 'modellix',
    model: 'gpt-image-2',
    request: journalRequest({ prompt: 'A lighthouse on a cliff at dusk, oil painting, dramatic clouds rolling in from the sea', quality: 'medium' }),
    output: { dir: 'file:///w/images', template: '{date}-{slug}-{index}' },
    tasks,
    uploads: [],
    warnings: [],
    ...overrides,
  };
}

describe('Show Jobs rows', () => {
  it('shows state icon, start of the prompt, provider, state, age and files', () => {
    const saved = job('saved', {}, [{ state: 'saved', n: 2, files: ['file:///w/images/a.png', 'file:///w/images/b.png'] }]);
    const row = describeJob(saved, 1_000_000 + 5 * 60_000, false);
    assert.equal(row.label, '$(pass) A lighthouse on a cliff at dusk, oil painting, dramatic…');
    assert.equal(row.description, 'Modellix · saved · 5 min ago · 2 files');
    assert.equal(row.detail, undefined);
    const failed = describeJob(job('failed', { error: { kind: 'taskFailed', message: 'Modellix failed the task.' } }), 1_000_000, true);
    assert.equal(failed.detail, 'Modellix failed the task.');
    assert.match(failed.description, /failed, running · just now$/);
  });

  it('offers the actions that fit each state', () => {
    assert.deepEqual(jobActions(job('polling'), false), ['resume', 'discard']);
    assert.deepEqual(jobActions(job('polling'), true), []);
    assert.deepEqual(jobActions(job('unknown'), false), ['resubmit', 'discard']);
    assert.deepEqual(jobActions(job('cancelled'), false), ['resubmit', 'discard']);
    const withUrls = job('failed', {}, [{ state: 'failed', n: 1, files: [], resultUrls: ['https://cdn.example/x.png'] }]);
    assert.deepEqual(jobActions(withUrls, false), ['retryDownload', 'resubmit', 'discard']);
    const saved = job('saved', {}, [{ state: 'saved', n: 1, files: ['file:///w/images/a.png'] }]);
    assert.deepEqual(jobActions(saved, false), ['open', 'discard']);
  });

  it('offers "Move into place" for kept images, shows the state in words, and lists it among the unfinished', () => {
    const kept = job('needsAttention', { error: { kind: 'write', message: 'The image could not be saved in /w/images (the disk is full, ENOSPC); it is kept at /g/rescued/j/image-1.png.' } }, [
      { state: 'needsAttention', n: 1, files: [], images: [{ state: 'kept', kept: '/g/rescued/j/image-1.png' }] },
    ]);
    assert.deepEqual(jobActions(kept, false), ['moveIntoPlace', 'discard']);
    const row = describeJob(kept, 1_000_000, false);
    assert.equal(row.label.startsWith('$(warning) '), true);
    assert.match(row.description, / · needs attention · /);
    assert.match(row.detail ?? '', /kept at \/g\/rescued\/j\/image-1\.png/);
    assert.deepEqual(sortJobs([job('saved', { id: 'done', updatedAt: 50 }), { ...kept, updatedAt: 10 }]).map((entry) => entry.id), ['job-needsAttention', 'done']);
  });

  it('lists unfinished jobs first, newest first', () => {
    const sorted = sortJobs([
      job('saved', { id: 'old-saved', updatedAt: 10 }),
      job('polling', { id: 'old-polling', updatedAt: 5 }),
      job('saved', { id: 'new-saved', updatedAt: 30 }),
      job('failed', { id: 'new-failed', updatedAt: 20 }),
    ]);
    assert.deepEqual(sorted.map((entry) => entry.id), ['new-failed', 'old-polling', 'new-saved', 'old-saved']);
  });

  it('formats ages and prompt starts', () => {
    assert.equal(formatAge(10_000), 'just now');
    assert.equal(formatAge(59 * 60_000), '59 min ago');
    assert.equal(formatAge(3 * 3_600_000), '3 h ago');
    assert.equal(formatAge(5 * 86_400_000), '5 days ago');
    assert.equal(promptStart('  a\n\ncat  '), 'a cat');
    assert.equal(promptStart('one two three four', 10), 'one two…');
    assert.equal(promptStart('abcdefghijklmnop', 10), 'abcdefghi…');
  });
});

describe('progress text', () => {
  it('formats elapsed time as m:ss or h:mm:ss', () => {
    assert.equal(formatElapsed(0), '0:00');
    assert.equal(formatElapsed(7_900), '0:07');
    assert.equal(formatElapsed(161_000), '2:41');
    assert.equal(formatElapsed(3_723_000), '1:02:03');
  });

  it('says what is happening, for which image, and for how long', () => {
    assert.equal(progressMessage(undefined, 0, 'OpenAI'), 'Starting · 0:00');
    const polling = { jobId: 'j', phase: 'polling', taskIndex: 1, taskCount: 3, elapsedMs: 0, message: '' } as const;
    assert.equal(progressMessage(polling, 65_000, 'APIXO'), 'Waiting for APIXO (image 2 of 3) · 1:05');
    assert.equal(progressMessage({ ...polling, phase: 'submitting', taskCount: 1 }, 1_000, 'OpenAI'), 'Sending the request · 0:01');
  });
});
