import { batchHolderKey } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import type { BatchProgress, NewBatchJob, createBatchRunner } from '../core/batch/batchApiRunner';
import { reserveBatchApiSpend, settleBatchApiSpend } from '../core/batch/batchApiSpend';
import { errorMessage, InputError, isProviderError } from '../core/errors';
import { isHeldElsewhereError } from '../core/jobRunner';
import type { Logger } from '../core/logger';
import { checkSpendTotal } from '../core/spendGuard';
import type { SpendItem } from '../core/spendGuard';
import type { SpendLedgerStore } from '../core/spendLedger';
import type { SpendLimits } from '../core/spendLimits';

export type BatchRunner = ReturnType<typeof createBatchRunner>;

/** States in which a Batch API job still has work a window can do on its own (as `gpt-image resume`). */
export const resumableBatchStates: readonly string[] = ['submitting', 'polling', 'downloading', 'needsAttention'];

/** States in which an entry of the job must not be sent again by another run. */
const holdingStates: readonly string[] = ['submitting', 'polling', 'downloading', 'unknown', 'needsAttention'];

export interface BatchApiWindowDeps {
  readonly runner: BatchRunner;
  readonly ledger: SpendLedgerStore;
  readonly log: Logger;
  now(): number;
  /** A run of this window ended (saved, failed, cancelled…): the host announces it. */
  ended?(job: BatchJobRecord): void;
  /** A run stopped with an error that is not a plain stop (it stays resumable if it can be). */
  failed?(jobId: string, error: unknown): void;
}

interface Following {
  readonly controller: AbortController;
  done: Promise<BatchJobRecord | undefined>;
  latest: BatchProgress | undefined;
}

/**
 * The window's Batch API jobs (docs/architecture.md, "Batch API jobs"): created through the core
 * runner (journal first, file id before create, batch id once known), run in the background until
 * they end, picked up again after a reload, cancelled at OpenAI on request. A create that was sent
 * is never sent again: a run is only ever stopped between requests or after the create's answer.
 */
export class BatchApiWindow {
  private readonly following = new Map<string, Following>();
  private readonly listeners = new Set<() => void>();
  private disposed = false;

  constructor(private readonly deps: BatchApiWindowDeps) {}

  /**
   * The spend guard on the batch's discounted total first (InputError: nothing journaled, nothing
   * sent), then the job is journaled, its estimate reserved, and it runs in the background.
   */
  async start(init: NewBatchJob, spend: { readonly items: readonly SpendItem[]; readonly limits: SpendLimits | undefined; readonly estimateUsd: number | undefined }): Promise<BatchJobRecord> {
    const verdict = await checkSpendTotal({ ledger: this.deps.ledger, limits: spend.limits, items: spend.items, now: this.deps.now() });
    if (!verdict.ok) throw new InputError([verdict.message]);
    const estimateUsd = spend.estimateUsd;
    const job = await this.deps.runner.create(init);
    // Journaled, nothing created at OpenAI yet: the reservation comes before the paid call.
    await reserveBatchApiSpend(this.deps.ledger, job, estimateUsd, this.deps.now()).catch((error: unknown) =>
      this.deps.log.warn(`The spend ledger could not be written (${errorMessage(error)}); Batch API job ${job.id} is not counted.`),
    );
    void this.follow(job.id, 'run');
    return job;
  }

  /** Every job with work left that this window does not follow yet; their ids. */
  async resumeWaiting(): Promise<string[]> {
    const jobs = (await this.deps.runner.list()).filter((job) => resumableBatchStates.includes(job.state) && !this.following.has(job.id));
    for (const job of jobs) void this.follow(job.id, 'run');
    return jobs.map((job) => job.id);
  }

  /**
   * Runs it now (resume, or Check now: a job waiting between two status reads reads at once).
   * Resolves once it is followed; `settled` waits for its end.
   */
  async checkNow(jobId: string): Promise<void> {
    const current = this.following.get(jobId);
    if (current && current.latest?.phase !== 'polling') return;
    if (current) await this.stop(current);
    void this.follow(jobId, 'run');
  }

