import type { ProviderId } from './ids';
import type { ImageWriter, RescueStore } from './output';
import type { GenerationRequest } from './request';
import type { JobOutput, JobRecord, JournalStore, InputReference } from './journal';
import type { ImageProvider, PartialImage } from './provider';
import type { Logger } from './logger';
import type { RunCap } from './spendGuard';
import type { SpendPort } from './spendRecorder';

/** Where a job is, for progress UIs (status bar, notification, Studio, CLI stderr). */
export interface JobProgress {
  readonly jobId: string;
  readonly phase: 'submitting' | 'uploading' | 'polling' | 'downloading' | 'saving' | 'saved' | 'failed' | 'unknown';
  /** 0-based task (paid call) this event is about, and how many there are. */
  readonly taskIndex: number;
  readonly taskCount: number;
  readonly elapsedMs: number;
  readonly message: string;
  /**
   * On a 'submitting' event: the paid request has been sent whole (SubmitHooks.onSent), so it may
   * be charged from now on. Stopping then loses what it paid for, so the CLI's first Ctrl-C waits.
   */
  readonly requestSent?: boolean | undefined;
  /**
   * A streamed preview of the image being made ('submitting', requestSent): show it, never save
   * it as a result. Decoded only if a view calls bytes().
   */
  readonly partialImage?: PartialImage | undefined;
}

/** What `resumable()` found: the jobs to resume here (oldest first), and those another owner is finishing. */
export interface ResumeSelection {
  readonly jobs: readonly JobRecord[];
  readonly heldElsewhere: readonly JobRecord[];
}

export interface RunnerDependencies {
  /**
   * Builds (or returns a cached) provider for an id, with its context. `baseUrl` is the one a job
   * was sent to (resume, poll, download); the host refuses it (InputError) unless it is still a
   * trusted base URL for that provider, so a journal cannot redirect the API key elsewhere.
   */
  provider(id: ProviderId, baseUrl?: string): ImageProvider;
  /** The base URL a new job of this provider is sent to, recorded in the job (JobRecord.baseUrl). */
  baseUrlFor?(id: ProviderId): string | undefined;
  /**
   * Who this runner is, for job leases (JobRecord.lease): the extension keeps a random id in its
   * workspace state (a reloaded window takes its own jobs back at once), the CLI uses
   * `cli:<hostname>:<pid>`. Without it no lease is taken or honoured.
   */
  readonly ownerId?: string | undefined;
  /** Whether a lease's owner is known to be gone (the CLI: a dead local pid), so its lease is void now. */
  isOwnerGone?(owner: string): boolean;
  readonly journal: JournalStore;
  readonly writer: ImageWriter;
  /**
   * Where paid images go when the writer cannot take them (and, for synchronous answers, a durable
   * copy before they are written): the journal's own storage. A paid image is never dropped.
   */
  readonly rescue: RescueStore;
  readonly log: Logger;
  now(): number;
  /** Overrides every provider's poll interval (setting / --poll-interval); tests use 50 ms. */
  readonly pollIntervalOverrideMs?: number | undefined;
  /**
   * Fetches one result URL of an async task: no API key, redirects followed, size-capped, GET so it
   * may be retried (the host wraps providers/download.ts's downloadResult around its HTTP client).
   */
  download(url: string, options: { readonly signal: AbortSignal; readonly provider: ProviderId }): Promise<Uint8Array>;
  /** Re-reads an input file for a manual resubmit (the journal keeps references, not bytes). */
  readInput?(reference: Extract<InputReference, { kind: 'file' }>): Promise<Uint8Array>;
  /**
   * The spend ledger and limits (docs/architecture.md, "The spend ledger"): every new job's estimate
   * is checked against them before it is journaled, and its cost recorded when it ends.
   */
  readonly spend?: SpendPort | undefined;
}

export interface RunOptions {
  readonly request: GenerationRequest;
  readonly output: JobOutput;
  readonly signal: AbortSignal;
  readonly onProgress?: ((progress: JobProgress) => void) | undefined;
  /** Called once the job is in the journal, before the paid request is sent. */
  readonly onJobCreated?: ((job: JobRecord) => void) | undefined;
  /** A cap on this run alone (the CLI's `--max-cost`): refused before anything is sent when the estimate passes it. */
  readonly runCap?: RunCap | undefined;
}

export interface JobResult {
  readonly job: JobRecord;
  /** Written files, in image order. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * The pipeline: validate → journal → (upload) → submit → poll → download → write
 * (docs/architecture.md, "The pipeline").
 * Aborting `signal` while polling leaves the job in the journal as 'polling' (so it can be resumed
 * or kept in the background); `abandon` is the user's "stop waiting, let it go".
 */
export interface JobRunner {
  /** Throws InputError before anything is sent, ProviderError after. */
  run(options: RunOptions): Promise<JobResult>;
  /**
   * Continues a job that was polling or downloading (after a reload, a crash, or a kept cancel). A
   * job that needs attention is resumed only when asked by id: its kept images are written into
   * the output folder again (the user's "move into place").
   */
  resume(jobId: string, signal: AbortSignal, onProgress?: (progress: JobProgress) => void): Promise<JobResult>;
  /**
   * The jobs waiting to be finished here: polling or downloading, not running in this runner, and not
   * leased by another live window or process. The only place that decides which jobs to resume.
   */
  resumable(choice?: { readonly includeKept?: boolean }): Promise<ResumeSelection>;
  /** Resumes every job `resumable()` names; one failure does not stop the others. */
  resumeAll(signal: AbortSignal, onProgress?: (progress: JobProgress) => void): Promise<JobResult[]>;
  /** Downloads a finished task's result URLs again (failed download, URLs not yet expired). */
  retryDownload(jobId: string, signal: AbortSignal): Promise<JobResult>;
  /** The user's explicit choice to pay again for a failed or unknown job: a new job, same request. */
  resubmit(
    jobId: string,
    signal: AbortSignal,
    onProgress?: (progress: JobProgress) => void,
    onJobCreated?: (job: JobRecord) => void,
  ): Promise<JobResult>;
  /**
   * Stop waiting for a job; it stays listed as 'cancelled'. Its uploads are kept: the provider may
   * still be running the task, which reads them.
   */
  abandon(jobId: string): Promise<void>;
  /** Removes a finished job from the journal (files on disk stay). */
  discard(jobId: string): Promise<void>;
  list(): Promise<JobRecord[]>;
  /** One job as the journal has it now. */
  get(jobId: string): Promise<JobRecord | undefined>;
  /** Whether another window or process holds a live lease on the job (it is finishing it). */
  heldElsewhere(job: JobRecord): boolean;
  /**
   * Whether this runner is working on the job right now (running, resuming or downloading). A
   * resume of an active job joins the work under way instead of starting a second poller.
   */
  isActive(jobId: string): boolean;
}
