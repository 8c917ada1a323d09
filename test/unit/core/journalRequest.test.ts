import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJobRecord, fromJournalRequest } from '../../../src/core/jobRecords';
import type { GenerationRequest } from '../../../src/core/request';
import { validateRequest } from '../../../src/core/request';

describe('what the journal keeps of a request', () => {
  it('keeps moderation, a custom model and partial images, so a resubmit sends what was sent', async () => {
    const request: GenerationRequest = {
      provider: 'openai',
      model: 'gpt-image-2',
      customModel: 'gpt-image-3',
      prompt: 'A paper boat',
      size: '1024x1024',
      quality: 'low',
      moderation: 'low',
      partialImages: 2,
    };
    const job = createJobRecord('job-1', request, validateRequest(request), { dir: '/out', template: '{slug}' }, 0);
    assert.equal(job.request.moderation, 'low');
    assert.equal(job.request.customModel, 'gpt-image-3');
    assert.equal(job.request.partialImages, 2);
    const again = await fromJournalRequest(JSON.parse(JSON.stringify(job)) as typeof job, undefined);
    assert.equal(again.moderation, 'low');
    assert.equal(again.customModel, 'gpt-image-3');
    assert.equal(again.partialImages, 2);
  });
});
