import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInputError } from '../../../src/core/errors';
import { fromJournalRequest, toJournalRequest } from '../../../src/core/jobRecords';
import { validateRequest } from '../../../src/core/request';
import type { GenerationRequest } from '../../../src/core/request';
import { isSignedUrl, storableUrl, storableUrls } from '../../../src/core/signedUrl';
import { submittingJob } from './fixtures';

describe('signed URLs are stored without their credentials (issue 10, item 9)', () => {
  it('recognises the signatures of S3, GCS, CloudFront, Azure SAS and plain tokens, and user:password', () => {
    for (const url of [
      'https://b.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc',
      'https://storage.googleapis.com/b/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=x&X-Goog-Signature=abc',
      'https://d111.cloudfront.net/a.png?Expires=1767225600&Signature=abc~&Key-Pair-Id=K2JCJMDEHXQW5F',
      'https://acct.blob.core.windows.net/c/a.png?sv=2022-11-02&se=2026-01-01&sp=r&sig=abc%3D',
      'https://cdn.example/a.png?token=abc',
      'https://cdn.example/a.png?access_token=abc',
      'https://cdn.example/a.png?OSSAccessKeyId=x&Expires=1&Signature=y',
      'https://user:secret@cdn.example/a.png',
    ]) {
      assert.equal(isSignedUrl(url), true, url);
      const stored = storableUrl(url);
      assert.doesNotMatch(stored, /[?#@]/, stored);
      assert.ok(url.includes(new URL(stored).pathname), 'the path is kept, to recognise the file');
    }
  });

  it('leaves ordinary URLs alone, query and all', () => {
    for (const url of ['https://cdn.example/a.png', 'https://cdn.example/a.png?width=512&format=png', 'not a url at all']) {
      assert.equal(isSignedUrl(url), false, url);
      assert.equal(storableUrl(url), url);
    }
    assert.deepEqual(storableUrls(['https://cdn.example/a.png']), { urls: ['https://cdn.example/a.png'], redacted: false });
    assert.deepEqual(storableUrls(['https://cdn.example/a.png', 'https://cdn.example/b.png?sig=1']), {
      urls: ['https://cdn.example/a.png', 'https://cdn.example/b.png'],
      redacted: true,
    });
  });

  it('a presigned reference image is journalled redacted, and a resubmit refuses it before anything is sent', async () => {
    const request: GenerationRequest = {
      provider: 'apixo',
      model: 'gpt-image-2',
      prompt: 'Add a hat',
      size: '1:1@1k',
      inputImages: [
        { kind: 'url', url: 'https://bucket.example/cat.png?X-Amz-Signature=abc' },
        { kind: 'url', url: 'https://public.example/dog.png' },
      ],
    };
    const journal = toJournalRequest(request, validateRequest(request));
    assert.deepEqual(journal.inputImages, [
      { kind: 'url', url: 'https://bucket.example/cat.png', redacted: true },
      { kind: 'url', url: 'https://public.example/dog.png' },
    ]);
    const job = submittingJob('20260101-000000-aaaaaa', 0, { provider: 'apixo', request: journal });
    await assert.rejects(fromJournalRequest(job, undefined), (error: unknown) => isInputError(error) && /signed link of reference image https:\/\/bucket\.example\/cat\.png was not kept/.test(error.message));
  });
});
