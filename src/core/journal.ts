import type { ProviderErrorKind } from './errors';
import type { Background, ModelId, Moderation, OutputFormat, ProviderId, Quality } from './ids';
import type { WireSize } from './size';

/**
 * A job's life: written to the journal *before* its paid request is sent, then
 * submitting → polling → downloading → saved, or failed, or unknown (a submit whose outcome
 * we cannot know: never resent automatically), or cancelled (the user stopped waiting and let it go),
 * or needsAttention (paid images that could not be written into the output folder, kept in the
 * journal's own storage until the user moves them into place: never retried on its own).
 */
export type JobState = 'submitting' | 'polling' | 'downloading' | 'saved' | 'failed' | 'unknown' | 'cancelled' | 'needsAttention';

/** Every state this version writes; a record in any other state was written by another version. */
export const jobStates = ['submitting', 'polling', 'downloading', 'saved', 'failed', 'unknown', 'cancelled', 'needsAttention'] as const satisfies readonly JobState[];
/** Compiles only while jobStates lists every JobState (a state added to the type must be added there too). */
export const jobStatesAreComplete: [Exclude<JobState, (typeof jobStates)[number]>] extends [never] ? true : never = true;

/** States a resume picks up on its own: the paid part is done, only waiting and fetching remain. */
export const resumableStates: readonly JobState[] = ['polling', 'downloading'];

/**
 * An input image as the journal keeps it: a reference, never the bytes. A signed URL is kept without
 * its query (core/signedUrl.ts), marked `redacted`: it can be shown, not fetched again.
 */
export type InputReference =
  | { readonly kind: 'file'; readonly source: string }
  | { readonly kind: 'url'; readonly url: string; readonly redacted?: true | undefined };

/** Enough of the request to show it, resubmit it by hand and regenerate from it. */
export interface JournalRequest {
  readonly prompt: string;
  /** What the user typed or picked (`1024x1024`, `auto`, `16:9@2k`). */
  readonly size: string;
  /** What was sent after mapping to the provider. */
  readonly wireSize: WireSize;
  readonly quality: Quality | undefined;
  readonly n: number;
  readonly background: Background | undefined;
  readonly outputFormat: OutputFormat | undefined;
  readonly outputCompression: number | undefined;
  readonly inputImages: readonly InputReference[];
  readonly mask: InputReference | undefined;
  /** Optional: records written before these existed still read; absent means "not asked". */
  readonly moderation?: Moderation | undefined;
  /** A custom model id sent in place of `model` (whose row it is assumed to behave like). */
  readonly customModel?: string | undefined;
  /** Partial images streamed before the final one (0 or absent: none). */
  readonly partialImages?: number | undefined;
}

/** One paid call: a synchronous request, or one async task. */
export interface JobTask {
  state: JobState;
  /** Images this call asks for. */
  n: number;
  taskId?: string | undefined;
  submittedAt?: number | undefined;
  /**
   * Result URLs, kept so a failed download can be retried until they expire (~24 h). Signed ones
   * are kept without their query (core/signedUrl.ts) and `resultUrlsRedacted` is set: a later
   * process asks the provider for them again (one status read) before downloading.
   */
  resultUrls?: string[] | undefined;
  resultUrlsRedacted?: boolean | undefined;
  /** When the provider says the result URLs stop working (see resultLinks.ts for the fallback). */
  resultExpiresAt?: number | undefined;
  /** When the task was seen finished: its links are valid for about 24 h from then. */
  completedAt?: number | undefined;
  /** Written files (absolute paths or URIs, per writer), in image order: the saved entries of `images`. */
  files: string[];
  /**
   * What became of each image of the call, by position in its answer. Absent in records written
   * before it was kept: then the first `files.length` images are saved and the rest pending.
   */
  images?: TaskImage[] | undefined;
  /**
   * The last streamed partial image, kept in the journal's storage as a labelled preview (never a
   * result): shown for a job whose stream broke, removed once the task is saved.
   */
  preview?: string | undefined;
  error?: JobError | undefined;
}

/**
 * One image of a task:
 * - pending: not in the output folder yet (a resume fetches it again, or writes `kept`);
 * - saved: written to `file`;
 * - kept: writing it failed, its bytes are in the journal's own storage at `kept` (needs attention);
 * - failed: not an image, or gone for good (`error` says which).
 * A pending image may have a `kept` copy too: a synchronous answer exists only in memory, so its
 * bytes are kept first and the copy removed once the image is written.
 */
export interface TaskImage {
  state: 'pending' | 'saved' | 'kept' | 'failed';
  file?: string | undefined;
  kept?: string | undefined;
  error?: string | undefined;
}

export interface JobError {
  readonly kind: ProviderErrorKind | 'input' | 'write';
  readonly message: string;
}

export interface UploadRecord {
  readonly fileId: string;
  /** Without its query when signed (core/signedUrl.ts): deleting an upload needs only its id. */
  readonly url: string;
  deleted: boolean;
}

