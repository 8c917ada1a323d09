import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/journal';
import { JobOwner } from '../../../src/core/jobOwner';
import type { JobProgress, JobResult, JobRunner, RunOptions } from '../../../src/core/runner';
import type { GenerateForm, JobView, ToWebview } from '../../../src/webview/protocol';
import type * as StudioJobsModule from '../../../src/webview/studioJobs';
import type { StudioJobs as StudioJobsClass } from '../../../src/webview/studioJobs';
import type { StudioPreviewFiles, StudioServices } from '../../../src/webview/studioServices';
import { journalRequest } from '../core/fixtures';
import { installFakeVscode } from './fakeVscode';

/** What the keep-or-stop dialog answers next; the test resolves it when it likes. */
let nextAnswer: (message: string) => Promise<string | undefined> = async () => undefined;
const questions: string[] = [];
const vscodeWindow = {
  showWarningMessage: (message: string): Promise<string | undefined> => {
    questions.push(message);
    return nextAnswer(message);
  },
};
installFakeVscode({
  window: vscodeWindow,
  Uri: { parse: (text: string) => ({ path: new URL(text).pathname, toString: () => text }) },
});

// Required only now, so that its `import * as vscode` gets the fake.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StudioJobs } = require('../../../src/webview/studioJobs') as typeof StudioJobsModule;

const form: GenerateForm = { provider: 'modellix', model: 'gpt-image-2', prompt: 'a lighthouse', size: 'auto', n: 2, references: [] };

function jobRecord(id: string): JobRecord {
  return {
    version: 1,
    id,
    createdAt: 0,
    updatedAt: 0,
    state: 'submitting',
    provider: 'modellix',
    model: 'gpt-image-2',
    request: journalRequest({ prompt: form.prompt, n: 2 }),
    output: { dir: 'file:///w/images', template: '{slug}.{ext}' },
    tasks: [
      { state: 'submitting', n: 1, files: [] },
      { state: 'submitting', n: 1, files: [] },
    ],
    uploads: [],
    warnings: [],
  };
}

function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}

/** A runner whose one job is driven step by step by the test, as the real runner reports it. */
class ScriptedRunner {
  options: RunOptions | undefined;
  readonly abandoned: string[] = [];
  private settle: { resolve(result: JobResult): void; reject(error: unknown): void } | undefined;

  runs = 0;

  run = (options: RunOptions): Promise<JobResult> => {
    this.runs++;
    this.options = options;
    return new Promise<JobResult>((resolve, reject) => {
      this.settle = { resolve, reject };
      // As the real runner: an abort rejects the run (a submit in flight, or the wait).
      options.signal.addEventListener('abort', () => reject(abortError()));
      queueMicrotask(() => options.onJobCreated?.(jobRecord('job-1')));
    });
  };

  abandon = async (jobId: string): Promise<void> => {
    this.abandoned.push(jobId);
  };

  get = async (): Promise<JobRecord | undefined> => undefined;

  progress(phase: JobProgress['phase'], taskIndex = 0, requestSent?: boolean): void {
    this.options?.onProgress?.({ jobId: 'job-1', phase, taskIndex, taskCount: 2, elapsedMs: 0, message: `${phase} ${taskIndex}`, requestSent });
  }

  /** A streamed partial image of task 0, as jobSession reports it (still submitting, request sent). */
  partial(index: number, bytes: Uint8Array): void {
    this.options?.onProgress?.({
      jobId: 'job-1',
      phase: 'submitting',
      taskIndex: 0,
      taskCount: 2,
      elapsedMs: 0,
      message: `Partial image ${index + 1}`,
      requestSent: true,
      partialImage: { index, bytes: () => bytes },
    });
  }

  fail(error: unknown): void {
    this.settle?.reject(error);
  }

  finish(): void {
    this.settle?.resolve({ job: { ...jobRecord('job-1'), state: 'saved' }, files: [], warnings: [] });
  }
}

