import { mapBounded } from './concurrency';
import type { TokenRates } from './cost';
import { errorMessage, InputError, isProviderError, ProviderError } from './errors';
import { createJobRecord, fromJournalRequest, isTerminal, jobFailure, jobFiles, newJobId, refreshJob } from './jobRecords';
import { JobSession } from './jobSession';
import { keepLeaseAlive } from './leaseKeepAlive';
import { dayMs, defaultJournalRetentionDays, isPrunable, leaseExpiryMs, resumableStates } from './journal';
import type { JobLease, JobRecord } from './journal';
import { isImagesNotWrittenError } from './output';
import type { ImageWriter } from './output';
import { abortedError } from './retry';
import type { CheckedInputImage, ResolvedRequest } from './request';
import { validateRequest } from './request';
import { storableUrl } from './signedUrl';
import { estimateRun } from './spendGuard';
import { createSpendRecorder } from './spendRecorder';
import type { JobProgress, JobResult, JobRunner, ResumeSelection, RunOptions, RunnerDependencies } from './runner';

/**
 * The pipeline (docs/architecture.md, "The pipeline") over a journal: nothing paid is sent before
 * the job is recorded, a task id is recorded the moment it is known, and an unknown outcome is
 * never resent on its own.
 */
export interface JobRunnerOptions {
  readonly rates?: TokenRates;
  /**
   * A task still 'submitting' this long after its last journal write, in a job this runner is not
   * working on, belongs to a process that died mid-request: its outcome is unknown, so it is marked
   * so for the user to decide, never resent. It must outlast the longest submit (uploads included):
   * hosts set it with staleSubmitMsFor(their request timeout).
   */
  readonly staleSubmitMs?: number;
  /**
   * Finished jobs (saved, failed, cancelled) last written longer ago than this are removed from the
   * journal when it is read (default 30 days); see journal.ts isPrunable for what is always kept.
   */
  readonly journalRetentionMs?: number;
  /** How often a held lease is checked for a due heartbeat (core/leaseKeepAlive.ts; tests shorten it). */
  readonly leaseCheckEveryMs?: number;
}

/**
 * Another window or process holds the job's lease and is finishing it. An InputError (nothing was
 * sent), with its own flag so a caller can say "left to the other one" instead of failing.
 */
export class HeldElsewhereError extends InputError {
  readonly heldElsewhere = true;

  constructor(
    jobId: string,
    readonly holder: JobLease | undefined,
  ) {
    super([`Job ${jobId} is being finished by another window or process.`]);
  }
}

export function isHeldElsewhereError(error: unknown): error is HeldElsewhereError {
  return error instanceof Error && (error as Partial<HeldElsewhereError>).heldElsewhere === true;
}

/** Journal removals in flight at once while pruning. */
const pruneConcurrency = 8;

/** Attempts a submit may make (OpenAI-style providers retry a definite refusal before sending again). */
export const submitAttempts = 3;
/** Margin on top of the request timeouts: Retry-After waits, uploads, a slow disk. */
const staleSubmitMarginMs = 5 * 60_000;

/**
 * The stale-submit cutoff for a request timeout: requestTimeoutMs × submit attempts + 5 min
 * (e.g. the CLI's 300 s timeout → 20 min; the extension's maximum 3600 s → 3 h 5 min).
 */
export function staleSubmitMsFor(requestTimeoutMs: number, attempts = submitAttempts): number {
  return requestTimeoutMs * attempts + staleSubmitMarginMs;
}

const defaultStaleSubmitMs = staleSubmitMsFor(300_000);

