import { withUploadedImages } from './batchApiImages';
import type { BatchApi, OpenAiBatchStatus } from './batchApiPort';
import { batchJobState, batchLineCounts } from './batchApiJob';
import type { BatchEndpoint, BatchJobEntry, BatchJobRecord, BatchJobStore, BatchLine, BatchPart } from './batchApiJob';
import { applyStatus, pollBatches, sendCancels } from './batchApiPoll';
import type { BatchStepContext } from './batchApiPoll';
import { writeBatchResults } from './batchApiResults';
import type { TokenRates } from '../cost';
import { errorMessage, InputError, isProviderError } from '../errors';
import { HeldElsewhereError } from '../jobRunner';
import { newJobId, toJobError } from '../jobRecords';
import { leaseHeartbeatMs } from '../journal';
import type { Logger } from '../logger';
import type { ImageWriter, RescueStore } from '../output';
import { abortedError } from '../retry';

export interface BatchRunnerDeps {
  readonly store: BatchJobStore;
  /** The Batch API at a base URL (a job is always polled where it was sent). */
  api(baseUrl: string): BatchApi;
  readonly writer: ImageWriter;
  readonly rescue: RescueStore;
  readonly log: Logger;
  now(): number;
  /** This process as a lease owner (core/jobLease.ts), and whether another owner is gone. */
  readonly ownerId: string;
  isOwnerGone(owner: string): boolean;
  /** `--poll-interval`: replaces the slow default schedule (batchPollDelayMs). */
  readonly pollIntervalOverrideMs?: number | undefined;
  readonly rates?: TokenRates | undefined;
}

/** Where a batch job is, for progress lines and for Ctrl-C (a create on its way must be waited for). */
export interface BatchProgress {
  readonly jobId: string;
  readonly phase: 'uploading' | 'creating' | 'polling' | 'downloading' | 'ended';
  /** A create has been sent and its answer is not in yet: it may be charged. */
  readonly createInFlight: boolean;
  readonly message: string;
}

/** What a new job is made of: entries, and per part its lines and the exact JSONL to upload. */
export interface NewBatchJob {
  readonly source: string;
  readonly baseUrl: string;
  readonly entries: readonly BatchJobEntry[];
  readonly parts: readonly { readonly endpoint: BatchEndpoint; readonly model: string; readonly lines: readonly BatchLine[]; readonly jsonl: string }[];
  readonly warnings: readonly string[];
}

