import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchJobRecord, BatchLine } from '../../../src/core/batch/batchApiJob';
import { batchJobActions, batchJobSummary, describeBatchJob } from '../../../src/host/batchJobList';

function line(state: BatchLine['state'], index: number): BatchLine {
  return { customId: `e${index}`, entry: index, firstImage: 1, n: 1, state, files: state === 'saved' ? [`file:///w/images/e${index}.png`] : [] };
}

function job(state: BatchJobRecord['state'], lines: BatchLine[], batchId: string | undefined, partState: BatchJobRecord['parts'][number]['state']): BatchJobRecord {
  return {
    version: 1,
    kind: 'openaiBatch',
    id: 'job-b1',
    createdAt: 1_000_000,
    updatedAt: 1_000_000,
    state,
    source: '/w/site.images.yaml',
    baseUrl: 'https://api.openai.com/v1',
    entries: lines.map((_, index) => ({ name: `e${index}`, model: 'gpt-image-2', request: {} as never, output: { dir: 'file:///w/images', template: `e${index}` } })),
    parts: [{ endpoint: '/v1/images/generations', model: 'gpt-image-2', lines, state: partState, batchId }],
    warnings: [],
  };
}

describe('Show Jobs rows for Batch API jobs', () => {
  it('shows the counts, the state and the batch id; running and age', () => {
    const lines = [...Array.from({ length: 12 }, (_, index) => line('saved', index)), line('failed', 12), ...Array.from({ length: 7 }, (_, index) => line('waiting', 13 + index))];
    const polling = job('polling', lines, 'batch_abc123', 'polling');
    assert.equal(batchJobSummary(polling), '12 of 20 saved, 1 failed — polling, batch batch_abc123');
    const row = describeBatchJob(polling, 1_000_000 + 5 * 60_000, true);
    assert.equal(row.label, '$(layers) Batch API: site.images.yaml (20 entries)');
    assert.equal(row.description, '12 of 20 saved, 1 failed — polling, batch batch_abc123, running · 5 min ago');
  });

  it('offers Cancel while anything runs at OpenAI, Check now while it can move, Show files once any is saved', () => {
    assert.deepEqual(batchJobActions(job('polling', [line('waiting', 0)], 'batch_1', 'polling')), ['checkNow', 'cancel']);
    assert.deepEqual(batchJobActions(job('saved', [line('saved', 0)], 'batch_1', 'saved')), ['showFiles']);
    assert.deepEqual(batchJobActions(job('unknown', [line('waiting', 0)], undefined, 'unknown')), []);
  });
});
