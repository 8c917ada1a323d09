import type { OpenAiBatchStatus } from './batchApiPort';
import { terminalBatchStatuses } from './batchApiJob';
import type { BatchJobRecord, BatchPart } from './batchApiJob';
import type { BatchProgress, BatchRunnerDeps } from './batchApiRunner';
import type { BatchApi } from './batchApiPort';
import { errorMessage, isProviderError } from '../errors';
import { toJobError } from '../jobRecords';
import { leaseHeartbeatMs } from '../journal';
import { sleep } from '../retry';

/** What the steps of one pass over a Batch API job share (batchApiRunner.ts runs them). */
export interface BatchStepContext {
  readonly deps: BatchRunnerDeps;
  readonly job: BatchJobRecord;
  readonly api: BatchApi;
  readonly signal: AbortSignal;
  /** Records the job as it is now; durable when it settles. */
  save(): Promise<void>;
  report(phase: BatchProgress['phase'], message: string): void;
}

const second = 1000;
const minute = 60 * second;

/**
 * The default wait between two status reads: a batch takes minutes to hours (its window is 24 h),
 * so 15 s for the first 5 minutes, then every minute, then every 5 minutes after the first hour.
 */
export function batchPollDelayMs(elapsedMs: number, overrideMs: number | undefined): number {
  if (overrideMs !== undefined) return overrideMs;
  if (elapsedMs < 5 * minute) return 15 * second;
  if (elapsedMs < 60 * minute) return minute;
  return 5 * minute;
}

/** Status reads that may fail in a row before the wait stops for now (the job stays resumable). */
const pollFailuresAllowed = 5;

/**
 * Sleeps in steps no longer than the lease heartbeat, recording the job after each: a wait of
 * minutes must not let the lease expire (another process would then take the job over).
 */
async function wait(context: BatchStepContext, ms: number): Promise<void> {
  const { deps } = context;
  const until = deps.now() + ms;
  for (let left = ms; left > 0; left = until - deps.now()) {
    await sleep(Math.min(left, leaseHeartbeatMs), context.signal);
    if (deps.now() < until) await context.save();
  }
}

/**
 * Reads every batch still running until each has a terminal status. A status read that keeps
 * failing (after the client's own retries) stops the wait for now: the job stays resumable.
 */
export async function pollBatches(context: BatchStepContext, started: number, createdHere: boolean): Promise<void> {
  const { deps, job, api, signal, report } = context;
  const save = (): Promise<void> => context.save();
  let failures = 0;
  let firstRound = true;
  while (job.parts.some((part) => part.state === 'polling')) {
    // A batch created in this run was just described by its create; a resumed one is read at once.
    if (!firstRound || createdHere) await wait(context, batchPollDelayMs(deps.now() - started, deps.pollIntervalOverrideMs));
    firstRound = false;
    for (const part of job.parts) {
      if (part.state !== 'polling' || part.batchId === undefined) continue;
      let status: OpenAiBatchStatus;
      try {
        status = await api.get(part.batchId, signal);
        failures = 0;
      } catch (error) {
        if (isProviderError(error) && error.kind === 'notFound') {
          part.state = 'failed';
          part.error = toJobError(error);
          await save();
          continue;
        }
        if (isProviderError(error) && (error.kind === 'aborted' || !error.retryable)) throw error;
        failures += 1;
        deps.log.warn(`Reading batch ${part.batchId} failed (${errorMessage(error)}); trying again later.`);
        if (failures >= pollFailuresAllowed) throw error;
        continue;
      }
      const before = `${part.batchStatus ?? ''} ${JSON.stringify(part.counts ?? {})}`;
      applyStatus(part, status);
      if (terminalBatchStatuses.includes(status.status)) settleStatus(job, part, status);
      if (`${part.batchStatus ?? ''} ${JSON.stringify(part.counts ?? {})}` !== before || part.state !== 'polling') {
        const counts = part.counts ? ` (${part.counts.completed + part.counts.failed} of ${part.counts.total} done, ${part.counts.failed} failed)` : '';
        report('polling', `Batch ${part.batchId} is ${status.status}${counts}.`);
      }
      await save();
    }
  }
}

/** `/cancel` for every batch still running (the user's explicit stop). */
export async function sendCancels(context: BatchStepContext): Promise<void> {
  const { job, api, signal } = context;
  const save = (): Promise<void> => context.save();
  for (const part of job.parts) {
    if (part.state !== 'polling' || part.batchId === undefined || part.batchStatus === 'cancelling') continue;
    try {
      applyStatus(part, await api.cancel(part.batchId, signal));
    } catch (error) {
      // 409: it ended meanwhile; the next read says how.
      if (!(isProviderError(error) && error.status === 409)) throw error;
    }
    await save();
  }
}

export function applyStatus(part: BatchPart, status: OpenAiBatchStatus): void {
  part.batchStatus = status.status;
  part.counts = status.counts ?? part.counts;
  part.outputFileId = status.outputFileId ?? part.outputFileId;
  part.errorFileId = status.errorFileId ?? part.errorFileId;
}

/** A terminal status: results to download, or a batch that failed validation (nothing ran, nothing charged). */
function settleStatus(job: BatchJobRecord, part: BatchPart, status: OpenAiBatchStatus): void {
  if (status.status !== 'failed') {
    part.state = 'downloading';
    return;
  }
  part.state = 'failed';
  const named = status.errors.map((problem) => {
    const line = problem.line === undefined ? undefined : part.lines[problem.line - 1];
    const entry = line ? job.entries[line.entry]?.name : undefined;
    return `${entry ? `entry "${entry}"` : problem.line !== undefined ? `line ${problem.line}` : 'the file'}: ${problem.message}`;
  });
  const message = `OpenAI refused batch ${part.batchId ?? ''} while validating it (nothing ran, nothing was charged)${named.length > 0 ? `: ${named.join('; ')}` : '.'}`;
  part.error = { kind: 'badRequest', message };
  for (const line of part.lines) {
    if (line.state !== 'waiting') continue;
    line.state = 'failed';
    line.error = message;
  }
}