interface Rig {
  readonly runner: ScriptedRunner;
  readonly owner: JobOwner;
  readonly jobs: StudioJobsClass;
  readonly posted: ToWebview[];
  readonly generated: Promise<void>;
  /** The last view of job-1 the page was sent. */
  lastView(): JobView | undefined;
}

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface RigOptions {
  readonly form?: GenerateForm;
  /** The `gptImage.partialImages` setting. */
  readonly setting?: number;
  readonly previews?: StudioPreviewFiles;
}

/** Preview files in a real folder on disk, as URIs the fake vscode understands. */
function diskPreviews(folder: string): StudioPreviewFiles {
  const uri = (path: string): ReturnType<StudioPreviewFiles['write']> extends Promise<infer U> ? U : never =>
    ({ path, fsPath: path, toString: () => `file://${path}` }) as never;
  return {
    folder: uri(folder),
    write: async (name, bytes) => {
      writeFileSync(join(folder, name), bytes);
      return uri(join(folder, name));
    },
    remove: async (file) => rmSync(file.path, { force: true }),
  };
}

const pngHeader = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function startJob(rigOptions: RigOptions = {}): Promise<Rig> {
  const runner = new ScriptedRunner();
  // The real owner over a runner the test drives step by step: the Studio view is what is under test.
  const owner = new JobOwner({ run: runner.run, abandon: runner.abandon, get: runner.get } as Partial<JobRunner> as JobRunner, silent);
  const posted: ToWebview[] = [];
  const services: StudioServices = {
    extensionUri: undefined as never,
    log: silent,
    scrub: (text) => text,
    runner: {} as JobRunner,
    owner,
    askKeepOrStop: async () => {
      const answer = await (vscodeWindow.showWarningMessage('A paid request for this job was sent to Modellix') as Promise<string | undefined>);
      return answer === 'Stop waiting' ? 'stop' : answer === 'Keep in background' ? 'keep' : 'dismissed';
    },
    describeError: (error) => String(error),
    readProvenance: async () => undefined,
    keyStatus: async () => ({ openai: true, gravitex: false, modellix: true, apixo: false }),
    defaults: () => ({ provider: 'modellix', model: 'gpt-image-2' }),
    tokenRates: () => ({ textInputPerMillion: 5, imageInputPerMillion: 8, imageOutputPerMillion: 30 }),
    outputFolders: () => [],
    ...(rigOptions.setting !== undefined ? { partialImages: () => rigOptions.setting ?? 0 } : {}),
    ...(rigOptions.previews ? { previews: rigOptions.previews } : {}),
    jobOutput: async () => ({ dir: 'file:///w/images', template: '{slug}.{ext}' }),
    lastTextEditor: () => undefined,
  };
  const references = { resolve: async () => [] } as unknown as ConstructorParameters<typeof StudioJobsClass>[1];
  const jobs = new StudioJobs(services, references, (message) => posted.push(message), (uri) => `vscode-webview://panel${uri.path}`);
  const generated = jobs.generate('r1', rigOptions.form ?? form);
  // Let references resolve and the job be created.
  while (!posted.some((message) => message.type === 'job')) await new Promise((resolve) => setImmediate(resolve));
  const lastView = (): JobView | undefined =>
    posted.flatMap((message) => (message.type === 'job' && message.job.jobId === 'job-1' ? [message.job] : [])).at(-1);
  return { runner, owner, jobs, posted, generated, lastView };
}

function doneFor(posted: readonly ToWebview[], requestId: string): Extract<ToWebview, { type: 'done' }> | undefined {
  return posted.find((message): message is Extract<ToWebview, { type: 'done' }> => message.type === 'done' && message.requestId === requestId);
}

