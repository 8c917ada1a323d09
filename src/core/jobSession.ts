import type { TokenRates } from './cost';
import { errorMessage, isProviderError, ProviderError } from './errors';
import { providerLabels } from './ids';
import { addWarnings, firstImageIndex, refreshJob, toJobError } from './jobRecords';
import { leaseHeartbeatMs } from './journal';
import type { JobRecord, JobTask } from './journal';
import { pollUntilDone } from './pollLoop';
import type { ResolvedRequest } from './request';
import { storableUrls } from './signedUrl';
import { saveImage } from './resultSaver';
import type { CallFacts } from './resultSaver';
import type { JobProgress, RunnerDependencies } from './runner';
import type { ImageProvider } from '../providers/types';

export interface SessionOptions {
  readonly deps: RunnerDependencies;
  readonly job: JobRecord;
  readonly provider: ImageProvider;
  readonly signal: AbortSignal;
  readonly onProgress?: ((progress: JobProgress) => void) | undefined;
  /** A resume or retry: writes ask the writer first whether the image is already on disk. */
  readonly resuming: boolean;
  readonly rates?: TokenRates | undefined;
}

/**
 * One pass over one job: submits, polls, downloads and writes, recording every step in the journal
 * before the next one starts. Journal writes are serialised so a later state never lands first.
 */
export class JobSession {
  private readonly started: number;
  private saving: Promise<void> = Promise.resolve();
  /** Request id and usage per task, known only in the process that submitted. */
  private readonly facts = new Map<number, CallFacts>();
  /** Result URLs as the provider gave them, signatures included; the journal keeps them without (core/signedUrl.ts). */
  private readonly liveResultUrls = new Map<number, readonly string[]>();

  constructor(private readonly options: SessionOptions) {
    this.started = options.deps.now();
  }

  get job(): JobRecord {
    return this.options.job;
  }

  /** Persists the job as it is now. Durable when the returned promise settles. */
  save(): Promise<void> {
    const { deps, job } = this.options;
    refreshJob(job, deps.now());
    this.beat();
    const snapshot = structuredClone(job);
    this.saving = this.saving.then(
      () => deps.journal.put(snapshot),
      () => deps.journal.put(snapshot),
    );
    return this.saving;
  }

  /** Refreshes our lease's heartbeat when it is due; returns whether it did (the job then needs a save). */
  private beat(): boolean {
    const { deps, job } = this.options;
    const lease = job.lease;
    if (!lease || lease.owner !== deps.ownerId || deps.now() - lease.heartbeatAt < leaseHeartbeatMs) return false;
    lease.heartbeatAt = deps.now();
    return true;
  }

  progress(phase: JobProgress['phase'], taskIndex: number, message: string, requestSent?: true): void {
    this.options.onProgress?.({
      jobId: this.job.id,
      phase,
      taskIndex,
      taskCount: this.job.tasks.length,
      elapsedMs: this.options.deps.now() - this.started,
      message,
      ...(requestSent ? { requestSent } : {}),
    });
  }

