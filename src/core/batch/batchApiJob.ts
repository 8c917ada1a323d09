import type { ModelId } from '../ids';
import type { JobError, JobLease, JobOutput, JobState, JournalRequest, LeaseClaim, TaskImage } from '../journal';

/**
 * A whole batch file sent as OpenAI Batch jobs (docs/providers.md §7.3): one record for the file,
 * one *part* per OpenAI batch (a batch takes one endpoint and one model), one *line* per paid call
 * of an entry. Written before anything is sent; the uploaded file id is recorded before the batch is
 * created, the batch id the moment it is known. A create whose answer was lost is `unknown`: never
 * sent again on its own (docs/providers.md §2.2).
 */
export type BatchEndpoint = '/v1/images/generations' | '/v1/images/edits';

/**
 * - uploading: the JSONL is kept in the journal's storage, not uploaded yet (an upload is free: a
 *   crash here uploads again);
 * - creating: the file is uploaded (its id recorded) and the create is being sent;
 * - polling: the batch id is recorded; waiting for a terminal status;
 * - downloading: the batch ended with results; writing them;
 * - saved / failed / cancelled: nothing more happens;
 * - unknown: the create may have been accepted (and will be charged): shown, never resent.
 */
export type BatchPartState = 'uploading' | 'creating' | 'polling' | 'downloading' | 'saved' | 'failed' | 'unknown' | 'cancelled';

/** Statuses after which a batch never changes (docs/providers.md §7.3). */
export const terminalBatchStatuses: readonly string[] = ['completed', 'failed', 'expired', 'cancelled'];

/** One entry of the batch file, as its images are named and their sidecars written. */
export interface BatchJobEntry {
  readonly name: string;
  readonly model: ModelId;
  /** What its sidecars record, exactly as a synchronous run of the entry would. */
  readonly request: JournalRequest;
  /** Folder and file-name template (`{index}` is the 1-based image within the entry). */
  readonly output: JobOutput;
}

/** One JSONL line: one paid call of one entry. */
export interface BatchLine {
  readonly customId: string;
  /** Position of its entry in BatchJobRecord.entries. */
  readonly entry: number;
  /** 1-based number, within its entry, of the line's first image. */
  readonly firstImage: number;
  readonly n: number;
  state: 'waiting' | 'saved' | 'failed' | 'needsAttention';
  images?: TaskImage[] | undefined;
  files: string[];
  error?: string | undefined;
}

export interface BatchCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

export interface BatchPart {
  readonly endpoint: BatchEndpoint;
  /** The model every line of the part sends (one model per batch). */
  readonly model: string;
  readonly lines: BatchLine[];
  state: BatchPartState;
  inputFileId?: string | undefined;
  batchId?: string | undefined;
  /** The provider's own status word, as last read. */
  batchStatus?: string | undefined;
  counts?: BatchCounts | undefined;
  outputFileId?: string | undefined;
  errorFileId?: string | undefined;
  /** When the create was handed to the network (or about to be): from then on it may be charged. */
  createStartedAt?: number | undefined;
  error?: JobError | undefined;
}

export interface BatchJobRecord {
  readonly version: 1;
  readonly kind: 'openaiBatch';
  readonly id: string;
  readonly createdAt: number;
  updatedAt: number;
  /** Follows the parts, in the words every job uses (see batchJobState). */
  state: JobState;
  /** The batch file, for listings. */
  readonly source: string;
  /** Where it was sent: resumes poll the same host. */
  readonly baseUrl: string;
  readonly entries: BatchJobEntry[];
  readonly parts: BatchPart[];
  /**
   * The edits' images uploaded so far as `purpose=vision` files: SHA-256 of the image's data URL →
   * file id (core/batch/batchApiImages.ts). Each is recorded the moment it is known, before the
   * JSONL that names it is uploaded, so a resume never uploads an image twice.
   */
  imageFiles?: Record<string, string> | undefined;
  /** The user stopped it: /cancel was sent for every batch still running. */
  cancelRequested?: boolean | undefined;
  warnings: string[];
  lease?: JobLease | undefined;
}

/** Where Batch API jobs are kept (the CLI: `$GPT_IMAGE_HOME/batches/`), with the same lease protocol as jobs. */
export interface BatchJobStore {
  list(): Promise<BatchJobRecord[]>;
  get(id: string): Promise<BatchJobRecord | undefined>;
  /** Durable before it returns. */
  put(job: BatchJobRecord): Promise<void>;
  /** The JSONL of part `part`, kept before it is uploaded (so a crash mid-upload can upload it again). */
  putInput(id: string, part: number, jsonl: string): Promise<void>;
  getInput(id: string, part: number): Promise<string>;
  claim(id: string, owner: string, now: number, isOwnerGone?: (owner: string) => boolean): Promise<LeaseClaim>;
  release(id: string, owner: string): Promise<void>;
}

/** The job's state from its parts: work under way first, then unknown (money may be spent), then the rest. */
export function batchJobState(job: BatchJobRecord): JobState {
  const states = new Set(job.parts.map((part) => part.state));
  if (states.has('uploading') || states.has('creating')) return 'submitting';
  if (states.has('polling')) return 'polling';
  // A part still downloading only for images kept aside (their folder could not take them) needs the user.
  if (job.parts.some((part) => part.state === 'downloading' && part.lines.some((line) => line.state === 'waiting'))) return 'downloading';
  if (states.has('unknown')) return 'unknown';
  const lines = job.parts.flatMap((part) => part.lines);
  if (lines.some((line) => line.state === 'needsAttention')) return 'needsAttention';
  // A stopped job's unfinished lines failed because it was stopped: it reads as cancelled.
  if (states.has('cancelled')) return 'cancelled';
  if (states.has('failed') || lines.some((line) => line.state === 'failed')) return 'failed';
  return 'saved';
}

/** Lines done, failed and still waiting across the job: what `gpt-image jobs` and progress show. */
export function batchLineCounts(job: BatchJobRecord): { readonly total: number; readonly saved: number; readonly failed: number; readonly kept: number; readonly waiting: number } {
  const lines = job.parts.flatMap((part) => part.lines);
  const count = (state: BatchLine['state']): number => lines.filter((line) => line.state === state).length;
  return { total: lines.length, saved: count('saved'), failed: count('failed'), kept: count('needsAttention'), waiting: count('waiting') };
}

/** The entry a line belongs to (records are validated on read, so it exists). */
export function entryOf(job: BatchJobRecord, line: BatchLine): BatchJobEntry {
  return job.entries[line.entry] as BatchJobEntry;
}

/**
 * What identifies an entry's files across runs: its output folder and file template. An entry of an
 * unfinished Batch API job is that job's until it ends, so no run (editor or CLI) sends it again.
 */
export function batchHolderKey(dir: string, template: string): string {
  return `${dir}\u0000${template}`;
}