export function createJobRunner(deps: RunnerDependencies, options: JobRunnerOptions = {}): JobRunner {
  /** The lease timers of the sessions under way, stopped just before their lease is given back. */
  const keepAlives = new Map<string, () => Promise<void>>();
  /** A session over a job whose lease this runner holds (abandon's holds none: `leased` false). */
  const session = (job: JobRecord, signal: AbortSignal, onProgress: ((progress: JobProgress) => void) | undefined, resuming: boolean, leased = true): JobSession => {
    const made = new JobSession({ deps, job, provider: deps.provider(job.provider, job.baseUrl), signal, onProgress, resuming, rates: options.rates });
    if (leased) {
      void keepAlives.get(job.id)?.();
      keepAlives.set(job.id, keepLeaseAlive(made, deps.log, options.leaseCheckEveryMs));
    }
    return made;
  };
  const spend = createSpendRecorder(deps.spend, deps.log, () => deps.now(), options.rates);
  /** Records an ended job's cost; a job still polling or downloading is left to the pass that ends it. */
  const recordSpend = (current: JobSession): Promise<void> => spend.settle(current.job, (index) => current.chargeOf(index));

  /** Work under way per job id, so a second resume joins it instead of polling the same task twice. */
  const active = new Map<string, Promise<JobResult>>();
  function track(jobId: string, work: Promise<JobResult>): Promise<JobResult> {
    active.set(jobId, work);
    const forget = (): void => {
      if (active.get(jobId) === work) active.delete(jobId);
    };
    work.then(forget, forget);
    return work;
  }

  async function load(jobId: string): Promise<JobRecord> {
    const job = await deps.journal.get(jobId);
    if (!job) throw new InputError([`There is no job ${jobId} in the journal.`]);
    return job;
  }

  function heldElsewhere(job: JobRecord): boolean {
    const lease = job.lease;
    if (!lease || deps.ownerId === undefined || lease.owner === deps.ownerId) return false;
    if (deps.now() - lease.heartbeatAt >= leaseExpiryMs) return false;
    return !(deps.isOwnerGone?.(lease.owner) ?? false);
  }

  /**
   * Takes the job's lease, refused while another live owner holds it; the caller saves the job.
   * Through the store's atomic claim when it has one (two claimers in the same instant: one wins);
   * otherwise by the record's lease field alone. The record's field mirrors the lease either way,
   * for views (heldElsewhere) and the heartbeat.
   */
  async function takeLease(job: JobRecord): Promise<void> {
    const owner = deps.ownerId;
    if (owner !== undefined && deps.journal.claim) {
      const claimed = await deps.journal.claim(job.id, owner, deps.now(), deps.isOwnerGone?.bind(deps));
      if (!claimed.ok) throw new HeldElsewhereError(job.id, claimed.holder);
    } else if (heldElsewhere(job)) {
      throw new HeldElsewhereError(job.id, job.lease);
    }
    job.lease = owner === undefined ? undefined : { owner, heartbeatAt: deps.now() };
  }

  /** Gives the lease back, after the job's last write (a claimer then reads the final record). */
  async function releaseLease(jobId: string): Promise<void> {
    const stopBeating = keepAlives.get(jobId);
    keepAlives.delete(jobId);
    await stopBeating?.();
    if (deps.ownerId === undefined || !deps.journal.release) return;
    await deps.journal.release(jobId, deps.ownerId).catch((error: unknown) => deps.log.warn(`Could not give back the lease of job ${jobId}: ${errorMessage(error)}`));
  }

  async function run(runOptions: RunOptions): Promise<JobResult> {
    const plan = validateRequest(runOptions.request);
    // Before the job is journaled or anything is sent: a folder that cannot take the images is bad input.
    await prepareOutput(deps.writer, runOptions.output.dir);
    const jobId = newJobId(deps.now());
    // The spend guard, in the one path every entry point takes: a run over a limit stops here, unsent.
    const { provider, model } = runOptions.request;
    await spend.reserve({ jobId, provider, model, estimate: estimateRun(plan, runOptions.request, options.rates), runCap: runOptions.runCap });
    const job = createJobRecord(jobId, runOptions.request, plan, runOptions.output, deps.now());
    let current: JobSession;
    try {
      job.baseUrl = deps.baseUrlFor?.(job.provider);
      // Claimed before the record exists: no other process can see the job without its lease.
      await takeLease(job);
      current = session(job, runOptions.signal, runOptions.onProgress, false);
      await current.save();
    } catch (error) {
      await releaseLease(job.id);
      // Never journaled, so never sent: its reservation must not count against the limits.
      await spend.withdraw({ jobId, provider, model });
      throw error;
    }
    const work = track(
      job.id,
      execute(current, plan.calls, runOptions.signal).finally(async () => {
        await recordSpend(current);
        await releaseLease(job.id);
      }),
    );
    runOptions.onJobCreated?.(structuredClone(job));
    return work;
  }

  /** Uploads, submits every call in turn, then lets the async tasks finish side by side. */
  async function execute(current: JobSession, calls: readonly ResolvedRequest[], signal: AbortSignal): Promise<JobResult> {
    const job = current.job;
    const provider = deps.provider(job.provider, job.baseUrl);
    const errors: unknown[] = [];
    let prepared = calls;
    const hasLocalFile = calls.some((call) => [...call.inputImages, call.mask].some((image) => image?.kind === 'file'));
    if (provider.prepareInputs && hasLocalFile && calls[0]) {
      current.progress('uploading', 0, 'Uploading input images…');
      try {
        if (signal.aborted) throw abortedError(signal);
        const inputs = await provider.prepareInputs(calls[0], signal);
        job.uploads = inputs.uploads.map((upload) => ({ fileId: upload.fileId, url: storableUrl(upload.url), deleted: false }));
        prepared = calls.map((call) => ({ ...call, inputImages: inputs.inputImages, mask: inputs.mask }));
        await current.save();
      } catch (error) {
        // Nothing was generated: every task ends here, with the upload's error.
        for (const task of job.tasks) {
          task.state = 'failed';
          task.error = { kind: isProviderError(error) ? error.kind : 'input', message: errorMessage(error) };
        }
        await current.save();
        throw error;
      }
    }
    const continuations: Promise<void>[] = [];
    for (const [index, call] of prepared.entries()) {
      if (errors.length > 0 || signal.aborted) {
        // After a failed or cancelled paid call, the rest are not sent: they would likely fail the same way.
        const task = job.tasks[index];
        if (task) task.state = 'cancelled';
        continue;
      }
      try {
        await current.submit(index, call);
        if (job.tasks[index]?.state === 'polling') continuations.push(current.finish(index, call));
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 0 && signal.aborted) errors.push(abortedError(signal));
    await current.save();
    return settle(current, continuations, errors);
  }

  async function settle(current: JobSession, continuations: readonly Promise<void>[], errors: unknown[]): Promise<JobResult> {
    for (const outcome of await Promise.allSettled(continuations)) {
      if (outcome.status === 'rejected') errors.push(outcome.reason);
    }
    await current.cleanUploads();
    const job = current.job;
    // Given back: whoever looks next (another window, a later resume) may take the job at once.
    if (job.lease?.owner === deps.ownerId) job.lease = undefined;
    await current.save();
    await recordSpend(current);
    if (errors.length > 0) throw mostImportant(errors);
    if (job.state !== 'saved') throw jobFailure(job);
    return { job: structuredClone(job), files: jobFiles(job), warnings: [...job.warnings] };
  }

  function resume(jobId: string, signal: AbortSignal, onProgress?: (progress: JobProgress) => void): Promise<JobResult> {
    return active.get(jobId) ?? track(jobId, resumeNow(jobId, signal, onProgress));
  }

  async function resumeNow(jobId: string, signal: AbortSignal, onProgress?: (progress: JobProgress) => void): Promise<JobResult> {
    const outcome = await claimed(jobId, (found) => {
      if (found.state === 'saved') return { job: found, files: jobFiles(found), warnings: found.warnings };
      const kept = found.tasks.some((task) => task.state === 'needsAttention');
      if (!resumableStates.includes(found.state) && !kept) {
        throw new InputError([`Job ${jobId} is ${found.state}; only jobs that were polling or downloading can be resumed.`]);
      }
      return undefined;
    });
    if (outcome.kind === 'answered') return outcome.result;
    const job = outcome.job;
    try {
      // Kept images are written again only here (the user asked, or the job resumes anyway): "move into place".
      for (const task of job.tasks) if (task.state === 'needsAttention') task.state = 'downloading';
      const current = session(job, signal, onProgress, true);
      await current.save();
      const request = pollRequestOf(job);
      const continuations = job.tasks.flatMap((task, index) =>
        task.state === 'polling' || task.state === 'downloading' ? [current.finish(index, request)] : [],
      );
      return await settle(current, continuations, []);
    } finally {
      await releaseLease(jobId);
    }
  }

  /**
   * Loads a job, checks it (`check` returns an answer that needs no lease, or throws), claims its
   * lease, then loads and checks it again: between the first read and the claim another owner may
   * have finished it and given the lease back, and its stale copy must not be polled or written twice.
   * On success the caller holds the lease and must release it.
   */
  async function claimed(
    jobId: string,
    check: (job: JobRecord) => JobResult | undefined,
  ): Promise<{ readonly kind: 'claimed'; readonly job: JobRecord } | { readonly kind: 'answered'; readonly result: JobResult }> {
    const first = await load(jobId);
    const early = check(first);
    if (early) return { kind: 'answered', result: early };
    await takeLease(first);
    try {
      const job = await load(jobId);
      const answer = check(job);
      if (answer) {
        await releaseLease(jobId);
        return { kind: 'answered', result: answer };
      }
      // The record's lease too: a live owner there that holds no lease file is a process of an
      // earlier version (before lease files), still polling the job.
      if (heldElsewhere(job)) throw new HeldElsewhereError(jobId, job.lease);
      job.lease = first.lease;
      return { kind: 'claimed', job };
    } catch (error) {
      await releaseLease(jobId);
      throw error;
    }
  }

  /** Jobs whose sender died mid-submit become 'unknown' (see JobRunnerOptions.staleSubmitMs). */
  async function markAbandonedSubmissions(jobs: readonly JobRecord[]): Promise<void> {
    const cutoff = deps.now() - (options.staleSubmitMs ?? defaultStaleSubmitMs);
    for (const job of jobs) {
      // A job this runner is sending is alive however long its uploads and submit take.
      if (active.has(job.id)) continue;
      const stale = job.tasks.filter((task) => task.state === 'submitting');
      if (stale.length === 0 || job.updatedAt > cutoff) continue;
      for (const task of stale) {
        task.state = 'unknown';
        task.error = {
          kind: 'unknownOutcome',
          message: 'GPT Image stopped while this request was being sent; the provider may have accepted (and charged) it. Check your account, then resubmit by hand if no image arrives.',
        };
      }
      refreshJob(job, deps.now());
      await deps.journal.put(job);
    }
  }

  /** Finished jobs past the retention leave the journal (see JobRunnerOptions.journalRetentionMs). */
  async function prune(jobs: readonly JobRecord[]): Promise<JobRecord[]> {
    const now = deps.now();
    const retentionMs = options.journalRetentionMs ?? defaultJournalRetentionDays * dayMs;
    const expired = jobs.filter((job) => !active.has(job.id) && isPrunable(job, now, retentionMs));
    if (expired.length === 0) return [...jobs];
    const removed = new Set<string>();
    await mapBounded(expired, pruneConcurrency, async (job) => {
      try {
        await deps.journal.remove(job.id);
        removed.add(job.id);
      } catch (error) {
        deps.log.warn(`Could not remove the finished job ${job.id} from the journal: ${errorMessage(error)}`);
      }
    });
    deps.log.info(`Removed ${removed.size} finished job${removed.size === 1 ? '' : 's'} older than ${Math.round(retentionMs / dayMs)} days from the journal.`);
    return jobs.filter((job) => !removed.has(job.id));
  }

  /** The journal as views and resumes see it: old finished jobs pruned, dead submissions marked unknown. */
  async function readJournal(): Promise<JobRecord[]> {
    const jobs = await prune(await deps.journal.list());
    await markAbandonedSubmissions(jobs);
    return jobs;
  }

  /**
   * Which jobs to resume: the one function every host calls. A job is waiting to be finished when it
   * is polling or downloading, this runner is not already working on it, and no other live window or
   * process holds its lease. Abandoned submissions are marked unknown first (never resent).
   */
  async function resumable(choice: { readonly includeKept?: boolean } = {}): Promise<ResumeSelection> {
    const all = await readJournal();
    const wanted = all.filter((job) => {
      if (active.has(job.id)) return false;
      if (resumableStates.includes(job.state)) return true;
      // Moving kept images into place only when the user asked for a resume (never on its own).
      return choice.includeKept === true && job.tasks.some((task) => task.state === 'needsAttention');
    });
    const elsewhere = wanted.filter((job) => heldElsewhere(job));
    for (const job of elsewhere) deps.log.info(`Job ${job.id} is being finished by another window or process; leaving it to that one.`);
    return { jobs: wanted.filter((job) => !elsewhere.includes(job)).sort((a, b) => a.createdAt - b.createdAt), heldElsewhere: elsewhere };
  }

  async function resumeAll(signal: AbortSignal, onProgress?: (progress: JobProgress) => void): Promise<JobResult[]> {
    const { jobs } = await resumable();
    const settled = await Promise.allSettled(jobs.map((job) => resume(job.id, signal, onProgress)));
    const results: JobResult[] = [];
    for (const [index, outcome] of settled.entries()) {
      if (outcome.status === 'fulfilled') results.push(outcome.value);
      else if (isHeldElsewhereError(outcome.reason)) deps.log.info(`${errorMessage(outcome.reason)} Leaving it to that one.`);
      else deps.log.warn(`Job ${jobs[index]?.id ?? '?'} could not be finished: ${errorMessage(outcome.reason)}`);
    }
    return results;
  }

  function retryDownload(jobId: string, signal: AbortSignal): Promise<JobResult> {
    return active.get(jobId) ?? track(jobId, retryDownloadNow(jobId, signal));
  }

  async function retryDownloadNow(jobId: string, signal: AbortSignal): Promise<JobResult> {
    const retryableOf = (job: JobRecord): JobRecord['tasks'] =>
      job.tasks.filter((task) => task.resultUrls && task.resultUrls.length > 0 && (task.state === 'failed' || task.state === 'downloading'));
    const outcome = await claimed(jobId, (found) => {
      const retryable = retryableOf(found);
      if (retryable.length === 0) throw new InputError([`Job ${jobId} has no finished results left to download.`]);
      const expired = retryable.find((task) => task.resultExpiresAt !== undefined && task.resultExpiresAt < deps.now());
      if (expired) throw new InputError([`The result links of job ${jobId} have expired; resubmit it to generate again.`]);
      return undefined;
    });
    if (outcome.kind === 'answered') return outcome.result;
    const job = outcome.job;
    try {
      for (const task of retryableOf(job)) {
        task.state = 'downloading';
        task.error = undefined;
        for (const image of task.images ?? []) {
          if (image.state !== 'failed') continue;
          image.state = 'pending';
          image.error = undefined;
        }
      }
      const current = session(job, signal, undefined, true);
      await current.save();
      const request = pollRequestOf(job);
      const continuations = job.tasks.flatMap((task, index) => (task.state === 'downloading' ? [current.finish(index, request)] : []));
      return await settle(current, continuations, []);
    } finally {
      await releaseLease(jobId);
    }
  }

  async function resubmit(
    jobId: string,
    signal: AbortSignal,
    onProgress?: (progress: JobProgress) => void,
    onJobCreated?: (job: JobRecord) => void,
  ): Promise<JobResult> {
    const job = await load(jobId);
    const request = await fromJournalRequest(job, deps.readInput?.bind(deps));
    return run({ request, output: job.output, signal, onProgress, onJobCreated });
  }

  async function abandon(jobId: string): Promise<void> {
    const job = await load(jobId);
    for (const task of job.tasks) if (!isTerminal(task.state)) task.state = 'cancelled';
    // Uploads stay: the provider may still finish the task, and it reads its inputs from them.
    const current = session(job, AbortSignal.timeout(30_000), undefined, false, false);
    await current.save();
    // Abandoned: what its accepted tasks may cost is recorded now (a later pass cannot change it).
    await recordSpend(current);
  }

  /** Newest first. Abandoned submissions are marked unknown first, so every view shows them truthfully. */
  async function list(): Promise<JobRecord[]> {
    const jobs = await readJournal();
    return jobs.sort((a, b) => b.createdAt - a.createdAt);
  }

  return {
    run,
    resume,
    resumeAll,
    resumable,
    retryDownload,
    resubmit,
    abandon,
    discard: (jobId) => deps.journal.remove(jobId),
    list,
    get: (jobId) => deps.journal.get(jobId),
    isActive: (jobId) => active.has(jobId),
    heldElsewhere: (job) => !active.has(job.id) && heldElsewhere(job),
  };
}

/** The writer's preflight, as bad input: nothing has been journaled or sent yet. */
async function prepareOutput(writer: ImageWriter, dir: string): Promise<void> {
  try {
    await writer.prepare(dir);
  } catch (error) {
    throw new InputError([`${errorMessage(error)} Nothing was sent.`]);
  }
}

/** What a poll needs to know about the request, rebuilt from the journal (uploads stand in for local files). */
function pollRequestOf(job: JobRecord): Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'> {
  const urls: CheckedInputImage[] = job.request.inputImages.flatMap((input) => (input.kind === 'url' ? [{ kind: 'url' as const, url: input.url }] : []));
  const uploaded: CheckedInputImage[] = job.uploads.map((upload) => ({ kind: 'url' as const, url: upload.url }));
  return { model: job.model, size: job.request.wireSize, inputImages: [...uploaded, ...urls] };
}

/**
 * An unknown outcome (money may be spent) outranks a cancel, which outranks paid images kept
 * outside their folder (the user must act), which outrank any other failure.
 */
function mostImportant(errors: readonly unknown[]): unknown {
  const rank = (error: unknown): number => {
    if (isImagesNotWrittenError(error)) return 2;
    if (!isProviderError(error)) return 4;
    if (error.kind === 'unknownOutcome') return 0;
    if (error.kind === 'aborted') return 1;
    return 3;
  };
  return [...errors].sort((a, b) => rank(a) - rank(b))[0] ?? new ProviderError({ kind: 'invalidResponse', message: 'The job failed.' });
}
