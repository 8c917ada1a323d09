import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, ProviderError } from '../../../src/core/errors';
import type { ProviderErrorKind } from '../../../src/core/errors';
import { ImagesNotWrittenError } from '../../../src/core/output';
import { resultUnavailableCode } from '../../../src/core/resultLinks';
import { describeError } from '../../../src/host/errorText';
import { createSecretScrubber } from '../../../src/core/secrets';

const kinds: ProviderErrorKind[] = [
  'auth',
  'permission',
  'quota',
  'badRequest',
  'contentPolicy',
  'rateLimit',
  'server',
  'network',
  'timeout',
  'invalidResponse',
  'notFound',
  'taskFailed',
  'unknownOutcome',
];

describe('describeError', () => {
  it('kept images point to "Move into place" in Show Jobs, with the kept path', () => {
    const text = describeError(new ImagesNotWrittenError('The image could not be saved in file:///w/images (the disk is full, ENOSPC); it is kept at file:///g/rescued/j/image-1.png.', ['file:///g/rescued/j/image-1.png']));
    assert.match(text.message, /it is kept at file:\/\/\/g\/rescued\/j\/image-1\.png\. .*"Move into place" .*"GPT Image: Show Jobs"/);
    assert.deepEqual(text.actions, ['showJobs', 'showLog']);
    assert.equal(text.inputProblem, false);
  });

  it('a download that may still work says Show Jobs retries it, not that the base URL is wrong', () => {
    const waiting = describeError(
      new ProviderError({ kind: 'notFound', code: resultUnavailableCode, retryable: true, message: 'The result at https://cdn.example/x.png is not available (HTTP 404). The links stay valid until 2026-05-12 14:22 UTC: resuming the job downloads it again.' }),
    );
    assert.match(waiting.message, /retries the download\.$/);
    assert.doesNotMatch(waiting.message, /base URL/);
    assert.deepEqual(waiting.actions, ['showJobs', 'showLog']);
    const expired = describeError(
      new ProviderError({ kind: 'notFound', code: resultUnavailableCode, message: 'The result at https://cdn.example/x.png is not available (HTTP 404). Result links from Modellix work for about 24 hours after the task finished; these expired at 2026-05-12 14:22 UTC.' }),
    );
    assert.match(expired.message, /Resubmit it from "GPT Image: Show Jobs"/);
    assert.doesNotMatch(expired.message, /base URL/);
  });

  it('keeps the provider\'s sentence and adds what to do, with Show Log, for every kind', () => {
    for (const kind of kinds) {
      const text = describeError(new ProviderError({ kind, message: `Provider said ${kind}` }));
      assert.ok(text.message.startsWith(`Provider said ${kind}.`), text.message);
      assert.ok(text.message.length > `Provider said ${kind}.`.length + 10, `${kind} needs a next step: ${text.message}`);
      assert.ok(text.actions.includes('showLog'), kind);
      assert.equal(text.inputProblem, false);
    }
  });

  it('offers Set API Key for a refused key', () => {
    const text = describeError(new ProviderError({ kind: 'auth', message: 'OpenAI refused the API key (401)' }));
    assert.deepEqual(text.actions, ['setApiKey', 'showLog']);
    assert.match(text.message, /Set API Key/);
  });

  it('says an unknown outcome may be charged, was not resent, and names the job with Show Jobs', () => {
    const error = new ProviderError({
      kind: 'unknownOutcome',
      message: 'The connection to Modellix broke after the request was sent (ECONNRESET); it may still have been accepted (and charged)',
    });
    const text = describeError(error, { jobId: 'job-123' });
    assert.match(text.message, /\(and charged\)\. It was not sent again/);
    assert.match(text.message, /Job job-123\./);
    assert.deepEqual(text.actions, ['showJobs', 'showLog']);
  });

  it('names the task of a failed async task', () => {
    const error = new ProviderError({ kind: 'taskFailed', message: 'APIXO refused the prompt (CONTENT_VIOLATION)', taskId: 'task-9' });
    assert.match(describeError(error, { jobId: 'j1' }).message, /Job j1\. Task task-9\.$/);
  });

  it('lists every input problem without buttons, since nothing was sent', () => {
    const text = describeError(new InputError(['The prompt is empty: describe the image you want.', 'Size 1000x1000: both edges must be multiples of 16']));
    assert.equal(text.message, 'The prompt is empty: describe the image you want. Size 1000x1000: both edges must be multiples of 16.');
    assert.deepEqual(text.actions, []);
    assert.equal(text.inputProblem, true);
  });

  it('says "Cancelled." for an abort and handles plain errors', () => {
    assert.equal(describeError(new ProviderError({ kind: 'aborted', message: 'aborted' })).message, 'Cancelled.');
    const plain = describeError(new Error('disk full'));
    assert.equal(plain.message, 'disk full. The log has the details.');
    assert.deepEqual(plain.actions, ['showLog']);
    assert.match(describeError('weird').message, /^weird\./);
  });
});

describe('secret scrubber', () => {
  it('replaces every registered key in a text and ignores short strings', () => {
    const scrubber = createSecretScrubber();
    scrubber.add('sk-test-openai-key');
    scrubber.add('  mx-test-modellix-key  ');
    scrubber.add('abc');
    const line = 'Bearer sk-test-openai-key failed; echo sk-test-openai-key and mx-test-modellix-key; abc stays';
    const scrubbed = scrubber.scrub(line);
    assert.equal(scrubbed, 'Bearer [redacted] failed; echo [redacted] and [redacted]; abc stays');
    assert.doesNotMatch(scrubbed, /sk-test-openai-key|mx-test-modellix-key/);
  });
});
