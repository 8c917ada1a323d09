import { isAbortError, isProviderError } from './errors';
import type { ProviderId } from './ids';
import type { JobRecord, JobState } from './journal';
import type { PartialImage } from './provider';
import type { JobProgress, JobResult } from './runner';

/**
 * Where a running job is, as every view shows it:
 * preparing → sending → polling → downloading → saved | failed | unknown | cancelled | needsAttention.
 * `sending` covers the paid request from the moment it is started; `paidOut` says whether it has
 * actually left (only then can the provider charge for it).
 */
export type JobHandleState = 'preparing' | 'sending' | 'polling' | 'downloading' | JobEndState;
export type JobEndState = 'saved' | 'failed' | 'unknown' | 'cancelled' | 'needsAttention';

/** The user's answer to "keep it or stop waiting?"; a dismissed question keeps the job. */
export type KeepOrStopAnswer = 'keep' | 'stop' | 'dismissed';

/** The port every host implements to ask that question (a modal dialog, a Studio prompt, the terminal). */
export type AskKeepOrStop = (handle: JobHandle) => Promise<KeepOrStopAnswer>;

export interface JobEnd {
  readonly state: JobEndState;
  readonly result?: JobResult | undefined;
  readonly error?: unknown;
  /** The user chose "stop waiting": the job is abandoned in the journal (the provider may still charge). */
  readonly stopped: boolean;
  /** The wait ended here but the job is still polling or downloading in the journal (a later resume finishes it). */
  readonly resumable: boolean;
}

/** What `cancel()` found: nothing paid was out (the job is being cancelled), a decision is needed, or it had ended. */
export type CancelOutcome = 'cancelled' | 'decide' | 'ended';

export interface Disposable {
  dispose(): void;
}

/** How the owner starts a handle's work and settles it; see JobOwner. */
export interface JobHandleOptions {
  readonly provider: ProviderId;
  readonly requestId?: string | undefined;
  /** Known up front when a journaled job is resumed; a new run learns it once the job is journaled. */
  readonly jobId?: string | undefined;
  /** A resumed job's paid request was accepted long ago: Cancel asks from the start. */
  readonly paidOut: boolean;
  readonly start: (hooks: {
    readonly signal: AbortSignal;
    readonly onProgress: (progress: JobProgress) => void;
    readonly onJobCreated: (job: JobRecord) => void;
  }) => Promise<JobResult>;
  /** Marks the job abandoned in the journal (after "stop waiting"). */
  readonly abandon: (jobId: string) => Promise<void>;
  /** The job as the journal has it now, to learn how a failed run ended. */
  readonly load: (jobId: string) => Promise<JobRecord | undefined>;
  readonly warn: (message: string) => void;
}

const progressStates: Readonly<Record<JobProgress['phase'], JobHandleState | undefined>> = {
  uploading: 'preparing',
  submitting: 'sending',
  polling: 'polling',
  downloading: 'downloading',
  saving: 'downloading',
  // Per-task outcomes: the job itself ends with `ended`, when every task has.
  saved: undefined,
  failed: undefined,
  unknown: undefined,
};

/** Task phases after its paid request was answered and accepted (or its outcome is unknown). */
const acceptedPhases: ReadonlySet<JobProgress['phase']> = new Set(['polling', 'downloading', 'saving', 'saved', 'unknown']);

/**
 * One running job: the single object the notification, the Studio, the status bar, Show Jobs and
 * the CLI all watch and cancel. It never decides on the user's behalf: after a paid request left,
 * `cancel()` only reports that a decision is needed, and `keep()` or `stop()` settles it.
 */
export class JobHandle {
  private current: JobHandleState = 'preparing';
  /** Resumed: accepted long ago. */
  private readonly resumed: boolean;
  /** Tasks whose paid request is on its way (sent whole, no answer yet). */
  private readonly inFlight = new Set<number>();
  /** Tasks the provider accepted (or whose outcome is unknown): paid, or possibly so. */
  private readonly accepted = new Set<number>();
  private identifier: string | undefined;
  private latestProgress: JobProgress | undefined;
  private readonly controller = new AbortController();
  private readonly progressListeners = new Set<(progress: JobProgress) => void>();
  private readonly warningListeners = new Set<(warnings: readonly string[]) => void>();
  private readonly endListeners = new Set<(end: JobEnd) => void>();
  private readonly jobIdListeners = new Set<(jobId: string) => void>();
  private readonly partialListeners = new Set<(partial: PartialImage, progress: JobProgress) => void>();
  private readonly seenWarnings = new Set<string>();
  private ending: JobEnd | undefined;
  private stopping = false;
  private watchers = 0;
  /** Settles with the outcome once the job ended, whatever it was; never rejects. */
  readonly ended: Promise<JobEnd>;
  /** The run itself: resolves with the result, rejects with the error (for callers that await one job). */
  readonly done: Promise<JobResult>;

