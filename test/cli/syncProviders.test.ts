import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { makePng } from '../fake-providers/png';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox } from './cliHarness';

describe('gpt-image generate/edit with OpenAI and Gravitex (built CLI against the fakes)', () => {
  let openai: FakeOpenAi;
  let gravitex: FakeOpenAi;

  before(async () => {
    openai = await startFakeOpenAi({ flavour: 'openai' });
    gravitex = await startFakeOpenAi({ flavour: 'gravitex' });
  });
  after(async () => {
    await openai.close();
    await gravitex.close();
  });
  beforeEach(() => {
    openai.reset();
    gravitex.reset();
  });

  it('writes exactly the served bytes, prints only absolute paths, and keeps provenance', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A lighthouse at dusk', '--size', '1536x1024', '--base-url', openai.baseUrl], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    const files = lines(result.stdout);
    assert.equal(files.length, 1);
    const file = files[0] as string;
    assert.ok(isAbsolute(file) && file.startsWith(join(box.cwd, 'images')), file);
    assert.match(file, /-a-lighthouse-at-dusk-1\.png$/);
    assert.deepEqual(readFileSync(file), openai.served[0]?.bytes);
    const sent = JSON.parse((openai.apiRequests()[0]?.body ?? Buffer.alloc(0)).toString('utf8')) as Record<string, unknown>;
    assert.equal(sent.size, '1536x1024');
    assert.equal(sent.response_format, undefined);
    const provenance = JSON.parse(readFileSync(join(box.cwd, 'images', '.gpt-image', `${file.split('/').pop() ?? ''}.json`), 'utf8')) as Record<string, unknown>;
    assert.equal(provenance.provider, 'openai');
    assert.equal((provenance.request as { prompt: string }).prompt, 'A lighthouse at dusk');
  });

  it('a base64 image cut short is never saved: exit 1, the image named, no file, one paid request', async () => {
    const box = sandbox();
    openai.enqueue({ truncatedImage: true });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'Cut short', '--base-url', openai.baseUrl], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Image 1 arrived incomplete \(a PNG/);
    assert.equal(result.stdout, '');
    assert.deepEqual(imagesIn(join(box.cwd, 'images')), []);
    assert.equal(openai.apiRequests().length, 1);
  });

  it('honours --n in one request and never overwrites (a second run adds files)', async () => {
    const box = sandbox();
    const args = ['generate', '--provider', 'gravitex', '--prompt', 'Three paper boats', '--n', '3', '--out', 'art', '--base-url', gravitex.baseUrl, '--quiet'];
    const first = await runCli(args, box);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.equal(lines(first.stdout).length, 3);
    assert.equal(gravitex.apiRequests().length, 1);
    assert.equal((JSON.parse(gravitex.apiRequests()[0]?.body.toString('utf8') ?? '{}') as { n: number }).n, 3);
    const second = await runCli(args, box);
    assert.equal(second.code, 0, second.stderr);
    const all = [...lines(first.stdout), ...lines(second.stdout)];
    assert.equal(new Set(all).size, 6);
    assert.equal(imagesIn(join(box.cwd, 'art')).length, 6);
    all.forEach((file, index) => assert.deepEqual(readFileSync(file), gravitex.served[index]?.bytes));
  });

  it('waits out a 429 Retry-After and retries once', async () => {
    const box = sandbox();
    openai.enqueue({ status: 429, retryAfter: 1 });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'Rain on glass', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = openai.apiRequests();
    assert.equal(openai.apiRequests().length, 2);
    assert.ok(first && second && second.receivedAt - first.receivedAt >= 900, 'the retry came before Retry-After had passed');
    assert.deepEqual(readFileSync(lines(result.stdout)[0] as string), openai.served[0]?.bytes);
  });

  for (const [name, fault, pattern] of [
    ['401', { status: 401 }, /key/i],
    ['a moderation block', { moderation: true }, /safety|policy|moderat|blocked/i],
    // A 5xx on the paid POST may come after the image was made: exit 3 (outcome unknown), sent once.
    ['5xx', { status: 500 }, /answered 500 \(internal server error\) after the request was sent/],
  ] as const) {
    it(`reports ${name} in one line with a non-zero exit`, async () => {
      const box = sandbox();
      openai.enqueue(fault);
      const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'A fox', '--base-url', openai.baseUrl, '--quiet'], box);
      assertNoKeyLeak(result);
      assert.equal(result.code, name === '5xx' ? 3 : 1);
      assert.equal(openai.apiRequests().length, 1);
      assert.equal(result.stdout, '');
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, pattern);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.deepEqual(imagesIn(join(box.cwd, 'images')), []);
    });
  }

  it('refuses invalid input with exit 2 before sending anything', async () => {
    const box = sandbox();
    const gif = join(box.cwd, 'anim.gif');
    writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
    const text = join(box.cwd, 'notes.png');
    writeFileSync(text, 'this is not an image\n');
    const cases: string[][] = [
      ['generate', '--provider', 'openai', '--prompt', '   '],
      ['generate', '--provider', 'openai', '--prompt', 'x', '--size', '1000x1000'],
      ['generate', '--provider', 'openai', '--prompt', 'x', '--size', 'huge'],
      ['edit', '--provider', 'openai', '--prompt', 'x', '--image', gif],
      ['edit', '--provider', 'gravitex', '--prompt', 'x', '--image', 'notes.png'],
      ['generate', '--provider', 'openai', '--prompt', 'x', '--n', 'two'],
      ['generate', '--provider', 'nobody', '--prompt', 'x'],
    ];
    for (const args of cases) {
      const result = await runCli([...args, '--base-url', openai.baseUrl], box);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.equal(result.stdout, '');
    }
    assert.equal(openai.apiRequests().length, 0);
  });

  it('refuses a missing key and plain http to a remote host with exit 2, sending nothing', async () => {
    const box = sandbox({ OPENAI_API_KEY: '' });
    const missing = await runCli(['generate', '--provider', 'openai', '--prompt', 'x', '--base-url', openai.baseUrl], box);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /OPENAI_API_KEY is not set/);
    const remote = await runCli(['generate', '--provider', 'gravitex', '--prompt', 'x', '--base-url', 'http://example.invalid/v1'], sandbox());
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /plain http/);
    const fromEnv = await runCli(['generate', '--provider', 'gravitex', '--prompt', 'x'], sandbox({ GPT_IMAGE_GRAVITEX_BASE_URL: 'http://example.invalid/v1' }));
    assert.equal(fromEnv.code, 2);
    assert.equal(openai.apiRequests().length + gravitex.apiRequests().length, 0);
  });

  it('edits a local PNG as multipart and writes <name>-edit-1 beside it', async () => {
    const box = sandbox();
    const source = join(box.cwd, 'photo.png');
    const bytes = makePng({ width: 64, height: 64, seed: 3 });
    writeFileSync(source, bytes);
    const result = await runCli(['edit', '--provider', 'gravitex', '--image', 'photo.png', '--prompt', 'Make it night', '--base-url', gravitex.baseUrl], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [join(box.cwd, 'photo-edit-1.png')]);
    const request = gravitex.apiRequests()[0];
    assert.ok(request?.url.endsWith('/images/edits'));
    assert.match(String(request?.headers['content-type']), /multipart\/form-data/);
    assert.ok(request?.body.includes(bytes), 'the file bytes travel in the multipart body');
    assert.ok(existsSync(join(box.cwd, '.gpt-image', 'photo-edit-1.png.json')));
    assert.deepEqual(readFileSync(source), bytes, 'the original is never modified');

    const again = await runCli(['edit', '--provider', 'gravitex', '--image', 'photo.png', '--prompt', 'Make it dawn', '--base-url', gravitex.baseUrl], box);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(lines(again.stdout), [join(box.cwd, 'photo-edit-2.png')], 'numbered like the editor does');
  });
});
