import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchJobState } from '../../../src/core/batch/batchApiJob';
import type { BatchJobRecord, BatchPart } from '../../../src/core/batch/batchApiJob';
import { batchPollDelayMs } from '../../../src/core/batch/batchApiPoll';
import { capabilityFor } from '../../../src/core/capabilities';
import { estimateCost, previewCost } from '../../../src/core/cost';

function job(parts: Partial<BatchPart>[]): BatchJobRecord {
  return {
    version: 1,
    kind: 'openaiBatch',
    id: 'j',
    createdAt: 0,
    updatedAt: 0,
    state: 'submitting',
    source: 's.images.yaml',
    baseUrl: 'https://api.openai.com/v1',
    entries: [],
    parts: parts.map((part) => ({ endpoint: '/v1/images/generations', model: 'gpt-image-2', lines: [], state: 'polling', ...part })),
    warnings: [],
  };
}

describe('Batch API job', () => {
  it('reads slowly by default (15 s, then a minute, then 5 minutes); --poll-interval replaces the schedule', () => {
    assert.equal(batchPollDelayMs(0, undefined), 15_000);
    assert.equal(batchPollDelayMs(10 * 60_000, undefined), 60_000);
    assert.equal(batchPollDelayMs(2 * 3_600_000, undefined), 300_000);
    assert.equal(batchPollDelayMs(2 * 3_600_000, 50), 50);
  });

  it('a job with a create of unknown outcome reads as unknown once nothing is under way; work under way first', () => {
    assert.equal(batchJobState(job([{ state: 'unknown' }, { state: 'saved' }])), 'unknown');
    assert.equal(batchJobState(job([{ state: 'unknown' }, { state: 'polling' }])), 'polling');
    assert.equal(batchJobState(job([{ state: 'creating' }])), 'submitting');
    assert.equal(batchJobState(job([{ state: 'cancelled' }, { state: 'saved' }])), 'cancelled');
    assert.equal(
      batchJobState(job([{ state: 'saved', lines: [{ customId: 'a', entry: 0, firstImage: 1, n: 1, state: 'failed', files: [] }] }])),
      'failed',
    );
  });

  it('costs half through the Batch API, before (preview) and after (usage)', () => {
    const capability = capabilityFor('openai', 'gpt-image-2');
    const usage = { inputTextTokens: 100, inputImageTokens: 0, outputTokens: 4000 };
    const sync = estimateCost({ capability, size: '1024x1024', quality: 'high', images: 1, promptLength: 10, usage });
    const batch = estimateCost({ capability, size: '1024x1024', quality: 'high', images: 1, promptLength: 10, usage, batchApi: true });
    assert.ok(sync.kind === 'estimate' && batch.kind === 'estimate');
    assert.equal(batch.usd, sync.usd / 2);
    assert.match(batch.basis, /Batch API \(50 % off\)/);
    const before = previewCost({ capability, size: '1024x1024', quality: 'medium', images: 2, promptLength: 40 });
    const beforeBatch = previewCost({ capability, size: '1024x1024', quality: 'medium', images: 2, promptLength: 40, batchApi: true });
    assert.ok(before.kind === 'usd' && beforeBatch.kind === 'usd');
    assert.ok(Math.abs(beforeBatch.usd - before.usd / 2) < 0.0001);
  });
});