  constructor(private readonly options: JobHandleOptions) {
    this.resumed = options.paidOut;
    this.identifier = options.jobId;
    if (options.paidOut) this.current = 'polling';
    this.done = options.start({
      signal: this.controller.signal,
      onProgress: (progress) => this.receiveProgress(progress),
      onJobCreated: (job) => {
        this.setJobId(job.id);
        this.announceWarnings(job.warnings);
      },
    });
    this.ended = this.done.then(
      (result) => this.end({ state: 'saved', result, stopped: false, resumable: false }),
      (error: unknown) => this.endWithError(error),
    );
  }

  get provider(): ProviderId {
    return this.options.provider;
  }

  get requestId(): string | undefined {
    return this.options.requestId;
  }

  get jobId(): string | undefined {
    return this.identifier;
  }

  get state(): JobHandleState {
    return this.current;
  }

  /** Whether some task's paid request has left this machine (or was accepted before a resume). */
  get paidOut(): boolean {
    return this.resumed || this.accepted.size > 0 || this.inFlight.size > 0;
  }

  get latest(): JobProgress | undefined {
    return this.latestProgress;
  }

  get isEnded(): boolean {
    return this.ending !== undefined;
  }

  get outcome(): JobEnd | undefined {
    return this.ending;
  }

  /** Whether a view (a notification, the Studio) is watching it; nobody watching means it runs in the background. */
  get watched(): boolean {
    return this.watchers > 0;
  }

