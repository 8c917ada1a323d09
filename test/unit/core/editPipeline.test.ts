import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { editFileTemplate, sourceNameOf } from '../../../src/core/editDefaults';
import { buildEditRequest } from '../../../src/core/editRequest';
import { isInputError } from '../../../src/core/errors';
import { createJobRunner } from '../../../src/core/jobRunner';
import type { JobRecord, JournalStore } from '../../../src/core/journal';
import { firstFreeName } from '../../../src/core/naming';
import type { ImageWriter } from '../../../src/core/output';
import type { Provenance } from '../../../src/core/provenance';
import type { InputImage } from '../../../src/core/request';
import type { JobRunner } from '../../../src/core/runner';
import { createHttpClient } from '../../../src/providers/http';
import type { HttpClient } from '../../../src/core/httpClient';
import { createOpenAiProvider } from '../../../src/providers/openai/openAiProvider';
import type { Logger } from '../../../src/core/logger';
import { createFileRescueStore } from '../../../src/cli/rescueStore';
import { boundaryOf, parseMultipart } from '../../fake-providers/multipartParser';
import { startFakeOpenAi } from '../../fake-providers/openai';
import type { FakeOpenAi } from '../../fake-providers/openai';
import { makePng } from '../../fake-providers/png';

/**
 * The Edit Image pipeline below the editor: files read from disk, the request the command builds,
 * the real runner and OpenAI provider, the fake OpenAI server on loopback.
 * Bad inputs must be refused with ZERO requests reaching the server; a good one must send the
 * file's real bytes and land as <name>-edit-1.png beside the original, which stays untouched.
 */

const apiKey = 'sk-test-openai-key';
const logLines: string[] = [];
const log: Logger = {
  trace: (message) => logLines.push(message),
  debug: (message) => logLines.push(message),
  info: (message) => logLines.push(message),
  warn: (message) => logLines.push(message),
  error: (message) => logLines.push(message),
};

/** Jobs in memory: the journal's contract without a disk. */
function memoryJournal(): JournalStore {
  const jobs = new Map<string, JobRecord>();
  return {
    list: async () => [...jobs.values()].map((job) => structuredClone(job)),
    get: async (id) => (jobs.has(id) ? structuredClone(jobs.get(id) as JobRecord) : undefined),
    put: async (job) => void jobs.set(job.id, structuredClone(job)),
    remove: async (id) => void jobs.delete(id),
  };
}

/** node:fs, never overwriting: what the workspace writer does through workspace.fs. */
function directoryWriter(): ImageWriter {
  const exists = (dir: string) => async (name: string) => (await readdir(dir)).includes(name);
  return {
    async prepare(dir) {
      await mkdir(dir, { recursive: true });
    },
    async writeImage(dir, fileName, bytes) {
      const name = await firstFreeName(fileName, exists(dir));
      await writeFile(join(dir, name), bytes, { flag: 'wx' });
      return join(dir, name);
    },
    async writeProvenance(location, provenance) {
      await writeFile(`${location}.provenance.json`, JSON.stringify(provenance));
    },
  };
}

async function inputFile(path: string): Promise<InputImage> {
  return { kind: 'file', source: `art/${basename(path)}`, fileName: basename(path), bytes: await readFile(path) };
}