  /** The user's stop: POST /v1/batches/{id}/cancel through the runner, then what finished is still written. */
  async cancel(jobId: string): Promise<void> {
    const current = this.following.get(jobId);
    if (current) await this.stop(current);
    void this.follow(jobId, 'cancel');
  }

  /** The end of the run this window follows now (undefined when it stopped or none runs). */
  settled(jobId: string): Promise<BatchJobRecord | undefined> {
    return this.following.get(jobId)?.done ?? Promise.resolve(undefined);
  }

  isFollowing(jobId: string): boolean {
    return this.following.has(jobId);
  }

  progressOf(jobId: string): BatchProgress | undefined {
    return this.following.get(jobId)?.latest;
  }

  /** Ids of the jobs this window runs now. */
  followed(): string[] {
    return [...this.following.keys()];
  }

  list(): Promise<BatchJobRecord[]> {
    return this.deps.runner.list();
  }

  /** One job as journaled now (a single read, for views that follow one job). */
  get(jobId: string): Promise<BatchJobRecord | undefined> {
    return this.deps.runner.get(jobId);
  }

  /** Output folder + file template of every entry in an unfinished job → that job: never sent twice. */
  async holders(): Promise<Map<string, BatchJobRecord>> {
    const holders = new Map<string, BatchJobRecord>();
    for (const job of await this.deps.runner.list()) {
      if (!holdingStates.includes(job.state)) continue;
      for (const entry of job.entries) holders.set(batchHolderKey(entry.output.dir, entry.output.template), job);
    }
    return holders;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The window closes: stop waiting (between requests); every job stays in the journal for next time. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.following.values()].map((current) => this.stop(current)));
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Stops following a run, never while a create is on its way (its answer must be recorded). */
  private async stop(current: Following): Promise<void> {
    if (current.latest?.createInFlight) {
      await new Promise<void>((resolve) => {
        const check = this.onDidChange(() => {
          if (current.latest?.createInFlight) return;
          check.dispose();
          resolve();
        });
      });
    }
    current.controller.abort();
    await current.done.catch(() => undefined);
  }

  private follow(jobId: string, action: 'run' | 'cancel'): Promise<BatchJobRecord | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const existing = this.following.get(jobId);
    if (existing) return existing.done;
    const controller = new AbortController();
    const entry: Following = { controller, done: Promise.resolve(undefined), latest: undefined };
    const onProgress = (progress: BatchProgress): void => {
      entry.latest = progress;
      this.changed();
    };
    entry.done = (async (): Promise<BatchJobRecord | undefined> => {
      try {
        const job = action === 'cancel' ? await this.deps.runner.cancel(jobId, controller.signal, onProgress) : await this.deps.runner.run(jobId, controller.signal, onProgress);
        await settleBatchApiSpend(this.deps.ledger, job, this.deps.now()).catch((error: unknown) => this.deps.log.warn(`The spend ledger could not be written (${errorMessage(error)}).`));
        if (this.following.get(jobId) === entry) this.following.delete(jobId);
        this.deps.ended?.(job);
        return job;
      } catch (error) {
        if (this.following.get(jobId) === entry) this.following.delete(jobId);
        if (isHeldElsewhereError(error)) this.deps.log.info(`Batch API job ${jobId} is being finished by another window or process.`);
        else if (isProviderError(error) && error.kind === 'aborted' && controller.signal.aborted) this.deps.log.info(`Stopped waiting for Batch API job ${jobId}; it stays in the journal.`);
        else {
          this.deps.log.warn(`Batch API job ${jobId}: ${errorMessage(error)}`);
          // A job that ended on this error (a refused create, a create of unknown outcome) settles too.
          const latest = await this.deps.runner.get(jobId).catch(() => undefined);
          if (latest) await settleBatchApiSpend(this.deps.ledger, latest, this.deps.now()).catch(() => undefined);
          this.deps.failed?.(jobId, error);
        }
        return undefined;
      } finally {
        this.changed();
      }
    })();
    this.following.set(jobId, entry);
    this.changed();
    return entry.done;
  }
}
