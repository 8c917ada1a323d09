import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { assertNoKeyLeak, imagesIn, runCli, startCli, waitFor } from './cliHarness';
import { batchRecords, count, outDir, uploadsOf, withBatchFile } from './batchApiSupport';

const fast = ['--poll-interval', '0.05'];

/** Two edits of one reference (one of them masked by another file), and a generation. */
const sharedReference = `defaults: { provider: openai, quality: low, size: 1024x1024, out: assets/generated }
images:
  - name: orange
    prompt: Make the sky orange
    images: [ref.png]
  - name: purple
    prompt: Make the sky purple
    images: [ref.png, second.png]
  - name: plain
    prompt: A paper boat
`;

interface EditLine {
  custom_id: string;
  body: { images?: { file_id?: string; image_url?: string }[] };
}

describe('gpt-image batch --via batch-api: edit images as uploaded files', () => {
  let openai: FakeOpenAi;
  const reference = makePng({ width: 32, height: 32, seed: 5 });
  const second = makePng({ width: 32, height: 32, seed: 9 });

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(() => openai.close());
  beforeEach(() => {
    openai.reset();
    openai.batch.configure({ stepMs: 100 });
  });

  const boxWithImages = (): ReturnType<typeof withBatchFile> => {
    const box = withBatchFile(openai, sharedReference);
    writeFileSync(join(box.cwd, 'ref.png'), reference);
    writeFileSync(join(box.cwd, 'second.png'), second);
    return box;
  };

  const editLines = (): EditLine[] =>
    uploadsOf(openai, 'batch')
      .flatMap((upload) => upload.text.split('\n').filter((text) => text.trim() !== ''))
      .map((text) => JSON.parse(text) as EditLine)
      .filter((line) => line.body.images !== undefined);

  it('the same image used by two entries is uploaded once; both lines name its file id; no data URL is uploaded', async () => {
    const box = boxWithImages();
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['orange.png', 'plain.png', 'purple.png']);
    const images = uploadsOf(openai, 'vision');
    assert.deepEqual(
      images.map((upload) => upload.bytes),
      [reference, second],
      'each distinct image once, in order of first use',
    );
    const visionFiles = [...openai.batch.files.values()].filter((file) => file.purpose === 'vision');
    assert.deepEqual(
      visionFiles.map((file) => file.expiresAfterSeconds),
      [2_592_000, 2_592_000],
      "each image expires at OpenAI after 30 days (vision files otherwise stay until deleted)",
    );
    const lines = editLines();
    assert.equal(lines.length, 2);
    const [orange, purple] = [lines.find((line) => line.custom_id === 'orange'), lines.find((line) => line.custom_id === 'purple')];
    assert.ok(orange?.body.images?.[0]?.file_id);
    assert.equal(purple?.body.images?.[0]?.file_id, orange.body.images[0].file_id);
    assert.notEqual(purple?.body.images?.[1]?.file_id, orange.body.images[0].file_id);
    for (const upload of uploadsOf(openai, 'batch')) assert.doesNotMatch(upload.text, /data:image/);
    assert.deepEqual(openai.batch.editInputs.get('purple'), [reference, second]);
    assert.deepEqual(Object.keys(batchRecords(box)[0] as object).includes('imageFiles'), true);
  });

  it('an image upload answered 503 once is uploaded again (it is free); every file written, one create per batch', async () => {
    openai.batch.enqueue({ on: 'uploadImage', kind: 'status', status: 503 });
    const box = boxWithImages();
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['orange.png', 'plain.png', 'purple.png']);
    assert.equal(uploadsOf(openai, 'vision').length, 3, 'the first image twice (503, then accepted), the second once');
    assert.equal([...openai.batch.files.values()].filter((file) => file.purpose === 'vision').length, 2);
    assert.equal(count(openai, 'POST /v1/batches'), 2);
  });

  it('SIGKILL after the images were uploaded, before the JSONL: resume reuses their file ids, creates once, writes every image', async () => {
    // The edits come first in the file, so their batch is the first part: its JSONL upload is held,
    // and the process dies after its images were uploaded and before anything was created.
    openai.batch.enqueue({ on: 'upload', kind: 'delay', delayMs: 4000 });
    const box = boxWithImages();
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => uploadsOf(openai, 'vision').length >= 2 && uploadsOf(openai, 'batch').length >= 1);
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    const record = batchRecords(box)[0] as { imageFiles?: Record<string, string> } | undefined;
    assert.equal(Object.keys(record?.imageFiles ?? {}).length, 2, 'both file ids journaled before the JSONL upload');
    assert.equal(count(openai, 'POST /v1/batches'), 0);

    const resumed = await runCli(['resume', ...fast], box);
    assertNoKeyLeak(resumed);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['orange.png', 'plain.png', 'purple.png']);
    assert.equal(uploadsOf(openai, 'vision').length, 2, 'no image uploaded twice');
    assert.equal(count(openai, 'POST /v1/batches'), 2, 'one create per batch, none sent twice');
    assert.deepEqual(openai.batch.editInputs.get('purple'), [reference, second]);
    assert.equal(batchRecords(box)[0]?.state, 'saved');
  });

  it('SIGKILL while the edit batch is polled: resume uploads nothing and creates nothing again', async () => {
    openai.batch.configure({ stepMs: 1500 });
    const box = boxWithImages();
    const run = startCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    await waitFor(() => count(openai, 'POST /v1/batches') >= 2 && count(openai, 'GET /v1/batches/batch-*') >= 1);
    run.child.kill('SIGKILL');
    await run.done;
    openai.batch.configure({ stepMs: 100 });
    const resumed = await runCli(['resume', ...fast], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['orange.png', 'plain.png', 'purple.png']);
    assert.equal(uploadsOf(openai, 'vision').length, 2);
    assert.equal(uploadsOf(openai, 'batch').length, 2);
    assert.equal(count(openai, 'POST /v1/batches'), 2);
  });
});