export interface JobOutput {
  /** Where images go: a folder URI (extension) or absolute path (CLI), as the writer understands it. */
  readonly dir: string;
  /** File-name template, see naming.ts. */
  readonly template: string;
  /** For edits: the source file name without extension, for `{name}`. */
  readonly sourceName?: string | undefined;
  /** Set when a batch file's entry made the job; copied into every image's provenance. */
  readonly batch?: BatchOrigin | undefined;
}

/** The batch file and entry an image came from (docs/architecture.md, "Batch files"). */
export interface BatchOrigin {
  /** The batch file, workspace-relative with `/` (the CLI: relative to its working folder), else its base name; never absolute. */
  readonly file: string;
  /** The entry's `name`. */
  readonly entry: string;
}

export interface JobRecord {
  readonly version: 1;
  readonly id: string;
  readonly createdAt: number;
  updatedAt: number;
  state: JobState;
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly request: JournalRequest;
  readonly output: JobOutput;
  tasks: JobTask[];
  uploads: UploadRecord[];
  warnings: string[];
  error?: JobError | undefined;
  /**
   * The provider base URL the job was sent to, so a resume polls the host that holds its task.
   * Absent in records written before it was kept (those use the base URL configured now).
   */
  baseUrl?: string | undefined;
  /** Who is working on the job right now; see JobLease. */
  lease?: JobLease | undefined;
}

/**
 * Which window or process is finishing a job, so two of them sharing a journal do not both poll and
 * download it. Refreshed while polling; a lease whose heartbeat is older than `leaseExpiryMs` (or
 * whose owner is known to be dead) no longer counts.
 */
export interface JobLease {
  readonly owner: string;
  heartbeatAt: number;
}

/** A lease's heartbeat is refreshed at most this often (piggy-backing on the poll loop's journal writes). */
export const leaseHeartbeatMs = 30_000;
/** Three missed heartbeats: the owner stopped (closed, crashed) without giving the job back. */
export const leaseExpiryMs = 90_000;

/** The answer to a lease claim: taken (this owner may finish the job), or held by another live owner. */
export type LeaseClaim = { readonly ok: true } | { readonly ok: false; readonly holder: JobLease };

/**
 * Where the journal lives: globalStorage in the extension, `$GPT_IMAGE_HOME` for the CLI. Records
 * that are not valid job records (core/journalSchema.ts) are skipped with a warning naming the file,
 * never returned, so every consumer can trust the shape of what it gets.
 */
export interface JournalStore {
  /** Every valid record; reads a bounded number of files at a time, so a large journal does not exhaust file descriptors. */
  list(): Promise<JobRecord[]>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * Durable before it returns: a crash right after must not lose the write. When the record carries
   * a lease this store claimed, its heartbeat is carried to the lease too (see claim).
   */
  put(job: JobRecord): Promise<void>;
  /** Removes the record and its lease. */
  remove(id: string): Promise<void>;
  /**
   * Claims the job's lease for `owner` so that no other window or process finishes it at the same
   * time (core/jobLease.ts has the protocol; each store says how atomic its file operations are).
   * A lease held by the same owner is taken back at once; one whose heartbeat is older than
   * leaseExpiryMs, or whose owner `isOwnerGone`, is taken over. Without this method, only the lease
   * field of the record is checked, which two claimers in the same instant can both pass.
   */
  claim?(jobId: string, owner: string, now: number, isOwnerGone?: (owner: string) => boolean): Promise<LeaseClaim>;
  /** Gives a claimed lease back (after the job's last write), so the next claimer may take it at once. */
  release?(jobId: string, owner: string): Promise<void>;
}

/** States after which nothing more happens to a job on its own: the ones pruning may remove. */
export const finishedStates: readonly JobState[] = ['saved', 'failed', 'cancelled'];
/** Finished jobs are kept this long (setting `gptImage.journalRetentionDays`, env `GPT_IMAGE_JOURNAL_RETENTION_DAYS`). */
export const defaultJournalRetentionDays = 30;
export const dayMs = 24 * 60 * 60 * 1000;

/**
 * Whether a job may be dropped from the journal: it and every task finished (saved, failed,
 * cancelled) and it was last written more than `retentionMs` ago. Unknown jobs (money may be
 * spent), jobs still under way and any state this rule does not name stay until the user discards them.
 */
export function isPrunable(job: JobRecord, now: number, retentionMs: number): boolean {
  if (!finishedStates.includes(job.state) || !job.tasks.every((task) => finishedStates.includes(task.state))) return false;
  return now - job.updatedAt > retentionMs;
}

/**
 * A job's overall state follows its tasks: work still under way first (submitting, polling,
 * downloading), then the outcome that matters most to the user (unknown: money may be spent; needs
 * attention: paid images wait outside their folder), then failed, cancelled, and saved only when
 * every task is saved.
 */
export function overallState(tasks: readonly JobTask[]): JobState {
  const states = new Set(tasks.map((task) => task.state));
  if (states.has('submitting')) return 'submitting';
  if (states.has('polling')) return 'polling';
  if (states.has('downloading')) return 'downloading';
  if (states.has('unknown')) return 'unknown';
  if (states.has('needsAttention')) return 'needsAttention';
  if (states.has('failed')) return 'failed';
  if (states.has('cancelled')) return 'cancelled';
  return 'saved';
}
