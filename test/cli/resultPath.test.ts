import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { startFakeOpenAi } from '../fake-providers/openai';
import type { FakeOpenAi } from '../fake-providers/openai';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox, startCli, waitFor } from './cliHarness';

/** The result path through the built CLI: an output that cannot be written, bad images among good ones, links not ready yet. */
describe('gpt-image: nothing paid is lost at the edges of the result path', () => {
  let openai: FakeOpenAi;
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  const poll = ['--poll-interval', '0.05'];
  const modellixSubmits = (): number => modellix.requests().filter((request) => request.method === 'POST' && request.url.includes('/openai/')).length;

  before(async () => {
    openai = await startFakeOpenAi();
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
  });
  after(async () => {
    await openai.close();
    await modellix.close();
    await cdn.close();
  });
  beforeEach(() => {
    openai.reset();
    modellix.reset();
    cdn.reset();
  });

  it('--out naming a file: exit 2, one clear line, nothing sent and nothing journaled', async () => {
    const box = sandbox();
    writeFileSync(join(box.cwd, 'out.png'), 'not a folder');
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'Blocked', '--out', 'out.png', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^gpt-image: Cannot save images in .*out\.png: it is not a folder\. Nothing was sent\.\n$/);
    assert.equal(openai.apiRequests().length, 0);
    assert.equal(existsSync(join(box.home, 'jobs')), false, 'no job was journaled');
  });

  it('a folder replaced by a file after the preflight: the paid image is kept, listed, and moved into place by resume', async () => {
    const box = sandbox();
    openai.enqueue({ delayMs: 1_000 });
    const out = join(box.cwd, 'images');
    const { done } = startCli(['generate', '--provider', 'openai', '--prompt', 'Kept safe', '--base-url', openai.baseUrl], box);
    await waitFor(() => openai.apiRequests().length === 1);
    // The request is on its way (paid): now the folder goes, and a file takes its name.
    rmSync(out, { recursive: true, force: true });
    writeFileSync(out, 'in the way');
    const result = await done;
    assertNoKeyLeak(result);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '', 'nothing was written where it belongs');
    const jobId = readdirSync(join(box.home, 'jobs'))[0]?.replace(/\.json$/, '') ?? '';
    const kept = join(box.home, 'rescued', jobId, 'image-1.png');
    assert.deepEqual(readFileSync(kept), openai.served[0]?.bytes, 'the paid bytes are kept whole');
    assert.ok(result.stderr.includes(`it is kept at ${kept}.`), result.stderr);
    assert.match(result.stderr, /run "gpt-image resume" to move it into place/);

    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /needs attention\s+.*openai\s+"Kept safe"/);
    assert.ok(listed.stdout.includes(`    kept: ${kept}\n`), listed.stdout);

    rmSync(out, { force: true });
    mkdirSync(out);
    // No key is needed to move a kept image: nothing is sent.
    const moved = await runCli(['resume'], { ...box, env: { ...box.env, OPENAI_API_KEY: undefined } });
    assert.equal(moved.code, 0, moved.stderr);
    const files = lines(moved.stdout);
    assert.equal(files.length, 1);
    assert.ok(files[0]?.startsWith(out), files[0]);
    assert.deepEqual(readFileSync(files[0] as string), openai.served[0]?.bytes);
    assert.equal(existsSync(kept), false, 'the kept copy is removed once the image is in place');
    assert.match((await runCli(['jobs'], box)).stdout, /saved\s+.*"Kept safe"/);
    assert.equal(openai.apiRequests().length, 1, 'nothing was sent again');
  });

  it('one image of three is not an image: exit 1 naming it, the other two written and printed', async () => {
    const box = sandbox();
    openai.enqueue({ garbageAt: 1 });
    const result = await runCli(['generate', '--provider', 'openai', '--prompt', 'Three kites', '--n', '3', '--base-url', openai.baseUrl], box);
    assert.equal(result.code, 1, result.stderr);
    const files = lines(result.stdout);
    assert.equal(files.length, 2);
    assert.deepEqual(files.map((file) => file.split('-').pop()), ['1.png', '3.png']);
    assert.deepEqual(readFileSync(files[1] as string), openai.served[2]?.bytes);
    assert.match(result.stderr, /Image 2: The result for image 2 is not a PNG, JPEG or WebP image/);
    assert.deepEqual(imagesIn(join(box.cwd, 'images')).length, 2);
  });

  it('a challenge page for one of three result URLs: the others are written, the job waits, resume fetches the rest', async () => {
    const box = sandbox();
    modellix.setKnobs({ imagesPerTask: 3 });
    cdn.faults.push({ on: 'download', kind: 'notImage', skip: 1 });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'Three gulls', '--base-url', modellix.baseUrl, ...poll], box);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(lines(result.stdout).length, 2, 'the two good images are written and printed');
    assert.match(result.stderr, /Image 2: The result from modellix at .* is an HTML page, not a PNG, JPEG or WebP image\. The links stay valid until .* UTC/);
    assert.match(result.stderr, /Run "gpt-image resume" to finish job/);
    assert.doesNotMatch(result.stderr, /expired/);

    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /downloading\s+.*modellix\s+"Three gulls"\s+2 files/);
    assert.match(listed.stdout, /waiting to download \(links valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC\): run "gpt-image resume"/);

    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(lines(resumed.stdout).length, 3, 'resume prints every file of the job');
    assert.equal(imagesIn(join(box.cwd, 'images')).length, 3);
    assert.equal(modellixSubmits(), 1, 'one paid task');
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('a 404 right after completion leaves the job resumable; resume saves it', async () => {
    const box = sandbox();
    cdn.faults.push({ on: 'download', kind: 'status', status: 404 });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'CDN lag', '--base-url', modellix.baseUrl, ...poll, '--quiet'], box);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(lines(result.stderr).length, 1, result.stderr);
    assert.match(result.stderr, /not available \(HTTP 404\)\. The links stay valid until .*Run "gpt-image resume" to finish job/);
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(lines(resumed.stdout).length, 1);
    assert.equal(modellixSubmits(), 1);
  });
});