describe('StudioJobs (the Studio panel runs a job through the owner)', () => {
  beforeEach(() => {
    questions.length = 0;
    nextAnswer = async () => undefined;
  });

  it('closing the panel mid-submit aborts nothing: the owner keeps the job, now unwatched (the background announces it)', async () => {
    const rig = await startJob();
    rig.runner.progress('submitting', 0, true);
    rig.jobs.dispose();
    assert.equal(rig.runner.options?.signal.aborted, false, 'the paid submit goes on');
    const handle = rig.owner.get('job-1');
    assert.ok(handle, 'still held by the owner');
    assert.equal(handle.watched, false);
    rig.runner.finish();
    assert.equal((await handle.ended).state, 'saved');
    await rig.generated;
  });

  it('Cancel before the paid request left aborts without asking', async () => {
    const rig = await startJob();
    rig.runner.progress('submitting');
    await rig.jobs.cancel('r2', 'job-1');
    await rig.generated;
    assert.deepEqual(questions, [], 'no keep-or-stop question');
    assert.equal(rig.runner.options?.signal.aborted, true);
    assert.equal(rig.lastView()?.phase, 'cancelled');
    assert.equal(rig.lastView()?.message, 'Cancelled');
    assert.equal(doneFor(rig.posted, 'r1')?.error, undefined, 'a cancel is not reported as an error');
  });

  it('Cancel once task 1 polls asks keep-or-stop even while task 2 is submitting; Stop ends with the charge warning', async () => {
    const rig = await startJob();
    rig.runner.progress('polling', 0);
    rig.runner.progress('submitting', 1);
    nextAnswer = async () => 'Stop waiting';
    await rig.jobs.cancel('r2', 'job-1');
    await rig.generated;
    assert.equal(questions.length, 1);
    assert.match(questions[0] ?? '', /Modellix/);
    assert.equal(rig.runner.options?.signal.aborted, true);
    assert.deepEqual(rig.runner.abandoned, ['job-1']);
    assert.equal(rig.lastView()?.phase, 'cancelled');
    assert.match(rig.lastView()?.message ?? '', /Stopped waiting; Modellix may still finish and charge for it/);
    assert.equal(rig.lastView()?.cancellable, false);
    assert.ok(doneFor(rig.posted, 'r2'), 'the Cancel request is answered');
  });

  it('Keep leaves the job running with the owner, no longer watched by the panel', async () => {
    const rig = await startJob();
    rig.runner.progress('polling');
    nextAnswer = async () => 'Keep in background';
    await rig.jobs.cancel('r2', 'job-1');
    assert.equal(rig.runner.options?.signal.aborted, false);
    assert.equal(rig.owner.get('job-1')?.watched, false);
    assert.equal(rig.lastView()?.message, 'Continuing in the background');
    rig.runner.finish();
    await rig.generated;
    assert.equal(rig.lastView()?.phase, 'saved');
  });

  it('a dismissed question keeps the job: nothing aborted, nothing abandoned', async () => {
    const rig = await startJob();
    rig.runner.progress('polling');
    nextAnswer = async () => undefined;
    await rig.jobs.cancel('r2', 'job-1');
    assert.equal(questions.length, 1);
    assert.equal(rig.runner.options?.signal.aborted, false);
    assert.deepEqual(rig.runner.abandoned, []);
    rig.runner.finish();
    await rig.generated;
    assert.equal(rig.lastView()?.phase, 'saved');
  });

  it('Keep answered after the job ended changes nothing', async () => {
    const rig = await startJob();
    rig.runner.progress('polling');
    let answer: (choice: string) => void = () => undefined;
    nextAnswer = () => new Promise<string | undefined>((resolve) => (answer = resolve));
    const cancelled = rig.jobs.cancel('r2', 'job-1');
    rig.runner.finish();
    await rig.generated;
    answer('Keep in background');
    await cancelled;
    assert.equal(rig.lastView()?.phase, 'saved');
    assert.ok(doneFor(rig.posted, 'r2'));
  });

  it('a Generate repeated with the same request id starts no second paid job', async () => {
    const rig = await startJob();
    await rig.jobs.generate('r1', form);
    assert.equal(rig.runner.runs, 1);
    assert.match(doneFor(rig.posted, 'r1')?.error ?? '', /already started/);
    rig.runner.finish();
    await rig.generated;
  });

  it("Generate sends the form's partial images, and the setting only when the form has none", async () => {
    const chosen = await startJob({ form: { ...form, provider: 'openai', n: 1, partialImages: 2 }, setting: 3 });
    assert.equal(chosen.runner.options?.request.partialImages, 2, 'the form wins over the setting');
    chosen.runner.finish();
    await chosen.generated;
    const none = await startJob({ form: { ...form, provider: 'openai', n: 1, partialImages: 0 }, setting: 3 });
    assert.equal(none.runner.options?.request.partialImages, 0, 'None in the form means no streaming');
    none.runner.finish();
    await none.generated;
    const old = await startJob({ form: { ...form, provider: 'openai', n: 1 }, setting: 3 });
    assert.equal(old.runner.options?.request.partialImages, 3, 'a page without the field: the setting');
    old.runner.finish();
    await old.generated;
  });

  it('a streamed partial shows as a file the page loads (no base64 posted), replaced by the next and removed when the job ends', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'studio-previews-'));
    try {
      const rig = await startJob({ form: { ...form, provider: 'openai', n: 1, partialImages: 2 }, previews: diskPreviews(folder) });
      rig.runner.progress('submitting', 0, true);
      const first = Uint8Array.from([...pngHeader, 1]);
      rig.runner.partial(0, first);
      while (rig.lastView()?.partial === undefined) await new Promise((resolve) => setImmediate(resolve));
      const shown = rig.lastView()?.partial;
      assert.equal(shown?.index, 1);
      assert.equal(shown?.count, 2);
      assert.match(shown?.src ?? '', /^vscode-webview:\/\/panel\/.+\.png$/, 'a webview URI of a file in the preview folder');
      const files = readdirSync(folder);
      assert.equal(files.length, 1);
      assert.deepEqual([...readFileSync(join(folder, files[0] ?? ''))], [...first], 'the partial bytes on disk');
      const message = JSON.stringify(rig.posted);
      assert.ok(!message.includes(Buffer.from(first).toString('base64')), 'no image bytes over postMessage');

      rig.runner.partial(1, Uint8Array.from([...pngHeader, 2]));
      while (rig.lastView()?.partial?.index !== 2) await new Promise((resolve) => setImmediate(resolve));
      assert.notEqual(rig.lastView()?.partial?.src, shown?.src, 'a new name, so the page never shows a cached copy');
      assert.deepEqual(readdirSync(folder).length, 1, 'the previous partial file is gone');

      // The runner reports 'saved' before the job ends: from then on the card shows no preview.
      rig.runner.progress('saved', 0);
      assert.equal(rig.lastView()?.phase, 'saved');
      assert.equal(rig.lastView()?.partial, undefined, 'no preview once the images are saved');
      rig.runner.finish();
      await rig.generated;
      assert.equal(rig.lastView()?.phase, 'saved');
      assert.equal(rig.lastView()?.partial, undefined, 'the final view has no preview');
      assert.deepEqual(readdirSync(folder), [], 'the preview file is removed when the job ends');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a job that fails after a partial drops the preview from its card and its file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'studio-previews-'));
    try {
      const rig = await startJob({ form: { ...form, provider: 'openai', n: 1, partialImages: 1 }, previews: diskPreviews(folder) });
      rig.runner.progress('submitting', 0, true);
      rig.runner.partial(0, Uint8Array.from([...pngHeader, 3]));
      while (rig.lastView()?.partial === undefined) await new Promise((resolve) => setImmediate(resolve));
      rig.runner.fail(new Error('stream cut'));
      await rig.generated;
      assert.equal(rig.lastView()?.phase, 'failed');
      assert.equal(rig.lastView()?.partial, undefined);
      assert.deepEqual(readdirSync(folder), []);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
