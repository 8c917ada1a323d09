import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isInputError, isProviderError } from '../../../src/core/errors';
import type { JobRecord } from '../../../src/core/journal';
import { isImagesNotWrittenError } from '../../../src/core/output';
import type { ImageWriter } from '../../../src/core/output';
import { resultLinkLifetimeMs } from '../../../src/core/resultLinks';
import { startFakeCdn } from '../../fake-providers/cdn';
import type { FakeCdn } from '../../fake-providers/cdn';
import { startFakeModellix } from '../../fake-providers/modellix';
import type { FakeModellix } from '../../fake-providers/modellix';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { runnerRig } from './jobRunnerHarness';
import type { RigOptions, RunnerRig } from './jobRunnerHarness';

/** The result path: a folder that cannot take images, one bad image among good ones, links that are not ready yet. */

const never = new AbortController().signal;
const output = (rig: RunnerRig): { dir: string; template: string } => ({ dir: rig.outDir, template: '{slug}-{index}' });

function pngs(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.png')).sort() : [];
}

/** Everything in a folder, hidden files included (temporaries must not stay). */
function everything(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function keptFiles(rig: RunnerRig, jobId: string): string[] {
  const dir = join(rig.home, 'rescued', jobId);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the job to fail');
}

describe('result path: unwritable output, bad images among good ones, links not ready yet', () => {
  let cdn: FakeCdn;
  let modellix: FakeModellix;
  let openai: FakeOpenAi;
  const rigs: RunnerRig[] = [];
  const rigAt = (root?: string, options: RigOptions = {}): RunnerRig => {
    const rig = runnerRig({ modellix: modellix.baseUrl, openai: openai.baseUrl }, root, options);
    rigs.push(rig);
    return rig;
  };
  const modellixSubmits = (): number => modellix.requests().filter((request) => request.method === 'POST' && request.url.includes('/openai/')).length;

  before(async () => {
    cdn = await startFakeCdn();
    modellix = await startFakeModellix({ cdn });
    openai = await startFakeOpenAi();
  });
  beforeEach(() => {
    modellix.reset();
    openai.reset();
    cdn.reset();
  });
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((rig) => rig.http.close()));
  });
  after(async () => {
    await Promise.all([modellix.close(), openai.close()]);
    await cdn.close();
  });

  describe('item 1: an output that cannot be written', () => {
    it('refuses an output folder that is a file before anything is journaled or sent', async () => {
      const rig = rigAt();
      mkdirSync(join(rig.outDir, '..'), { recursive: true });
      writeFileSync(rig.outDir, 'a file where the folder should be');
      const error = await failureOf(
        rig.runner.run({ request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Nowhere to go', size: '1024x1024' }, output: output(rig), signal: never }),
      );
      assert.ok(isInputError(error), String(error));
      assert.match(error.message, /is not a folder|is a file/);
      assert.match(error.message, /Nothing was sent/);
      assert.equal(openai.apiRequests().length, 0, 'no paid request');
      assert.deepEqual(await rig.journal.list(), [], 'no job journaled');
    });

    it('refuses a folder below a file, and creates a missing folder (leaving no probe behind)', async () => {
      const rig = rigAt();
      mkdirSync(join(rig.outDir, '..'), { recursive: true });
      writeFileSync(join(rig.outDir, '..', 'plain-file'), 'x');
      const below = { dir: join(rig.outDir, '..', 'plain-file', 'images'), template: '{slug}-{index}' };
      const error = await failureOf(rig.runner.run({ request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Below a file', size: '1024x1024' }, output: below, signal: never }));
      assert.ok(isInputError(error));
      assert.equal(openai.apiRequests().length, 0);
      const nested = { dir: join(rig.outDir, 'a', 'b'), template: '{slug}-{index}' };
      const result = await rig.runner.run({ request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Deep', size: '1024x1024' }, output: nested, signal: never });
      assert.equal(result.files.length, 1);
      assert.deepEqual(everything(nested.dir), ['.gpt-image', 'deep-1.png']);
    });

    it('keeps a paid image whose folder was replaced by a file, and moves it into place on an explicit resume', async () => {
      const rig = rigAt();
      let jobId = '';
      const error = await failureOf(
        rig.runner.run({
          request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Replaced folder', size: '1024x1024' },
          output: output(rig),
          signal: never,
          // After the preflight, before the answer arrives: the folder becomes a file.
          onJobCreated: (job) => {
            jobId = job.id;
            rmSync(rig.outDir, { recursive: true, force: true });
            writeFileSync(rig.outDir, 'in the way');
          },
        }),
      );
      assert.ok(isImagesNotWrittenError(error), String(error));
      const job = (await rig.journal.get(jobId)) as JobRecord;
      assert.equal(job.state, 'needsAttention');
      const kept = join(rig.home, 'rescued', jobId, 'image-1.png');
      assert.deepEqual(error.kept, [kept]);
      assert.match(error.message, /^The image could not be saved in .*out \(a file is where the folder should be, EEXIST\); it is kept at .*image-1\.png\.$/);
      assert.deepEqual(readFileSync(kept), openai.served[0]?.bytes, 'the paid bytes, whole');
      rmSync(rig.outDir, { force: true });
      // The folder could take it now, but a job that needs attention is not resumed on its own.
      assert.deepEqual(await rig.runner.resumeAll(never), []);
      assert.equal((await rig.journal.get(jobId))?.state, 'needsAttention');
      assert.deepEqual(pngs(rig.outDir), []);

      const moved = await rig.runner.resume(jobId, never);
      assert.equal(moved.job.state, 'saved');
      assert.deepEqual(pngs(rig.outDir), ['replaced-folder-1.png']);
      assert.deepEqual(readFileSync(join(rig.outDir, 'replaced-folder-1.png')), openai.served[0]?.bytes);
      assert.equal(existsSync(join(rig.home, 'rescued', jobId)), false, 'the kept copy is removed once written');
      assert.equal(openai.apiRequests().length, 1, 'nothing was sent again');
    });

    it('a crash while writing a synchronous answer loses nothing: resume writes the copy kept before the write', async () => {
      const root = mkdtempSync(join(tmpdir(), 'gpt-image-crash-'));
      let keptAtWrite: boolean | undefined;
      let jobId = '';
      const crashing = rigAt(root, {
        writer: (real): ImageWriter => ({
          ...real,
          // The process "dies" in the middle of the write: this promise never settles.
          writeImage: () => {
            keptAtWrite = existsSync(join(crashing.home, 'rescued', jobId, 'image-1.png'));
            return new Promise<string>(() => undefined);
          },
        }),
      });
      void crashing.runner.run({
        request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Mid write', size: '1024x1024' },
        output: output(crashing),
        signal: never,
        onJobCreated: (job) => (jobId = job.id),
      });
      const started = Date.now();
      while (keptAtWrite === undefined && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(keptAtWrite, true, 'a durable copy exists before the output folder is written');
      assert.equal((await crashing.journal.get(jobId))?.state, 'downloading');

      // What a writer killed between its temporary file and the link leaves (its pid is gone).
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
      mkdirSync(crashing.outDir, { recursive: true });
      writeFileSync(join(crashing.outDir, `.gpt-image-${deadPid}-0a1b2c3d.tmp`), (openai.served[0]?.bytes as Buffer).subarray(0, 100));

      const next = rigAt(root);
      const resumed = await next.runner.resume(jobId, never);
      assert.equal(resumed.job.state, 'saved');
      assert.deepEqual(readFileSync(resumed.files[0] as string), openai.served[0]?.bytes);
      assert.deepEqual(keptFiles(next, jobId), []);
      assert.deepEqual(everything(next.outDir), ['.gpt-image', 'mid-write-1.png'], 'the dead writer\'s temporary file is cleaned up');
      assert.equal(openai.apiRequests().length, 1);
    });

    it('an async task whose write fails keeps the image too, and leaves no temporary file', async () => {
      const rig = rigAt(undefined, {
        writer: (real): ImageWriter => ({
          ...real,
          writeImage: async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          },
        }),
      });
      let jobId = '';
      const error = await failureOf(
        rig.runner.run({
          request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Disk full', size: '1024x1024' },
          output: output(rig),
          signal: never,
          onJobCreated: (job) => (jobId = job.id),
        }),
      );
      assert.ok(isImagesNotWrittenError(error), String(error));
      assert.match(error.message, /the disk is full, ENOSPC/);
      const job = (await rig.journal.get(jobId)) as JobRecord;
      assert.equal(job.state, 'needsAttention');
      assert.deepEqual(keptFiles(rig, jobId), ['image-1.png']);
      const served = await (await fetch(modellix.tasks.all()[0]?.resultUrls?.[0] as string)).arrayBuffer();
      assert.deepEqual(readFileSync(join(rig.home, 'rescued', jobId, 'image-1.png')), Buffer.from(served));
      assert.deepEqual(everything(rig.outDir), [], 'the preflight probe and nothing else was ever there');
      assert.equal(modellixSubmits(), 1);
    });
  });

  describe('item 3: one bad image never takes the good ones with it', () => {
    it('an OpenAI answer with one image that is not an image saves the other two and names the bad one', async () => {
      const rig = rigAt();
      openai.enqueue({ garbageAt: 1 });
      let jobId = '';
      const error = await failureOf(
        rig.runner.run({
          request: { provider: 'openai', model: 'gpt-image-2', prompt: 'Three owls', size: '1024x1024', n: 3 },
          output: output(rig),
          signal: never,
          onJobCreated: (job) => (jobId = job.id),
        }),
      );
      assert.ok(isProviderError(error));
      assert.match(error.message, /^Image 2: The result for image 2 is not a PNG, JPEG or WebP image/);
      assert.doesNotMatch(error.message, /Image [13]/);
      const job = (await rig.journal.get(jobId)) as JobRecord;
      assert.equal(job.state, 'failed');
      assert.deepEqual(job.tasks[0]?.files.map((file) => file.split('/').pop()), ['three-owls-1.png', 'three-owls-3.png']);
      assert.deepEqual(pngs(rig.outDir), ['three-owls-1.png', 'three-owls-3.png']);
      assert.deepEqual(readFileSync(join(rig.outDir, 'three-owls-3.png')), openai.served[2]?.bytes);
      assert.deepEqual(keptFiles(rig, jobId), [], 'copies kept before writing are gone, the garbage one too');
    });

    it('a task with three result URLs, one refused for good, saves the other two and names it', async () => {
      const rig = rigAt();
      modellix.setKnobs({ imagesPerTask: 3 });
      cdn.faults.push({ on: 'download', kind: 'status', status: 400, skip: 1 });
      let jobId = '';
      const error = await failureOf(
        rig.runner.run({
          request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Three URLs', size: '1024x1024' },
          output: output(rig),
          signal: never,
          onJobCreated: (job) => (jobId = job.id),
        }),
      );
      assert.ok(isProviderError(error));
      assert.match(error.message, /^Image 2: Downloading the result from .* failed with HTTP 400/);
      const job = (await rig.journal.get(jobId)) as JobRecord;
      assert.equal(job.state, 'failed');
      assert.deepEqual(pngs(rig.outDir), ['three-urls-1.png', 'three-urls-3.png']);
      assert.deepEqual(job.tasks[0]?.images?.map((image) => image.state), ['saved', 'failed', 'saved']);
      assert.equal(modellixSubmits(), 1);
    });
  });

  describe('item 4: a finished task stays recoverable', () => {
    it('a 404 right after completion keeps the job downloading, says until when, and a resume saves it', async () => {
      const rig = rigAt();
      cdn.faults.push({ on: 'download', kind: 'status', status: 404 });
      let jobId = '';
      const error = await failureOf(
        rig.runner.run({
          request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Not yet', size: '1024x1024' },
          output: output(rig),
          signal: never,
          onJobCreated: (job) => (jobId = job.id),
        }),
      );
      assert.ok(isProviderError(error));
      assert.match(error.message, /not available \(HTTP 404\)\. The links stay valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC: resuming the job downloads it again\./);
      assert.doesNotMatch(error.message, /expire/, 'the links cannot have expired a moment after completion');
      const job = (await rig.journal.get(jobId)) as JobRecord;
      assert.equal(job.state, 'downloading');
      const task = job.tasks[0];
      assert.ok(task?.completedAt !== undefined && Math.abs(task.completedAt - Date.now()) < 60_000, 'completion time recorded');
      const resumed = await rig.runner.resume(jobId, never);
      assert.equal(resumed.job.state, 'saved');
      assert.deepEqual(pngs(rig.outDir), ['not-yet-1.png']);
      assert.equal(modellixSubmits(), 1);
    });

    it('an HTML challenge page is retried while the links are valid, and reported expired only after', async () => {
      const root = mkdtempSync(join(tmpdir(), 'gpt-image-expiry-'));
      const rig = rigAt(root);
      cdn.faults.push({ on: 'download', kind: 'notImage' });
      let jobId = '';
      await failureOf(
        rig.runner.run({
          request: { provider: 'modellix', model: 'gpt-image-2', prompt: 'Challenge', size: '1024x1024' },
          output: output(rig),
          signal: never,
          onJobCreated: (job) => (jobId = job.id),
        }),
      );
      assert.equal((await rig.journal.get(jobId))?.state, 'downloading');
      // A day and an hour later the same page: now the links cannot be valid any more.
      const later = rigAt(root, { now: () => Date.now() + resultLinkLifetimeMs + 3_600_000 });
      cdn.faults.push({ on: 'download', kind: 'notImage' });
      const error = await failureOf(later.runner.resume(jobId, never));
      assert.ok(isProviderError(error));
      assert.match(error.message, /an HTML page, not a PNG, JPEG or WebP image\. Result links from Modellix work for about 24 hours after the task finished; these expired at /);
      assert.equal((await later.journal.get(jobId))?.state, 'failed');
      assert.deepEqual(pngs(rig.outDir), []);
      assert.equal(modellixSubmits(), 1);
    });
  });
});