  /**
   * The paid call of task `index`. Synchronous providers' images are written at once; an async task
   * is recorded as 'polling' the moment its id is known. Throws after recording a failed or unknown task.
   */
  async submit(index: number, call: ResolvedRequest): Promise<void> {
    const { provider, signal, deps } = this.options;
    const task = this.task(index);
    const label = providerLabels[this.job.provider];
    this.progress('submitting', index, `Sending request ${index + 1} of ${this.job.tasks.length} to ${label}…`);
    let outcome;
    const onSent = (): void => this.progress('submitting', index, `Request ${index + 1} of ${this.job.tasks.length} sent to ${label}; waiting for its answer…`, true);
    const onRetryWait = (delayMs: number): void =>
      this.progress('submitting', index, `Request ${index + 1} of ${this.job.tasks.length} was not taken by ${label} (nothing charged); trying again in ${Math.ceil(delayMs / 1000)} s…`);
    try {
      outcome = await provider.submit(call, signal, { onSent, onRetryWait });
    } catch (error) {
      if (isProviderError(error) && error.kind === 'aborted') {
        // The provider layer reports 'aborted' only when nothing was sent (an abort while a paid
        // request is in flight is 'unknownOutcome'): nothing can have been charged.
        task.state = 'cancelled';
        task.error = { kind: 'aborted', message: `Cancelled before the request was sent to ${label}; nothing was charged.` };
        await this.save();
        throw error;
      }
      task.state = isProviderError(error) && error.kind === 'unknownOutcome' ? 'unknown' : 'failed';
      task.error = toJobError(error);
      await this.save();
      this.progress(task.state === 'unknown' ? 'unknown' : 'failed', index, task.error.message);
      throw error;
    }
    addWarnings(this.job, outcome.warnings);
    task.submittedAt = deps.now();
    if (outcome.kind === 'task') {
      task.taskId = outcome.taskId;
      task.state = 'polling';
      this.facts.set(index, { taskId: outcome.taskId, requestId: outcome.response.requestId, images: task.n });
      await this.save();
      this.progress('polling', index, `${label} accepted task ${outcome.taskId}; waiting for it…`);
      return;
    }
    task.state = 'downloading';
    this.facts.set(index, { requestId: outcome.response.requestId, usage: outcome.usage, images: outcome.images.length });
    await this.save();
    await this.writeAll(index, outcome.images.map((image) => () => Promise.resolve(image.bytes)));
  }

  /** Takes a task from 'polling' or 'downloading' to a terminal state (or leaves it resumable and throws). */
  async finish(index: number, pollRequest: Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'>): Promise<void> {
    const task = this.task(index);
    if (task.state === 'polling' || this.needsFreshUrls(index, task)) await this.pollTask(index, task, pollRequest);
    if (task.state !== 'downloading') return;
    const urls = this.liveResultUrls.get(index) ?? task.resultUrls;
    if (!urls || urls.length === 0) {
      task.state = 'failed';
      task.error = {
        kind: 'write',
        message: `The results of request ${index + 1} were lost: the process stopped before they were written, and ${providerLabels[this.job.provider]} returned them only once.`,
      };
      await this.save();
      throw this.errorOf(task);
    }
    await this.writeAll(
      index,
      urls.map((url) => () => this.download(url)),
    );
  }

  /**
   * Deletes uploads once no task can need them any more (best effort: a leftover upload costs
   * nothing, while deleting one a running task still reads would spoil a paid result).
   */
  async cleanUploads(): Promise<void> {
    const pending = this.job.uploads.filter((upload) => !upload.deleted);
    if (pending.length === 0 || !this.job.tasks.every(doneWithUploads)) return;
    const { provider, deps } = this.options;
    if (!provider.deleteUploads) return;
    try {
      await provider.deleteUploads(pending, AbortSignal.timeout(30_000));
      for (const upload of pending) upload.deleted = true;
      await this.save();
    } catch (error) {
      deps.log.warn(`${this.job.provider}: could not delete uploaded inputs of job ${this.job.id}: ${errorMessage(error)}`);
    }
  }

  private async pollTask(index: number, task: JobTask, pollRequest: Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'>): Promise<void> {
    const { deps, provider, signal } = this.options;
    const taskId = task.taskId as string;
    let result;
    try {
      result = await pollUntilDone({
        provider,
        providerId: this.job.provider,
        taskId,
        request: pollRequest,
        submittedAt: task.submittedAt,
        intervalOverrideMs: deps.pollIntervalOverrideMs,
        signal,
        log: deps.log,
        now: () => deps.now(),
        onPoll: (state) => {
          // A long poll writes nothing else: the lease heartbeat rides on the polls (at most every 30 s).
          if (this.beat()) this.save().catch((error: unknown) => deps.log.warn(`Could not record job ${this.job.id}: ${errorMessage(error)}`));
          this.progress('polling', index, `Task ${taskId} is ${state ?? 'still running'}…`);
        },
      });
    } catch (error) {
      // A task the provider does not know is gone for good; anything else may still finish: keep polling later.
      if (isProviderError(error) && error.kind === 'notFound') task.state = 'failed';
      if (!(isProviderError(error) && error.kind === 'aborted')) task.error = toJobError(error);
      await this.save();
      throw error;
    }
    if (result.state === 'failed') {
      task.state = 'failed';
      task.error = toJobError(result.error);
      await this.save();
      this.progress('failed', index, result.error.message);
      throw result.error;
    }
    this.liveResultUrls.set(index, [...result.resultUrls]);
    const stored = storableUrls(result.resultUrls);
    task.resultUrls = stored.urls;
    task.resultUrlsRedacted = stored.redacted || undefined;
    task.resultExpiresAt = result.expiresAt;
    task.state = 'downloading';
    task.error = undefined;
    await this.save();
  }

