import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, fakeKeys, imagesIn, lines, runCli } from './cliHarness';
import { batchRecords, count, outDir, routes, threeEntries, threeEntryFiles, uploadedJsonl, withBatchFile } from './batchApiSupport';

const fast = ['--poll-interval', '0.05'];

describe('gpt-image batch --via batch-api (built CLI against the fake OpenAI Batch API)', () => {
  let openai: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(() => openai.close());
  beforeEach(() => {
    openai.reset();
    openai.batch.configure({ stepMs: 100 });
  });

  it('writes every image under its entry name from one upload and one batch; the exact JSONL and create body; a second run sends nothing', async () => {
    const box = withBatchFile(openai, threeEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), threeEntryFiles);
    assert.deepEqual(lines(result.stdout).map((file) => file.replace(`${outDir(box)}/`, '')).sort(), threeEntryFiles);
    // Nothing synchronous: one upload, one create, status reads, the output file.
    assert.equal(count(openai, 'POST /v1/images/generations'), 0);
    assert.equal(count(openai, 'POST /v1/files'), 1);
    assert.equal(count(openai, 'POST /v1/batches'), 1);
    assert.ok(count(openai, 'GET /v1/batches/batch-*') >= 1, routes(openai).join('\n'));
    assert.equal(count(openai, 'GET /v1/files/file-*/content'), 1);

    const upload = openai.apiRequests().find((request) => request.url === '/v1/files');
    assert.ok(upload);
    assert.equal(upload.headers.authorization, `Bearer ${fakeKeys.OPENAI_API_KEY}`);
    const jsonl = uploadedJsonl(upload);
    assert.equal(jsonl.purpose, 'batch');
    assert.match(jsonl.fileName, /\.jsonl$/);
    assert.equal(
      jsonl.text,
      [
        '{"custom_id":"icon","method":"POST","url":"/v1/images/generations","body":{"model":"gpt-image-2","prompt":"A paper boat icon","n":1,"size":"1024x1024","quality":"medium"}}',
        '{"custom_id":"hero","method":"POST","url":"/v1/images/generations","body":{"model":"gpt-image-2","prompt":"Watercolor harbour at dawn","n":2,"size":"1536x1024","quality":"medium"}}',
        '{"custom_id":"badge","method":"POST","url":"/v1/images/generations","body":{"model":"gpt-image-2","prompt":"A round badge","n":1,"size":"1024x1024","quality":"medium"}}',
        '',
      ].join('\n'),
    );
    const fileId = [...openai.batch.files.values()].find((file) => file.purpose === 'batch')?.id;
    const create = openai.apiRequests().find((request) => request.url === '/v1/batches');
    const [job] = batchRecords(box);
    assert.ok(job && create);
    assert.deepEqual(JSON.parse(create.body.toString('utf8')), {
      input_file_id: fileId,
      endpoint: '/v1/images/generations',
      completion_window: '24h',
      metadata: { job: job.id, source: 'site.images.yaml' },
    });
    assert.equal(job.state, 'saved');

    // The sidecar records the entry's request, like a synchronous run, at the Batch API's half price.
    const sidecar = JSON.parse(readFileSync(join(outDir(box), '.gpt-image', 'icon.png.json'), 'utf8')) as { request: { prompt: string; n: number }; costEstimateUsd: number; jobId: string };
    assert.equal(sidecar.request.prompt, 'A paper boat icon');
    assert.equal(sidecar.jobId, job.id);
    // Where it came from, as a synchronous run records it: the batch file (relative) and the entry.
    for (const [file, entry] of [['icon.png', 'icon'], ['hero-2.png', 'hero']]) {
      const recorded = JSON.parse(readFileSync(join(outDir(box), '.gpt-image', `${file}.json`), 'utf8')) as { batch?: unknown };
      assert.deepEqual(recorded.batch, { file: 'site.images.yaml', entry }, file);
    }
    // The fake's usage: 5 text tokens in, 1056 image tokens out, at $5 and $30 per million; half of it.
    assert.equal(sidecar.costEstimateUsd, Math.round(((5 * 5 + 1056 * 30) / 1_000_000) * 0.5 * 1_000_000) / 1_000_000);

    const before = openai.apiRequests().length;
    const again = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(openai.apiRequests().length, before, 'a second run sends nothing');
  });

  it('--dry-run shows the 50 % discount and sends nothing', async () => {
    const box = withBatchFile(openai, threeEntries);
    const plain = await runCli(['batch', 'site.images.yaml', '--dry-run'], box);
    const viaBatch = await runCli(['batch', 'site.images.yaml', '--dry-run', '--via', 'batch-api'], box);
    assert.equal(viaBatch.code, 0, viaBatch.stderr);
    assert.equal(openai.apiRequests().length, 0);
    const total = (text: string): number => Number(/estimated cost about \$(\d+\.\d+)/.exec(text)?.[1]);
    assert.ok(total(plain.stdout) > 0, plain.stdout);
    assert.ok(Math.abs(total(viaBatch.stdout) - total(plain.stdout) / 2) < 0.002, `${plain.stdout}\n${viaBatch.stdout}`);
    assert.match(viaBatch.stdout, /Batch API: 50 % off/);
  });

  it('names every line that failed (a non-2xx response, an error) and saves the rest; gpt-image jobs shows the counts', async () => {
    // Through the control route, as a client in another process (the real editor) would set it.
    const control = await fetch(`${openai.origin}/__control`, { method: 'POST', body: JSON.stringify({ batch: { knobs: { failLines: { hero: 'status', badge: 'error' } } } }) });
    assert.equal(control.status, 200);
    const box = withBatchFile(openai, threeEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['icon.png']);
    assert.match(result.stderr, /Entry "hero": OpenAI refused it \(moderation_blocked\): .*\(HTTP 400\)/);
    assert.match(result.stderr, /Entry "badge": OpenAI could not run it \(server_error\)/);
    assert.match(result.stderr, /1 of 3 requests saved, 2 failed/);
    const jobs = await runCli(['jobs'], box);
    assert.match(jobs.stdout, /failed .*Batch API: site\.images\.yaml \(3 entries\) {2}1 of 3 saved, 2 failed/);
    assert.match(jobs.stdout, /batch: batch-fake\d+ \(completed, 1 completed, 2 failed of 3\)/);
  });

  it('refuses entries for other providers before anything is sent', async () => {
    const gravitex = await startFakeOpenAi({ flavour: 'gravitex' });
    try {
      const box = withBatchFile(openai, `${threeEntries}  - name: mascot\n    prompt: An otter\n    providers: [openai, gravitex]\n`);
      const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api'], box, { GPT_IMAGE_GRAVITEX_BASE_URL: gravitex.baseUrl });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /line 11: mascot-gravitex is for Gravitex; --via batch-api sends only OpenAI entries/);
      assert.equal(openai.apiRequests().length, 0);
      assert.equal(gravitex.apiRequests().length, 0);
    } finally {
      await gravitex.close();
    }
  });

  it('a batch that fails validation names the entry of the line OpenAI reports; nothing is charged', async () => {
    openai.batch.configure({ outcome: 'failed' });
    const box = withBatchFile(openai, threeEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /OpenAI refused batch batch-fake\d+ while validating it \(nothing ran, nothing was charged\): entry "hero": The body of line 2/);
    assert.deepEqual(imagesIn(outDir(box)), []);
  });

  it('an expired batch saves what finished in the window and names the rest', async () => {
    openai.batch.configure({ outcome: 'expired', finishedBeforeExpiry: ['icon'] });
    const box = withBatchFile(openai, threeEntries);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['icon.png']);
    assert.match(result.stderr, /Entry "hero": OpenAI could not run it \(batch_expired\)/);
  });
});
