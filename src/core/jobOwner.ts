import { InputError } from './errors';
import type { ProviderId } from './ids';
import { JobHandle } from './jobHandle';
import type { Disposable, JobHandleOptions } from './jobHandle';
import type { JobOutput, JobRecord } from './journal';
import type { GenerationRequest } from './request';
import type { JobRunner } from './runner';
import type { Logger } from './logger';
import type { RunCap } from './spendGuard';

export interface StartRun {
  readonly request: GenerationRequest;
  readonly output: JobOutput;
  /**
   * The entry point's id for this request (the Studio's message id, an agent's call id). The owner
   * starts at most one paid job per id, however often the request arrives.
   */
  readonly requestId?: string | undefined;
  /** A cap on this run alone (the CLI's `--max-cost`), checked by the runner's spend guard. */
  readonly runCap?: RunCap | undefined;
}

/** How many request ids are remembered: far more than anyone starts in one window or process. */
const rememberedRequestIds = 1000;

/**
 * Holds every job running in this window (the extension) or process (the CLI). Entry points start
 * jobs here and get a JobHandle; views (notification, Studio, status bar, Show Jobs, agent tools,
 * batch runs) subscribe to it. There is no "adopting": a job simply stays with its owner until it ends.
 */
export class JobOwner {
  private readonly handles = new Map<string, JobHandle>();
  /** Handles whose job is not journaled yet (validating, reading inputs): keyed by the object. */
  private readonly starting = new Set<JobHandle>();
  private readonly requestIds = new Map<string, JobHandle>();
  private readonly startListeners = new Set<(handle: JobHandle) => void>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly runner: JobRunner,
    private readonly log: Logger,
  ) {}

  /**
   * A new paid job. Refused (InputError, nothing sent) when a job was already started for the same
   * request id: a repeated Generate never pays twice. Validation errors reject `handle.done`.
   */
  run(start: StartRun): JobHandle {
    if (start.requestId !== undefined) {
      const earlier = this.requestIds.get(start.requestId);
      if (earlier) {
        const which = earlier.jobId === undefined ? '' : ` (job ${earlier.jobId})`;
        throw new InputError([`This request was already started${which}; it is not sent twice.`]);
      }
    }
    const handle = this.create({
      provider: start.request.provider,
      requestId: start.requestId,
      paidOut: false,
      start: ({ signal, onProgress, onJobCreated }) => this.runner.run({ request: start.request, output: start.output, signal, onProgress, onJobCreated, runCap: start.runCap }),
    });
    if (start.requestId !== undefined) this.remember(start.requestId, handle);
    return handle;
  }

  /** Continues a polling or downloading job; joins it when this owner is already running it. */
  resume(jobId: string, provider: ProviderId): JobHandle {
    return this.handles.get(jobId) ?? this.create({ provider, jobId, paidOut: true, start: ({ signal, onProgress }) => this.runner.resume(jobId, signal, onProgress) });
  }

  /** Downloads a finished task's results again; joins a job already running here. */
  retryDownload(jobId: string, provider: ProviderId): JobHandle {
    return this.handles.get(jobId) ?? this.create({ provider, jobId, paidOut: true, start: ({ signal }) => this.runner.retryDownload(jobId, signal) });
  }

  /** The user's explicit choice to pay again for a failed or unknown job: a new job, same request. */
  resubmit(jobId: string, provider: ProviderId): JobHandle {
    return this.create({
      provider,
      paidOut: false,
      start: ({ signal, onProgress, onJobCreated }) => this.runner.resubmit(jobId, signal, onProgress, onJobCreated),
    });
  }

  /**
   * Resumes every journaled job that is waiting to be finished and that nobody else is finishing:
   * the one place that decides which jobs to resume (runner.resumable applies the lease rule).
   */
  async resumeWaiting(): Promise<JobHandle[]> {
    const { jobs } = await this.runner.resumable();
    return jobs.map((job) => this.resume(job.id, job.provider));
  }

  /** A job as the journal has it now (running here or not). */
  load(jobId: string): Promise<JobRecord | undefined> {
    return this.runner.get(jobId);
  }

  /** The running job with this id, if this owner holds it. */
  get(jobId: string): JobHandle | undefined {
    return this.handles.get(jobId);
  }

  /** Every job running here (journaled or still starting). */
  running(): JobHandle[] {
    return [...this.handles.values(), ...this.starting];
  }

  /** Views that follow every job (status bar, background announcements) subscribe here. */
  onDidStart(listener: (handle: JobHandle) => void): Disposable {
    this.startListeners.add(listener);
    return { dispose: () => void this.startListeners.delete(listener) };
  }

  /** Fires when a job starts, learns its id or ends. */
  onDidChange(listener: () => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => void this.changeListeners.delete(listener) };
  }

  /**
   * The window is closing or the process quitting: stop waiting for every job. Nothing is
   * abandoned: each stays in the journal as it is, and the next resume finishes it.
   */
  async dispose(): Promise<void> {
    await Promise.all(this.running().map((handle) => handle.detach()));
  }

  private create(options: Pick<JobHandleOptions, 'provider' | 'requestId' | 'jobId' | 'paidOut' | 'start'>): JobHandle {
    const handle = new JobHandle({
      ...options,
      abandon: (jobId) => this.runner.abandon(jobId),
      load: (jobId) => this.runner.get(jobId),
      warn: (message) => this.log.warn(message),
    });
    if (handle.jobId === undefined) this.starting.add(handle);
    else this.handles.set(handle.jobId, handle);
    handle.onJobId((jobId) => {
      this.starting.delete(handle);
      this.handles.set(jobId, handle);
      this.changed();
    });
    handle.onEnded(() => {
      this.starting.delete(handle);
      if (handle.jobId !== undefined && this.handles.get(handle.jobId) === handle) this.handles.delete(handle.jobId);
      this.changed();
    });
    for (const listener of [...this.startListeners]) listener(handle);
    this.changed();
    return handle;
  }

  private remember(requestId: string, handle: JobHandle): void {
    this.requestIds.set(requestId, handle);
    for (const oldest of this.requestIds.keys()) {
      if (this.requestIds.size <= rememberedRequestIds) break;
      this.requestIds.delete(oldest);
    }
  }

  private changed(): void {
    for (const listener of [...this.changeListeners]) listener();
  }
}
