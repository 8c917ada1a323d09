import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeApixo } from '../fake-providers/apixo';
import type { FakeApixo } from '../fake-providers/apixo';
import { startFakeCdn } from '../fake-providers/cdn';
import type { FakeCdn } from '../fake-providers/cdn';
import { startFakeModellix } from '../fake-providers/modellix';
import type { FakeModellix } from '../fake-providers/modellix';
import { makePng } from '../fake-providers/png';
import type { RecordedRequest } from '../fake-providers/server';
import { assertNoKeyLeak, imagesIn, lines, runCli, sandbox, startCli, waitFor } from './cliHarness';

const submits = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter((request) => request.method === 'POST' && /\/openai\/|\/generateTask\//.test(request.url));
const polls = (requests: readonly RecordedRequest[]): RecordedRequest[] =>
  requests.filter((request) => request.method === 'GET' && /\/tasks\/|\/statusTask\//.test(request.url));

/** Fetches a result from the fake CDN to compare bytes (after the Authorization checks). */
async function cdnBytes(url: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('gpt-image with Modellix and APIXO (built CLI against the async fakes)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let apixo: FakeApixo;
  const poll = ['--poll-interval', '0.05'];

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn, apiKey: 'sk-test-modellix-key' });
    apixo = await startFakeApixo({ cdn, apiKey: 'sk-test-apixo-key' });
  });
  after(async () => {
    await modellix.close();
    await apixo.close();
    await cdn.close();
  });
  beforeEach(() => {
    modellix.reset();
    apixo.reset();
    cdn.reset();
  });

  it('Modellix n=2: two paid tasks, two files with the served bytes, no key at the CDN', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'Two owls', '--n', '2', '--size', '1536x1024', '--base-url', modellix.baseUrl, ...poll], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 0, result.stderr);
    const sent = submits(modellix.requests());
    assert.equal(sent.length, 2);
    for (const request of sent) {
      assert.match(request.url, /^\/api\/v1\/openai\/gpt-image-2(\/async)?$/);
      assert.deepEqual(JSON.parse(request.body.toString('utf8')), { prompt: 'Two owls', size: '1536x1024', quality: 'medium' });
    }
    const files = lines(result.stdout);
    assert.equal(files.length, 2);
    assert.equal(cdn.sawAuthorization(), false);
    const urls = modellix.tasks.all().flatMap((task) => task.resultUrls ?? []);
    const served = await Promise.all(urls.map(cdnBytes));
    assert.deepEqual(files.map((file) => readFileSync(file)).sort(Buffer.compare), served.sort(Buffer.compare));
  });

  it('APIXO 3840x2160 is sent as 16:9 at 4k', async () => {
    const box = sandbox();
    const result = await runCli(['generate', '--provider', 'apixo', '--prompt', 'A wide valley', '--size', '3840x2160', '--base-url', apixo.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    const [submit] = submits(apixo.requests());
    assert.equal(submits(apixo.requests()).length, 1);
    assert.equal(submit?.url, '/api/v1/generateTask/gpt-image-2');
    const body = JSON.parse(submit?.body.toString('utf8') ?? '{}') as { request_type: string; input: Record<string, unknown> };
    assert.equal(body.request_type, 'async');
    assert.equal(body.input.aspect_ratio, '16:9');
    assert.equal(body.input.resolution, '4k');
    assert.equal(lines(result.stdout).length, 1);
    assert.equal(cdn.sawAuthorization(), false);
  });

  it('a failed task gives one line, a non-zero exit, and is not resubmitted', async () => {
    const box = sandbox();
    apixo.setKnobs({ outcome: 'failed', failCode: 'CONTENT_VIOLATION' });
    const result = await runCli(['generate', '--provider', 'apixo', '--prompt', 'Something', '--base-url', apixo.baseUrl, ...poll, '--quiet'], box);
    assert.equal(result.code, 1);
    assert.equal(lines(result.stderr).length, 1, result.stderr);
    assert.match(result.stderr, /content|policy/i);
    assert.equal(submits(apixo.requests()).length, 1);
    const pollCount = polls(apixo.requests()).length;
    assert.equal(pollCount, 3, 'polled until the failed state, then never again');
    const jobs = await runCli(['jobs'], box);
    assert.match(jobs.stdout, / failed /);
  });

  it('402 says the balance is insufficient and is not retried', async () => {
    const box = sandbox();
    modellix.fault({ on: 'submit', kind: 'status', status: 402, message: 'Insufficient balance' });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'x', '--base-url', modellix.baseUrl, ...poll, '--quiet'], box);
    assert.equal(result.code, 1);
    assert.equal(lines(result.stderr).length, 1, result.stderr);
    assert.match(result.stderr, /balance/i);
    assert.equal(submits(modellix.requests()).length, 1);
  });

  it('two 503s on a poll still end with the file saved', async () => {
    const box = sandbox();
    modellix.fault({ on: 'poll', kind: 'status', status: 503, times: 2 });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'Persistent', '--base-url', modellix.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout).length, 1);
    assert.equal(submits(modellix.requests()).length, 1);
    assert.ok(polls(modellix.requests()).length >= 5);
  });

  it('a reset on submit: exit 3, exactly one submit, and `gpt-image jobs` shows it unknown', async () => {
    const box = sandbox();
    modellix.fault({ on: 'submit', kind: 'reset' });
    const result = await runCli(['generate', '--provider', 'modellix', '--prompt', 'Lost in transit', '--base-url', modellix.baseUrl, ...poll], box);
    assertNoKeyLeak(result);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /Job \S+ is marked unknown/);
    assert.equal(submits(modellix.requests()).length, 1);
    const jobs = await runCli(['jobs'], box);
    assert.equal(jobs.code, 0);
    assert.match(jobs.stdout, /unknown\s+.*modellix\s+"Lost in transit"/);
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0);
    assert.equal(submits(modellix.requests()).length, 1, 'resume never resends an unknown submit');
  });

  it('SIGKILL mid-poll loses nothing: resume saves into the original folder after one submit', async () => {
    const box = sandbox();
    modellix.setKnobs({ hold: true });
    const { child, done } = startCli(['generate', '--provider', 'modellix', '--prompt', 'Patience', '--out', 'held', '--base-url', modellix.baseUrl, ...poll], box);
    await waitFor(() => polls(modellix.requests()).length >= 2);
    child.kill('SIGKILL');
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL');
    assert.deepEqual(imagesIn(join(box.cwd, 'held')), []);
    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /polling/);
    modellix.release();
    // Resume from another directory: the files must still land in the original folder.
    const elsewhere = { ...box, cwd: box.home };
    const resumed = await runCli(['resume', ...poll], elsewhere);
    assertNoKeyLeak(resumed);
    assert.equal(resumed.code, 0, resumed.stderr);
    const files = lines(resumed.stdout);
    assert.equal(files.length, 1);
    assert.ok(files[0]?.startsWith(join(box.cwd, 'held')), files[0]);
    assert.equal(submits(modellix.requests()).length, 1);
    assert.equal(cdn.sawAuthorization(), false);
    const again = await runCli(['resume'], box);
    assert.equal(again.stdout, '', 'a saved job is not resumed twice');
  });

  it('Ctrl-C while polling: exit 130, the resume hint, and the job kept as polling', async () => {
    const box = sandbox();
    apixo.setKnobs({ hold: true });
    const { child, done } = startCli(['generate', '--provider', 'apixo', '--prompt', 'Interrupted', '--base-url', apixo.baseUrl, ...poll], box);
    await waitFor(() => polls(apixo.requests()).length >= 1);
    child.kill('SIGINT');
    const result = await done;
    assert.equal(result.code, 130);
    assert.match(result.stderr, /gpt-image resume/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    const listed = await runCli(['jobs'], box);
    assert.match(listed.stdout, /polling\s+.*apixo\s+"Interrupted"/);
    apixo.release();
    const resumed = await runCli(['resume', ...poll], box);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(lines(resumed.stdout).length, 1);
    assert.equal(submits(apixo.requests()).length, 1);
  });

  it('Modellix edit of a local PNG: one upload of its bytes, the edit references it, the upload is deleted', async () => {
    const box = sandbox();
    const bytes = makePng({ width: 48, height: 48, seed: 9 });
    writeFileSync(join(box.cwd, 'cat.png'), bytes);
    const result = await runCli(['edit', '--provider', 'modellix', '--image', 'cat.png', '--prompt', 'Add a hat', '--base-url', modellix.baseUrl, ...poll], box);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [join(box.cwd, 'cat-edit-1.png')]);
    const uploads = [...modellix.uploads.values()];
    assert.equal(uploads.length, 1);
    assert.deepEqual(uploads[0]?.bytes, bytes);
    assert.equal(uploads[0]?.deleted, true);
    const [submit] = submits(modellix.requests());
    assert.deepEqual((JSON.parse(submit?.body.toString('utf8') ?? '{}') as { images: string[] }).images, [uploads[0]?.url]);
    assert.ok(readdirSync(join(box.cwd, '.gpt-image')).includes('cat-edit-1.png.json'));
  });
});
