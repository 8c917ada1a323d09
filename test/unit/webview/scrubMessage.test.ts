import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSecretScrubber } from '../../../src/core/secrets';
import type { ToWebview } from '../../../src/webview/protocol';
import { scrubStrings } from '../../../src/webview/scrubMessage';

describe('scrubStrings (messages to the Studio page)', () => {
  const key = 'sk-test-openai-key';
  const scrubber = createSecretScrubber();
  scrubber.add(key);

  it('removes a registered key from every string, however deep, and keeps everything else', () => {
    const message: ToWebview = {
      type: 'job',
      job: {
        jobId: 'job-1',
        requestId: 'r1',
        prompt: 'a cat',
        provider: 'openai',
        phase: 'failed',
        taskIndex: 0,
        taskCount: 2,
        elapsedMs: 1234,
        message: 'Failed',
        error: `401: Incorrect API key provided: ${key}.`,
        warnings: [`echoed ${key} twice ${key}`],
        thumbnails: [],
        cancellable: false,
      },
    };
    const scrubbed = scrubStrings(message, (text) => scrubber.scrub(text));
    assert.doesNotMatch(JSON.stringify(scrubbed), /sk-test-openai-key/);
    assert.deepEqual(scrubbed, {
      ...message,
      job: { ...message.job, error: '401: Incorrect API key provided: [redacted].', warnings: ['echoed [redacted] twice [redacted]'] },
    });
    // The original is left alone (it is also the panel's record of the job).
    assert.match(JSON.stringify(message), /sk-test-openai-key/);
  });

  it('passes numbers, booleans and undefined through', () => {
    assert.deepEqual(scrubStrings({ a: 1, b: true, c: undefined, d: null }, (text) => `${text}!`), { a: 1, b: true, c: undefined, d: null });
  });
});