  /** A view says it shows this job; disposing says it stopped (closed, or the user chose to keep it in the background). */
  watch(): Disposable {
    this.watchers++;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.watchers--;
      },
    };
  }

  onProgress(listener: (progress: JobProgress) => void): Disposable {
    return subscribe(this.progressListeners, listener);
  }

  /** A streamed preview arrived (never a result); `partial.bytes()` decodes it when a view wants it. */
  onPartialImage(listener: (partial: PartialImage, progress: JobProgress) => void): Disposable {
    return subscribe(this.partialListeners, listener);
  }

  onWarnings(listener: (warnings: readonly string[]) => void): Disposable {
    return subscribe(this.warningListeners, listener);
  }

  /** Called at once for a job that already ended. */
  onEnded(listener: (end: JobEnd) => void): Disposable {
    if (this.ending) {
      const end = this.ending;
      queueMicrotask(() => listener(end));
      return { dispose: () => undefined };
    }
    return subscribe(this.endListeners, listener);
  }

  /** Called once the job is in the journal (at once when its id is already known). */
  onJobId(listener: (jobId: string) => void): Disposable {
    if (this.identifier !== undefined) {
      const id = this.identifier;
      queueMicrotask(() => listener(id));
      return { dispose: () => undefined };
    }
    return subscribe(this.jobIdListeners, listener);
  }

  /**
   * The user pressed Cancel. Before any paid request left, the job is cancelled now (nothing can be
   * charged). After, nothing happens yet: the answer is 'decide', and keep() or stop() settles it.
   */
  cancel(): CancelOutcome {
    if (this.ending) return 'ended';
    if (!this.paidOut) {
      this.stopping = true;
      this.controller.abort(new Error('Cancelled by the user.'));
      return 'cancelled';
    }
    return 'decide';
  }

  /** "Keep it": the job goes on (in the background if no view watches it any more). */
  keep(): void {
    // Nothing to undo: cancel() stopped nothing. Views decide what "in the background" looks like.
  }

  /** "Stop waiting": abort, and mark the job abandoned in the journal; the provider may still charge for it. */
  async stop(): Promise<void> {
    if (this.ending) return;
    this.stopping = true;
    this.controller.abort(new Error('Stopped waiting.'));
    await this.done.catch(() => undefined);
    const jobId = this.identifier;
    if (jobId !== undefined) {
      await this.options.abandon(jobId).catch((error: unknown) => this.options.warn(`Could not abandon job ${jobId}: ${String(error)}`));
    }
    await this.ended;
  }

  /**
   * Stop waiting here, leaving the job resumable in the journal: a window closing, or a CLI quitting
   * while a task is polling. Nothing is abandoned; a later resume finishes it.
   */
  async detach(): Promise<void> {
    if (this.ending) return;
    this.controller.abort(new Error('Stopped waiting in this process; the job stays in the journal.'));
    await this.ended;
  }


  private receiveProgress(progress: JobProgress): void {
    if (this.ending) return;
    this.setJobId(progress.jobId);
    this.trackPayment(progress);
    const next = progressStates[progress.phase];
    // Never back to an earlier phase: task 2 being sent while task 1 polls is still "polling" overall.
    if (next !== undefined && rank(next) >= rank(this.current)) this.current = next;
    // A partial image is handed to listeners, not kept: `latest` holding it would keep its base64 alive.
    this.latestProgress = progress.partialImage ? { ...progress, partialImage: undefined } : progress;
    for (const listener of [...this.progressListeners]) listener(progress);
    const partial = progress.partialImage;
    if (partial) for (const listener of [...this.partialListeners]) listener(partial, progress);
  }

  /**
   * A 'submitting' event with requestSent means the HTTP client handed that task's request to the
   * connection; one without it (a new attempt, a wait after a definite refusal) means nothing is on
   * its way. A refused task ('failed') paid nothing; an accepted one stays paid.
   */
  private trackPayment(progress: JobProgress): void {
    const task = progress.taskIndex;
    if (progress.phase === 'submitting') {
      if (progress.requestSent === true) this.inFlight.add(task);
      else this.inFlight.delete(task);
      return;
    }
    this.inFlight.delete(task);
    if (acceptedPhases.has(progress.phase)) this.accepted.add(task);
  }

  private setJobId(jobId: string): void {
    if (this.identifier !== undefined) return;
    this.identifier = jobId;
    for (const listener of [...this.jobIdListeners]) listener(jobId);
    this.jobIdListeners.clear();
  }

  private announceWarnings(warnings: readonly string[]): void {
    const fresh = warnings.filter((warning) => !this.seenWarnings.has(warning));
    if (fresh.length === 0) return;
    for (const warning of fresh) this.seenWarnings.add(warning);
    for (const listener of [...this.warningListeners]) listener(fresh);
  }

  private async endWithError(error: unknown): Promise<JobEnd> {
    const record = this.identifier === undefined ? undefined : await this.options.load(this.identifier).catch(() => undefined);
    if (record) this.announceWarnings(record.warnings);
    const recorded = record?.state;
    const resumable = recorded === 'polling' || recorded === 'downloading';
    return this.end({ state: endStateOf(error, recorded, this.stopping), error, stopped: this.stopping && this.paidOut, resumable });
  }

  private end(end: JobEnd): JobEnd {
    if (end.result) this.announceWarnings(end.result.warnings);
    this.ending = end;
    this.current = end.state;
    for (const listener of [...this.endListeners]) listener(end);
    this.endListeners.clear();
    this.progressListeners.clear();
    this.partialListeners.clear();
    this.warningListeners.clear();
    return end;
  }
}

function subscribe<T>(listeners: Set<T>, listener: T): Disposable {
  listeners.add(listener);
  return { dispose: () => void listeners.delete(listener) };
}

const order: readonly JobHandleState[] = ['preparing', 'sending', 'polling', 'downloading'];
function rank(state: JobHandleState): number {
  const index = order.indexOf(state);
  return index === -1 ? order.length : index;
}

/** How a run that threw ended: the journal's word first, then what the error says. */
function endStateOf(error: unknown, recorded: JobState | undefined, stopping: boolean): JobEndState {
  if (recorded === 'unknown' || (isProviderError(error) && error.kind === 'unknownOutcome')) return 'unknown';
  if (recorded === 'needsAttention') return 'needsAttention';
  // A job left polling or downloading was only stopped waiting for here (a window closing, a CLI quitting).
  if (stopping || isAbortError(error) || recorded === 'cancelled' || recorded === 'polling' || recorded === 'downloading') return 'cancelled';
  return 'failed';
}

/**
 * Cancel, the one way every entry point does it: before anything paid left, a plain cancel; after,
 * the host's question, where only an explicit "stop" stops. A dismissed question keeps the job, so
 * a paid result is never dropped by accident; a job that ended while the question was open is left as it ended.
 */
export async function cancelJob(handle: JobHandle, ask: AskKeepOrStop): Promise<'cancelled' | 'kept' | 'stopped' | 'ended'> {
  const first = handle.cancel();
  if (first !== 'decide') return first;
  const answer = await ask(handle);
  if (handle.isEnded) return 'ended';
  if (answer === 'stop') {
    await handle.stop();
    return 'stopped';
  }
  handle.keep();
  return 'kept';
}
