import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { fakeKeys, imagesIn, runCli } from './cliHarness';
import { count, outDir, uploadsOf, withBatchFile } from './batchApiSupport';

const fast = ['--poll-interval', '0.05'];

const mixed = `defaults: { provider: openai, quality: low, out: assets/generated }
images:
  - name: icon
    prompt: A paper boat icon
    size: 1024x1024
  - name: retouch
    prompt: Make the sky orange
    images: [ref.png]
    size: 1024x1536
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('gpt-image batch --via batch-api: edits and mixed files', () => {
  let openai: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
  });
  after(() => openai.close());
  beforeEach(() => {
    openai.reset();
    openai.batch.configure({ stepMs: 100 });
  });

  it('an edit goes as a JSON body naming its image by file_id (a vision upload), in its own batch; every file written; no key in the journal', async () => {
    const box = withBatchFile(openai, mixed);
    const reference = makePng({ width: 32, height: 48, seed: 3 });
    writeFileSync(join(box.cwd, 'ref.png'), reference);
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['icon.png', 'retouch.png']);
    // One batch per endpoint: two JSONL uploads, two creates; and the image once, as a vision file.
    const images = uploadsOf(openai, 'vision');
    assert.equal(images.length, 1);
    assert.deepEqual(images[0]?.bytes, reference);
    assert.match(images[0]?.fileName ?? '', /^gpt-image-[0-9a-f]{16}\.png$/);
    const uploads = uploadsOf(openai, 'batch').map((upload) => upload.text);
    assert.equal(uploads.length, 2);
    assert.equal(count(openai, 'POST /v1/batches'), 2);
    const edit = uploads.map((text) => JSON.parse(text.trim()) as { custom_id: string; url: string; body: Record<string, unknown> }).find((line) => line.custom_id === 'retouch');
    assert.ok(edit, uploads.join('\n'));
    assert.equal(edit.url, '/v1/images/edits');
    const imageFile = [...openai.batch.files.values()].find((file) => file.purpose === 'vision');
    assert.ok(imageFile);
    assert.deepEqual(edit.body, { model: 'gpt-image-2', prompt: 'Make the sky orange', n: 1, size: '1024x1536', quality: 'low', images: [{ file_id: imageFile.id }] });
    assert.deepEqual(openai.batch.editInputs.get('retouch'), [reference], 'the fake made the edit from the uploaded bytes');
    const creates = openai.apiRequests().filter((request) => request.url === '/v1/batches').map((request) => (JSON.parse(request.body.toString('utf8')) as { endpoint: string }).endpoint);
    assert.deepEqual(creates.sort(), ['/v1/images/edits', '/v1/images/generations']);
    for (const file of filesUnder(box.home)) assert.ok(!readFileSync(file, 'utf8').includes(fakeKeys.OPENAI_API_KEY), `the key is in ${file}`);
  });

  it('one batch of unknown outcome does not stop the others: their images are written, the unknown one named (exit 3)', async () => {
    openai.batch.enqueue({ on: 'create', kind: 'status', status: 502, skip: 1 });
    const box = withBatchFile(openai, mixed);
    writeFileSync(join(box.cwd, 'ref.png'), makePng({ width: 32, height: 48, seed: 3 }));
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api', ...fast], box);
    assert.equal(result.code, 3, result.stderr);
    assert.deepEqual(imagesIn(outDir(box)), ['icon.png']);
    assert.match(result.stderr, /OpenAI may have created \(and will charge for\) the batch of file file-fake\d+: it is not created again automatically.*gpt-image jobs lists job/);
    assert.equal(count(openai, 'POST /v1/batches'), 2);
  });

  it('a batch edit at a size its JSON body does not list is refused before anything is sent', async () => {
    const box = withBatchFile(openai, mixed.replace('size: 1024x1536', 'size: 1280x720'));
    writeFileSync(join(box.cwd, 'ref.png'), makePng({ width: 32, height: 32, seed: 1 }));
    const result = await runCli(['batch', 'site.images.yaml', '--via', 'batch-api'], box);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /line 6: retouch: size 1280x720 cannot be sent in a Batch API edit: its JSON body takes only auto, 1024x1024, 1536x1024, 1024x1536/);
    assert.equal(openai.apiRequests().length, 0);
  });
});