describe('Edit Image pipeline against a loopback OpenAI', () => {
  let server: FakeOpenAi;
  let http: HttpClient;
  let runner: JobRunner;
  let folder: string;

  before(async () => {
    server = await startFakeOpenAi({ expectedKey: apiKey });
    http = createHttpClient({ log });
    const context = { baseUrl: server.baseUrl, http, getApiKey: async () => apiKey, log, now: () => Date.now(), requestTimeoutMs: 30_000 };
    runner = createJobRunner({
      provider: () => createOpenAiProvider(context),
      journal: memoryJournal(),
      writer: directoryWriter(),
      rescue: createFileRescueStore(mkdtempSync(join(tmpdir(), 'edit-pipeline-home-'))),
      log,
      now: () => Date.now(),
      download: async () => {
        throw new Error('OpenAI answers with base64; nothing is downloaded.');
      },
    });
  });

  after(async () => {
    await http.close();
    await server.close();
  });

  beforeEach(async () => {
    server.reset();
    if (folder) await rm(folder, { recursive: true, force: true });
    folder = await mkdtemp(join(tmpdir(), 'edit-pipeline-'));
  });

  async function runEdit(imagePath: string, maskPath?: string) {
    const images = [await inputFile(imagePath)];
    const mask = maskPath ? await inputFile(maskPath) : undefined;
    const request = buildEditRequest({ provider: 'openai', model: 'gpt-image-2', prompt: 'add a red hat', size: '1024x1024', quality: 'low' }, images, mask);
    const sourceName = sourceNameOf(basename(imagePath));
    const template = editFileTemplate(await readdir(dirname(imagePath)), sourceName, 1);
    return runner.run({ request, output: { dir: dirname(imagePath), template, sourceName }, signal: new AbortController().signal });
  }

  async function assertRefusedBeforeSending(imagePath: string, expected: RegExp, maskPath?: string): Promise<void> {
    const before = await readdir(folder);
    await assert.rejects(runEdit(imagePath, maskPath), (error: unknown) => {
      assert.ok(isInputError(error), `expected InputError, got ${String(error)}`);
      assert.match(error.message, expected);
      assert.doesNotMatch(error.message, /sk-test/);
      return true;
    });
    assert.equal(server.requests.length, 0, 'no request may reach the provider');
    assert.deepEqual(await readdir(folder), before, 'nothing is written');
  }

  it('sends a good PNG with its mask and writes photo-edit-1.png beside it, original untouched', async () => {
    const photo = makePng({ width: 1024, height: 1024, seed: 3 });
    const maskBytes = makePng({ width: 1024, height: 1024, alpha: true });
    await writeFile(join(folder, 'photo.png'), photo);
    await writeFile(join(folder, 'photo.mask.png'), maskBytes);
    const result = await runEdit(join(folder, 'photo.png'), join(folder, 'photo.mask.png'));

    const sent = server.apiRequests();
    assert.equal(sent.length, 1);
    const edit = sent[0];
    assert.ok(edit);
    assert.equal(edit.method, 'POST');
    assert.equal(edit.url, '/v1/images/edits');
    const boundary = boundaryOf(String(edit.headers['content-type']));
    assert.ok(boundary, 'multipart/form-data with a boundary');
    const parts = parseMultipart(edit.body, boundary);
    const part = (name: string) => parts.filter((candidate) => candidate.name === name);
    assert.equal(part('image[]').length, 1);
    assert.equal(part('image[]')[0]?.fileName, 'photo.png');
    assert.ok(part('image[]')[0]?.data.equals(photo), 'the image part is the file, byte for byte');
    assert.equal(part('mask')[0]?.fileName, 'photo.mask.png');
    assert.ok(part('mask')[0]?.data.equals(maskBytes), 'the mask part is the mask file, byte for byte');
    assert.equal(part('prompt')[0]?.data.toString(), 'add a red hat');
    assert.equal(part('input_fidelity').length, 0, 'never input_fidelity for gpt-image-2');
    const resultPng = server.served[0]?.bytes;
    assert.ok(resultPng);

    assert.deepEqual(result.files, [join(folder, 'photo-edit-1.png')]);
    assert.deepEqual(await readFile(join(folder, 'photo-edit-1.png')), resultPng);
    assert.deepEqual(await readFile(join(folder, 'photo.png')), photo, 'the original is never modified');
    const provenance = JSON.parse(await readFile(join(folder, 'photo-edit-1.png.provenance.json'), 'utf8')) as Provenance;
    assert.deepEqual(provenance.request.inputImages, [{ kind: 'file', source: 'art/photo.png' }]);
    assert.deepEqual(provenance.request.mask, { kind: 'file', source: 'art/photo.mask.png' });

    const second = await runEdit(join(folder, 'photo.png'));
    assert.deepEqual(second.files, [join(folder, 'photo-edit-2.png')], 'a second edit takes the next number');
    assert.ok(logLines.every((line) => !line.includes(apiKey)), 'the key never reaches the log');
  });

  it('refuses a text file named .png', async () => {
    await writeFile(join(folder, 'notes.png'), 'just some text, not an image\n');
    await assertRefusedBeforeSending(join(folder, 'notes.png'), /notes\.png is not a PNG, JPEG or WebP image/);
  });

  it('refuses a GIF', async () => {
    await writeFile(join(folder, 'anim.gif.png'), Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex'));
    await assertRefusedBeforeSending(join(folder, 'anim.gif.png'), /is a GIF/);
  });

  it('refuses a file over 50 MB', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1);
    makePng({ width: 1024, height: 1024 }).copy(big);
    await writeFile(join(folder, 'huge.png'), big);
    await assertRefusedBeforeSending(join(folder, 'huge.png'), /huge\.png is 50\.0 MB; OpenAI accepts up to 50 MB/);
  });

  it('refuses a mask of the wrong size', async () => {
    await writeFile(join(folder, 'photo.png'), makePng({ width: 1024, height: 1024 }));
    await writeFile(join(folder, 'photo.mask.png'), makePng({ width: 512, height: 512, alpha: true }));
    await assertRefusedBeforeSending(join(folder, 'photo.png'), /mask is 512x512 but the image is 1024x1024/, join(folder, 'photo.mask.png'));
  });

  it('refuses a mask without alpha', async () => {
    await writeFile(join(folder, 'photo.png'), makePng({ width: 1024, height: 1024 }));
    await writeFile(join(folder, 'photo.mask.png'), makePng({ width: 1024, height: 1024 }));
    await assertRefusedBeforeSending(join(folder, 'photo.png'), /must be a PNG with an alpha channel/, join(folder, 'photo.mask.png'));
  });
});
