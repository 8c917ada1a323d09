import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isProviderError } from '../../../src/core/errors';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { runnerRig } from './jobRunnerHarness';
import type { RunnerRig } from './jobRunnerHarness';

const pngsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.png')) : []);

/** An image counts as saved only when it is whole: short downloads and short base64 are never written. */
describe('complete images only (runner over the real providers and fakes)', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let openai: FakeOpenAi;
  let rig: RunnerRig;

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
    openai = await startFakeOpenAi();
  });
  beforeEach(() => {
    cdn.reset();
    modellix.reset();
    openai.reset();
    rig = runnerRig({ modellix: modellix.baseUrl, openai: openai.baseUrl });
  });
  afterEach(async () => {
    await rig.http.close();
  });
  after(async () => {
    await Promise.all([modellix.close(), openai.close()]);
    await cdn.close();
  });

  it('a result whose close-delimited body keeps arriving cut off is not saved, stays resumable, and is saved whole by a resume', async () => {
    cdn.faults.push({ on: 'download', kind: 'closeMidBody', times: 4 });
    let jobId = '';
    const error = await rig.runner
      .run({
        request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Half a picture', size: '1024x1024' },
        output: { dir: rig.outDir, template: '{slug}-{index}' },
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    assert.ok(isProviderError(error), `a classified error, not ${String(error)}`);
    assert.equal(error.kind, 'invalidResponse');
    assert.match(error.message, /arrived incomplete \(a PNG/);
    assert.deepEqual(pngsIn(rig.outDir), [], 'nothing written from a short body');
    const stored = await rig.journal.get(jobId);
    assert.equal(stored?.state, 'downloading', 'kept for a resume: the links are still valid');
    assert.match(stored?.tasks[0]?.error?.message ?? '', /incomplete/);
    assert.equal(cdn.requests().filter((request) => request.method === 'GET').length, 4, 'the first try and three retries');

    const result = await rig.runner.resume(jobId, new AbortController().signal);
    assert.equal(result.files.length, 1);
    const served = await fetch(modellix.tasks.all()[0]?.resultUrls?.[0] ?? '').then(async (response) => Buffer.from(await response.arrayBuffer()));
    assert.deepEqual(readFileSync(result.files[0] as string), served);
  });

  it('a base64 image cut short is refused with a clear error, and nothing is written', async () => {
    openai.enqueue({ truncatedImage: true });
    let jobId = '';
    const error = await rig.runner
      .run({
        request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Cut string', size: '1024x1024' },
        output: { dir: rig.outDir, template: '{slug}-{index}' },
        signal: new AbortController().signal,
        onJobCreated: (job) => (jobId = job.id),
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    assert.ok(isProviderError(error), `a classified error, not ${String(error)}`);
    assert.equal(error.kind, 'invalidResponse');
    assert.match(error.message, /Image 1 arrived incomplete \(a PNG .*\); nothing was written/);
    assert.equal(openai.apiRequests().length, 1, 'the paid request is not resent');
    assert.deepEqual(pngsIn(rig.outDir), []);
    const stored = await rig.journal.get(jobId);
    assert.equal(stored?.tasks[0]?.state, 'failed');
    assert.deepEqual(stored?.tasks[0]?.files, []);
  });
});