export function createBatchRunner(deps: BatchRunnerDeps): {
  create(init: NewBatchJob): Promise<BatchJobRecord>;
  run(jobId: string, signal: AbortSignal, onProgress?: (progress: BatchProgress) => void): Promise<BatchJobRecord>;
  cancel(jobId: string, signal: AbortSignal, onProgress?: (progress: BatchProgress) => void): Promise<BatchJobRecord>;
  list(): Promise<BatchJobRecord[]>;
  get(jobId: string): Promise<BatchJobRecord | undefined>;
} {
  const save = async (job: BatchJobRecord): Promise<void> => {
    job.state = batchJobState(job);
    job.updatedAt = deps.now();
    if (job.lease?.owner === deps.ownerId && deps.now() - job.lease.heartbeatAt >= leaseHeartbeatMs) job.lease.heartbeatAt = deps.now();
    await deps.store.put(structuredClone(job));
  };

  async function claim(job: BatchJobRecord): Promise<void> {
    const claimed = await deps.store.claim(job.id, deps.ownerId, deps.now(), (owner) => deps.isOwnerGone(owner));
    if (!claimed.ok) throw new HeldElsewhereError(job.id, claimed.holder);
    job.lease = { owner: deps.ownerId, heartbeatAt: deps.now() };
  }

  /** Journaled in full before anything is sent: the JSONL of each part, then the record. */
  async function create(init: NewBatchJob): Promise<BatchJobRecord> {
    const job: BatchJobRecord = {
      version: 1,
      kind: 'openaiBatch',
      id: newJobId(deps.now()),
      createdAt: deps.now(),
      updatedAt: deps.now(),
      state: 'submitting',
      source: init.source,
      baseUrl: init.baseUrl,
      entries: [...init.entries],
      parts: init.parts.map((part) => ({ endpoint: part.endpoint, model: part.model, lines: structuredClone([...part.lines]), state: 'uploading' })),
      warnings: [...init.warnings],
    };
    await claim(job);
    for (const [index, part] of init.parts.entries()) await deps.store.putInput(job.id, index, part.jsonl);
    await save(job);
    return job;
  }

  async function load(jobId: string): Promise<BatchJobRecord> {
    const job = await deps.store.get(jobId);
    if (!job) throw new InputError([`There is no Batch API job ${jobId} in the journal.`]);
    return job;
  }

  /**
   * Takes a job from wherever it is to its end: upload, create, poll, download, write. Every step is
   * recorded before the next; aborting leaves it resumable (a create already sent becomes unknown).
   */
  async function run(jobId: string, signal: AbortSignal, onProgress?: (progress: BatchProgress) => void): Promise<BatchJobRecord> {
    const first = await load(jobId);
    // Claimed, then read again: another owner may have finished it between the two reads.
    await claim(first);
    const job = await load(jobId);
    job.lease = first.lease ?? { owner: deps.ownerId, heartbeatAt: deps.now() };
    const started = deps.now();
    let inFlight = false;
    let createdHere = false;
    const report = (phase: BatchProgress['phase'], message: string): void => onProgress?.({ jobId, phase, createInFlight: inFlight, message });
    const api = deps.api(job.baseUrl);
    try {
      for (const [index, part] of job.parts.entries()) {
        // A create that was started by a process that is gone (we hold its lease now): it may have
        // been accepted, so it is never sent again on its own.
        if (part.state === 'creating' && part.createStartedAt !== undefined) markLost(part);
        try {
          if (part.state === 'uploading') await upload(job, index, part, api, signal, report);
          if (part.state === 'creating') {
            createdHere = true;
            await createPart(job, index, part, api, signal, report, (value) => {
              inFlight = value;
            });
          }
        } catch (error) {
          // A part refused or of unknown outcome is recorded so; the other batches still go on
          // (their results are paid for). Anything else (a cancel, a network failure) stops here.
          if (!(part.state === 'failed' || part.state === 'unknown') || (isProviderError(error) && error.kind === 'aborted')) throw error;
        }
      }
      const context: BatchStepContext = { deps, job, api, signal, save: () => save(job), report };
      if (job.cancelRequested) await sendCancels(context);
      await pollBatches(context, started, createdHere);
      for (const part of job.parts) {
        if (part.state !== 'downloading') continue;
        report('downloading', `Batch ${part.batchId ?? ''} ${part.batchStatus ?? ''}: downloading its results…`);
        await writeBatchResults({ deps, job, part, api, signal, save: () => save(job) });
      }
      await save(job);
      const counts = batchLineCounts(job);
      report('ended', `${counts.saved} of ${counts.total} request${counts.total === 1 ? '' : 's'} saved, ${counts.failed} failed${counts.kept > 0 ? `, ${counts.kept} kept aside` : ''}.`);
      return structuredClone(job);
    } catch (error) {
      // Stopped before a create was sent: nothing is at OpenAI for those parts, so, as a plain
      // Ctrl-C before a paid request, they are cancelled (a batch created already goes on).
      if (isProviderError(error) && error.kind === 'aborted') cancelUnsent(job, 'Cancelled before it was sent to OpenAI; nothing was charged.');
      throw error;
    } finally {
      if (job.lease?.owner === deps.ownerId) job.lease = undefined;
      await save(job).catch((error: unknown) => deps.log.warn(`Could not record Batch API job ${job.id}: ${errorMessage(error)}`));
      await deps.store.release(job.id, deps.ownerId).catch(() => undefined);
    }
  }

  async function upload(job: BatchJobRecord, index: number, part: BatchPart, api: BatchApi, signal: AbortSignal, report: (phase: BatchProgress['phase'], message: string) => void): Promise<void> {
    report('uploading', `Uploading the requests of batch ${index + 1} of ${job.parts.length} (${part.lines.length} line${part.lines.length === 1 ? '' : 's'})…`);
    const kept = await deps.store.getInput(job.id, index);
    try {
      const jsonl = await withUploadedImages(job, kept, api, signal, () => save(job), (message) => report('uploading', message));
      const uploaded = await api.upload(jsonl, `gpt-image-${job.id}-${index + 1}.jsonl`, signal);
      part.inputFileId = uploaded.fileId;
      part.state = 'creating';
    } catch (error) {
      if (isProviderError(error) && (error.kind === 'aborted' || error.retryable || error.kind === 'unknownOutcome')) throw error;
      // Refused (bad key, bad file): nothing was created, nothing charged.
      part.state = 'failed';
      part.error = toJobError(error);
      await save(job);
      throw error;
    }
    // The file id before the create: a lost create can then be looked up by it, never guessed.
    await save(job);
  }

  async function createPart(
    job: BatchJobRecord,
    index: number,
    part: BatchPart,
    api: BatchApi,
    signal: AbortSignal,
    report: (phase: BatchProgress['phase'], message: string) => void,
    setInFlight: (value: boolean) => void,
  ): Promise<void> {
    if (signal.aborted) throw abortedError(signal);
    part.createStartedAt = deps.now();
    // Recorded before it is sent: a crash from here on leaves the part "creating", which a later
    // process reads as a create of unknown outcome.
    await save(job);
    report('creating', `Creating batch ${index + 1} of ${job.parts.length} at OpenAI…`);
    let created: OpenAiBatchStatus;
    try {
      created = await api.create(
        { inputFileId: part.inputFileId as string, endpoint: part.endpoint, metadata: { job: job.id, source: batchFileName(job.source) } },
        signal,
        () => {
          setInFlight(true);
          report('creating', `Batch ${index + 1} of ${job.parts.length} sent to OpenAI; waiting for its id…`);
        },
      );
    } catch (error) {
      setInFlight(false);
      if (isProviderError(error) && error.kind === 'aborted') {
        // Nothing left this machine: safe to create later.
        part.createStartedAt = undefined;
        await save(job);
        throw error;
      }
      part.state = isProviderError(error) && error.kind === 'unknownOutcome' ? 'unknown' : 'failed';
      part.error = toJobError(error);
      if (part.state === 'unknown') part.error = { kind: 'unknownOutcome', message: lostCreateMessage(part, errorMessage(error)) };
      await save(job);
      throw error;
    }
    setInFlight(false);
    part.batchId = created.id;
    part.state = 'polling';
    applyStatus(part, created);
    await save(job);
    report('polling', `OpenAI accepted batch ${created.id} (${created.status}); waiting for it (up to 24 h). Ctrl-C leaves it running: "gpt-image resume" picks it up.`);
  }

  /** The user's explicit stop: /cancel for every running batch, then the job runs on to collect what finished. */
  async function cancel(jobId: string, signal: AbortSignal, onProgress?: (progress: BatchProgress) => void): Promise<BatchJobRecord> {
    const job = await load(jobId);
    const running = job.parts.filter((part) => part.state === 'polling' || part.state === 'uploading' || part.state === 'creating');
    if (running.length === 0) throw new InputError([`Batch API job ${jobId} is ${job.state}; there is nothing left to cancel.`]);
    await claim(job);
    job.cancelRequested = true;
    // Parts never created are simply not created: nothing was sent for them.
    cancelUnsent(job, 'Cancelled before it was sent to OpenAI; nothing was charged.');
    await save(job);
    await deps.store.release(job.id, deps.ownerId);
    return run(jobId, signal, onProgress);
  }

  /** Every Batch API job, newest first; a create whose sender is gone is shown as unknown (and recorded so). */
  async function list(): Promise<BatchJobRecord[]> {
    const jobs = await deps.store.list();
    for (const job of jobs) {
      const lost = job.parts.filter((part) => part.state === 'creating' && part.createStartedAt !== undefined);
      if (lost.length === 0 || !leaseIsVoid(job)) continue;
      for (const part of lost) markLost(part);
      await save(job).catch((error: unknown) => deps.log.warn(`Could not record Batch API job ${job.id}: ${errorMessage(error)}`));
    }
    return jobs.sort((a, b) => b.createdAt - a.createdAt);
  }

  function leaseIsVoid(job: BatchJobRecord): boolean {
    const lease = job.lease;
    if (!lease) return true;
    if (lease.owner === deps.ownerId) return false;
    return deps.now() - lease.heartbeatAt >= 90_000 || deps.isOwnerGone(lease.owner);
  }

  return { create, run, cancel, list, get: (jobId) => deps.store.get(jobId) };
}

/** The batch file's name for the batch's metadata: never the local path (it names the user's folders). */
function batchFileName(source: string): string {
  return (source.split(/[\\/]/).pop() ?? 'batch').slice(0, 500);
}

/** Parts whose create was never sent: cancelled, their lines failed with `why`. */
function cancelUnsent(job: BatchJobRecord, why: string): void {
  for (const part of job.parts) {
    if (part.state !== 'uploading' && !(part.state === 'creating' && part.createStartedAt === undefined)) continue;
    part.state = 'cancelled';
    for (const line of part.lines) {
      if (line.state !== 'waiting') continue;
      line.state = 'failed';
      line.error = `Entry "${job.entries[line.entry]?.name ?? line.customId}": ${why}`;
    }
  }
}

function markLost(part: BatchPart): void {
  part.state = 'unknown';
  part.error = { kind: 'unknownOutcome', message: lostCreateMessage(part, 'GPT Image stopped while the batch was being created.') };
}

function lostCreateMessage(part: BatchPart, why: string): string {
  return `${why} OpenAI may have created (and will charge for) the batch of file ${part.inputFileId ?? '?'}: it is not created again automatically. Look for it at https://platform.openai.com/batches before running the batch file again.`;
}
