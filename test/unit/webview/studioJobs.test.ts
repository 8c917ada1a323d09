import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/journal';
import { JobOwner } from '../../../src/core/jobOwner';
import type { JobProgress, JobResult, JobRunner, RunOptions } from '../../../src/core/runner';
import type { GenerateForm, JobView, ToWebview } from '../../../src/webview/protocol';
import type * as StudioJobsModule from '../../../src/webview/studioJobs';
import type { StudioJobs as StudioJobsClass } from '../../../src/webview/studioJobs';
import type { StudioServices } from '../../../src/webview/studioServices';
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

async function startJob(): Promise<Rig> {
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
    jobOutput: async () => ({ dir: 'file:///w/images', template: '{slug}.{ext}' }),
    lastTextEditor: () => undefined,
  };
  const references = { resolve: async () => [] } as unknown as ConstructorParameters<typeof StudioJobsClass>[1];
  const jobs = new StudioJobs(services, references, (message) => posted.push(message), () => undefined);
  const generated = jobs.generate('r1', form);
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
});