  /**
   * A finished task whose journal kept its result links without their signatures, in a process that
   * never saw them whole (a resume, a retry): one status read gets them again, free and safe to
   * repeat, while the provider still holds them (about 24 h).
   */
  private needsFreshUrls(index: number, task: JobTask): boolean {
    return task.state === 'downloading' && task.resultUrlsRedacted === true && !this.liveResultUrls.has(index) && task.taskId !== undefined && this.options.provider.poll !== undefined;
  }

  /** deps.download retries transient failures itself (providers/download.ts); no second layer here. */
  private download(url: string): Promise<Uint8Array> {
    return this.options.deps.download(url, { signal: this.options.signal, provider: this.job.provider });
  }

  /** Writes the images a task has not recorded yet, recording each file as soon as it exists. */
  private async writeAll(index: number, sources: readonly (() => Promise<Uint8Array>)[]): Promise<void> {
    const { deps } = this.options;
    const writer = deps.writer;
    const task = this.task(index);
    const first = firstImageIndex(this.job, index);
    const facts = this.facts.get(index) ?? { taskId: task.taskId, images: sources.length };
    for (let position = task.files.length; position < sources.length; position++) {
      this.progress('downloading', index, `Fetching image ${first + position}…`);
      let bytes: Uint8Array;
      try {
        bytes = await (sources[position] as () => Promise<Uint8Array>)();
      } catch (error) {
        // A transient failure keeps the task 'downloading' so a resume retries it; a definite one fails it.
        const transient = isProviderError(error) && (error.retryable || error.kind === 'aborted');
        if (!transient) task.state = 'failed';
        if (!(isProviderError(error) && error.kind === 'aborted')) task.error = toJobError(error);
        await this.save();
        throw error;
      }
      this.progress('saving', index, `Writing image ${first + position}…`);
      try {
        const location = await saveImage({
          writer,
          job: this.job,
          index: first + position,
          bytes,
          call: facts,
          now: deps.now(),
          checkExisting: this.options.resuming,
          rates: this.options.rates,
        });
        task.files.push(location);
      } catch (error) {
        task.state = 'failed';
        task.error = toJobError(error);
        await this.save();
        throw error;
      }
      await this.save();
    }
    task.state = 'saved';
    task.error = undefined;
    await this.save();
    this.progress('saved', index, `Saved ${task.files.length} image${task.files.length === 1 ? '' : 's'}.`);
  }

  private task(index: number): JobTask {
    return this.job.tasks[index] as JobTask;
  }

  private errorOf(task: JobTask): ProviderError {
    return new ProviderError({
      kind: task.error?.kind === 'write' || task.error?.kind === 'input' || task.error === undefined ? 'invalidResponse' : task.error.kind,
      provider: this.job.provider,
      taskId: task.taskId,
      message: task.error?.message ?? 'The task failed.',
    });
  }
}

/**
 * Whether a task can no longer read the job's uploads: it was saved or failed, or it was cancelled
 * before the provider ever accepted it. An unknown submit, or a task the user abandoned while the
 * provider was working on it, may still be running and fetch its inputs, so its uploads stay.
 */
function doneWithUploads(task: JobTask): boolean {
  if (task.state === 'saved' || task.state === 'failed') return true;
  return task.state === 'cancelled' && task.taskId === undefined && task.submittedAt === undefined;
}
