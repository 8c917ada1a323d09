import type { TokenRates } from './cost';
import { errorMessage, isProviderError, ProviderError, withContext } from './errors';
import { providerLabels } from './ids';
import { addWarnings, firstImageIndex, refreshJob, toJobError } from './jobRecords';
import { leaseHeartbeatMs } from './journal';
import type { JobRecord, JobTask, TaskImage } from './journal';
import { ImagesNotWrittenError } from './output';
import { pollUntilDone } from './pollLoop';
import type { ResolvedRequest } from './request';
import { describeWriteError, keptImageName, saveImage } from './resultSaver';
import { storableUrls } from './signedUrl';
import type { CallFacts } from './resultSaver';
import { imageSubject, imagesOf, isSettled, stillFetchable, syncFiles } from './taskImages';
import type { ImageSource, PassProblems } from './taskImages';
import type { JobProgress, RunnerDependencies } from './runner';
import type { CallCharge } from './spendRecorder';
import type { ImageProvider, PartialImage } from './provider';
import { fileExtensions, isSupportedImageFormat, sniffImageFormat } from './imageFormat';

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
  /** Partial-image previews being kept, in order. */
  private previews: Promise<void> = Promise.resolve();

  constructor(private readonly options: SessionOptions) {
    this.started = options.deps.now();
  }

  get job(): JobRecord {
    return this.options.job;
  }

  /** What this process learned of call `index`'s cost (reported usage, images made), for the spend ledger. */
  chargeOf(index: number): CallCharge | undefined {
    const facts = this.facts.get(index);
    return facts && { usage: facts.usage, images: facts.images };
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

  get jobId(): string {
    return this.options.job.id;
  }

  /** Settles once every save asked for so far is written (or failed). */
  saved(): Promise<void> {
    return this.saving;
  }

  /** Refreshes our lease's heartbeat when it is due; returns whether it did (the job then needs a save). */
  beat(): boolean {
    const { deps, job } = this.options;
    const lease = job.lease;
    if (!lease || lease.owner !== deps.ownerId || deps.now() - lease.heartbeatAt < leaseHeartbeatMs) return false;
    lease.heartbeatAt = deps.now();
    return true;
  }

  progress(phase: JobProgress['phase'], taskIndex: number, message: string, requestSent?: true, partialImage?: PartialImage): void {
    this.options.onProgress?.({
      jobId: this.job.id,
      phase,
      taskIndex,
      taskCount: this.job.tasks.length,
      elapsedMs: this.options.deps.now() - this.started,
      message,
      ...(requestSent ? { requestSent } : {}),
      ...(partialImage ? { partialImage } : {}),
    });
  }

  /**
   * A partial image of task `index`: reported (still 'submitting' and sent, so a cancel still asks)
   * and kept as the task's preview, the newest replacing the last. Keeps run one after another;
   * `previews` settles when the last one is recorded.
   */
  private partial(index: number, partial: PartialImage, asked: number | undefined): void {
    const label = providerLabels[this.job.provider];
    const of = asked === undefined ? '' : ` of ${asked}`;
    this.progress('submitting', index, `Partial image ${partial.index + 1}${of} received from ${label}; waiting for the final image…`, true, partial);
    this.previews = this.previews.then(() => this.keepPreview(index, partial));
  }

  private async keepPreview(index: number, partial: PartialImage): Promise<void> {
    const { deps } = this.options;
    const task = this.task(index);
    try {
      const bytes = partial.bytes();
      const format = sniffImageFormat(bytes);
      task.preview = await deps.rescue.keep(this.job.id, `preview-${index + 1}.${isSupportedImageFormat(format) ? fileExtensions[format] : 'bin'}`, bytes);
      await this.save();
    } catch (error) {
      deps.log.warn(`Could not keep the partial image of job ${this.job.id}: ${errorMessage(error)}`);
    }
  }

  /** The preview is not needed once the task's images are saved (best effort, like any kept copy). */
  private async dropPreview(task: JobTask): Promise<void> {
    const location = task.preview;
    if (location === undefined) return;
    task.preview = undefined;
    await this.save();
    await this.removeCopy(location);
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
    const onPartialImage = (partial: PartialImage): void => this.partial(index, partial, call.partialImages);
    try {
      outcome = await provider.submit(call, signal, { onSent, onRetryWait, onPartialImage });
    } catch (error) {
      await this.previews;
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
    await this.previews;
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
    this.facts.set(index, { requestId: outcome.response.requestId, usage: outcome.usage, reported: outcome.response.reported, images: outcome.images.length });
    // These bytes exist only in memory and are never served again: a durable copy in the journal's
    // storage first, so a crash while writing them costs nothing (a resume writes the copies).
    task.images = await this.keepCopies(index, outcome.images.map((image) => image.bytes));
    await this.save();
    await this.writeAll(index, outcome.images.map((image) => () => Promise.resolve(image.bytes)), true);
  }

  /** Takes a task from 'polling' or 'downloading' to a terminal state (or leaves it resumable and throws). */
  async finish(index: number, pollRequest: Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'>): Promise<void> {
    const task = this.task(index);
    if (task.state === 'polling' || this.needsFreshUrls(index, task)) await this.pollTask(index, task, pollRequest);
    if (task.state !== 'downloading') return;
    // The full (signed) links live in memory only; the journal keeps them without their query.
    const urls = this.liveResultUrls.get(index) ?? task.resultUrls;
    if (urls && urls.length > 0) {
      await this.writeAll(
        index,
        urls.map((url) => () => this.download(url)),
      );
      return;
    }
    // A synchronous answer: what survives a restart is the files written and the copies kept first.
    if (task.images && task.images.length > 0) {
      await this.writeAll(index, task.images.map(() => undefined));
      return;
    }
    task.state = 'failed';
    task.error = {
      kind: 'write',
      message: `The results of request ${index + 1} were lost: the process stopped before they were written, and ${providerLabels[this.job.provider]} returned them only once.`,
    };
    await this.save();
    throw this.errorOf(task);
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
    // A second read for fresh links (after a restart) keeps the first: the links age from then.
    task.completedAt ??= deps.now();
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
    const provider = this.job.provider;
    return this.options.deps.download(url, { signal: this.options.signal, provider }).catch((error: unknown) => {
      throw isProviderError(error) && error.provider === undefined ? withContext(error, { provider }) : error;
    });
  }

  /**
   * Writes every image of the task that is not saved yet, recording each one as soon as it exists.
   * One bad image never takes the others with it: each is fetched and written on its own, and the
   * task ends saved, still downloading (an image may yet be fetched), needing attention (an image
   * is kept in the journal's storage because writing it failed) or failed, naming every image that
   * did not make it. `sources[position]` is undefined when the bytes can only come from a kept copy.
   */
  /** `inMemory`: the sources are bytes at hand (a synchronous answer), cheaper than reading a kept copy back. */
  private async writeAll(index: number, sources: readonly (ImageSource | undefined)[], inMemory = false): Promise<void> {
    const task = this.task(index);
    const first = firstImageIndex(this.job, index);
    const facts = this.facts.get(index) ?? { taskId: task.taskId, images: sources.length };
    const images = imagesOf(task, sources.length);
    const pass: PassProblems = { total: Math.max(this.job.request.n, sources.length), problems: [] };
    try {
      for (const [position, image] of images.entries()) {
        if (isSettled(image)) continue;
        const number = first + position;
        this.progress('downloading', index, `Fetching image ${number}…`);
        const bytes = await this.bytesOf(task, image, sources[position], number, pass, inMemory);
        if (bytes !== undefined) {
          this.progress('saving', index, `Writing image ${number}…`);
          await this.place(task, image, bytes, number, facts, pass);
        }
        // A copy no longer needed is dropped from the record first, from the disk after: a crash
        // in between leaves a stray copy, never a record pointing at a copy that is gone.
        const copy = isSettled(image) ? image.kept : undefined;
        image.kept = copy === undefined ? image.kept : undefined;
        syncFiles(task);
        await this.save();
        if (copy !== undefined) await this.removeCopy(copy);
      }
    } catch (error) {
      // Only a cancel gets here: the task stays 'downloading' for a resume.
      syncFiles(task);
      await this.save();
      throw error;
    }
    await this.conclude(index, task, pass);
  }

  /** The image's bytes: its kept copy, else its source; undefined (the image marked) when there are none now. */
  private async bytesOf(
    task: JobTask,
    image: TaskImage,
    source: ImageSource | undefined,
    number: number,
    pass: PassProblems,
    inMemory: boolean,
  ): Promise<Uint8Array | undefined> {
    const { deps } = this.options;
    const subject = imageSubject(number, pass);
    // A kept copy saves a download; bytes already in memory need no second read of it.
    if (image.kept !== undefined && !(inMemory && source)) {
      try {
        return await deps.rescue.read(image.kept);
      } catch (error) {
        if (!source) {
          image.state = 'failed';
          image.error = `${subject}: its kept copy at ${image.kept} cannot be read (${errorMessage(error)}).`;
          return undefined;
        }
        deps.log.warn(`The kept copy of image ${number} of job ${this.job.id} cannot be read (${errorMessage(error)}); fetching it again.`);
      }
    }
    if (!source) {
      image.state = 'failed';
      image.error = `${subject} was lost: the process stopped before it was written, and ${providerLabels[this.job.provider]} returned it only once.`;
      return undefined;
    }
    try {
      return await source();
    } catch (error) {
      if (isProviderError(error) && error.kind === 'aborted') throw error;
      pass.problems.push(error);
      const fetchable = stillFetchable(task, error, this.options.deps.now(), providerLabels[this.job.provider]);
      image.state = fetchable.pending ? 'pending' : 'failed';
      image.error = `${imageSubject(number, pass, ': ')}${errorMessage(error)}${fetchable.note}`;
      return undefined;
    }
  }

  /** Writes one image; a write that fails keeps its bytes in the journal's storage instead. */
  private async place(task: JobTask, image: TaskImage, bytes: Uint8Array, number: number, facts: CallFacts, pass: PassProblems): Promise<void> {
    const { deps } = this.options;
    try {
      image.file = await saveImage({
        writer: deps.writer,
        job: this.job,
        index: number,
        bytes,
        call: facts,
        now: deps.now(),
        checkExisting: this.options.resuming,
        rates: this.options.rates,
      });
      image.state = 'saved';
      image.error = undefined;
      return;
    } catch (error) {
      if (isProviderError(error)) {
        // Not a PNG, JPEG or WebP: nothing worth keeping.
        pass.problems.push(error);
        image.state = 'failed';
        image.error = `${imageSubject(number, pass, ': ')}${error.message}`;
        return;
      }
      const where = `${imageSubject(number, pass)} could not be saved in ${this.job.output.dir} (${describeWriteError(error)})`;
      if (image.kept === undefined) {
        try {
          image.kept = await deps.rescue.keep(this.job.id, keptImageName(number, bytes), bytes);
        } catch (keepError) {
          const also = `, nor kept in GPT Image's own storage (${describeWriteError(keepError)})`;
          // A result URL can be fetched again while it is valid; bytes answered once are gone.
          const again = (task.resultUrls?.length ?? 0) > 0;
          image.state = again ? 'pending' : 'failed';
          image.error = again ? `${where}${also}; resuming the job downloads it again.` : `${where}${also}; it is lost.`;
          return;
        }
      }
      image.state = 'kept';
      image.error = `${where}; it is kept at ${image.kept}.`;
    }
  }

  /** The task's state once every image had its turn; throws unless every image is saved. */
  private async conclude(index: number, task: JobTask, pass: PassProblems): Promise<void> {
    const images = task.images ?? [];
    const count = (state: TaskImage['state']): number => images.filter((image) => image.state === state).length;
    if (count('pending') + count('kept') + count('failed') === 0) {
      task.state = 'saved';
      task.error = undefined;
      await this.save();
      await this.dropPreview(task);
      this.progress('saved', index, `Saved ${task.files.length} image${task.files.length === 1 ? '' : 's'}.`);
      return;
    }
    task.state = count('pending') > 0 ? 'downloading' : count('kept') > 0 ? 'needsAttention' : 'failed';
    const message = images.flatMap((image) => (image.state !== 'saved' && image.error ? [image.error] : [])).join(' ') || 'An image of this task could not be saved.';
    const problem = pass.problems.find(isProviderError);
    task.error = { kind: task.state === 'needsAttention' ? 'write' : (problem?.kind ?? 'invalidResponse'), message };
    await this.save();
    // A task still downloading has not failed: it waits for a resume.
    if (task.state !== 'downloading') this.progress('failed', index, message);
    if (task.state === 'needsAttention') {
      throw new ImagesNotWrittenError(message, images.flatMap((image) => (image.state === 'kept' && image.kept ? [image.kept] : [])));
    }
    throw new ProviderError({
      kind: problem?.kind ?? 'invalidResponse',
      provider: this.job.provider,
      taskId: task.taskId,
      status: problem?.status,
      code: problem?.code,
      // Still downloading: fetching again is free and safe (a resume or "Retry the download").
      retryable: task.state === 'downloading',
      message,
    });
  }

  /** A synchronous answer's images, each with a durable copy when the journal's storage takes one. */
  private async keepCopies(index: number, images: readonly Uint8Array[]): Promise<TaskImage[]> {
    const { deps } = this.options;
    const first = firstImageIndex(this.job, index);
    return Promise.all(
      images.map(async (bytes, position): Promise<TaskImage> => {
        try {
          return { state: 'pending', kept: await deps.rescue.keep(this.job.id, keptImageName(first + position, bytes), bytes) };
        } catch (error) {
          deps.log.warn(`Could not keep a copy of image ${first + position} of job ${this.job.id} before writing it: ${errorMessage(error)}`);
          return { state: 'pending' };
        }
      }),
    );
  }

  /** Removes a kept copy once it is not needed (best effort: a leftover copy only takes space). */
  private async removeCopy(location: string): Promise<void> {
    try {
      await this.options.deps.rescue.remove(location);
    } catch (error) {
      this.options.deps.log.warn(`Could not remove the kept copy ${location}: ${errorMessage(error)}`);
    }
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
  if (task.state === 'saved' || task.state === 'failed' || task.state === 'needsAttention') return true;
  return task.state === 'cancelled' && task.taskId === undefined && task.submittedAt === undefined;
}
