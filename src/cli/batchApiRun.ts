import { batchLineCounts } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import type { BatchProgress } from '../core/batch/batchApiRunner';
import { errorMessage, isProviderError } from '../core/errors';
import { isHeldElsewhereError } from '../core/jobRunner';
import type { CliBatchRunner } from './batchApiRuntime';
import { settleBatchApiSpend } from '../core/batch/batchApiSpend';
import { exitCodes, exitCodeFor } from './failure';
import type { CliInterrupt, DetachableRun } from './interrupt';
import type { CliIo } from './io';
import { oneLine } from './io';
import { cliSpendLedger } from './spendLedgerFile';

export interface BatchApiDriveContext {
  readonly io: CliIo;
  readonly quiet: boolean;
  readonly runner: CliBatchRunner;
  readonly interrupt: Pick<CliInterrupt, 'followRun'>;
}

/**
 * Runs (or resumes, or cancels and then finishes) one Batch API job in this process: progress on
 * stderr, written files on stdout, every failed entry named. Returns the exit code: 0 all saved,
 * 1 some entry failed, 3 a create of unknown outcome, 130 the wait stopped (the job stays resumable).
 */
export async function driveBatchApiJob(jobId: string, context: BatchApiDriveContext, action: 'run' | 'cancel' = 'run'): Promise<number> {
  const { io, quiet, runner } = context;
  const controller = new AbortController();
  let sending = false;
  let answered: (() => void)[] = [];
  const run: DetachableRun = {
    jobId,
    sending: () => sending,
    detach: () => controller.abort(),
    whenAnswered: (callback) => {
      if (sending) answered.push(callback);
      else callback();
    },
  };
  const printed = new Set<string>();
  const onProgress = (progress: BatchProgress): void => {
    const was = sending;
    sending = progress.createInFlight;
    if (was && !sending) {
      const waiting = answered;
      answered = [];
      for (const callback of waiting) callback();
    }
    if (quiet || printed.has(progress.message)) return;
    printed.add(progress.message);
    io.stderr(`gpt-image: ${progress.message}`);
  };
  const following = context.interrupt.followRun(run);
  try {
    const job = action === 'cancel' ? await runner.cancel(jobId, controller.signal, onProgress) : await runner.run(jobId, controller.signal, onProgress);
    await settleBatchApiSpend(cliSpendLedger(io.env), job, Date.now()).catch((error: unknown) => {
      if (!quiet) io.stderr(`gpt-image: warning: the spend ledger could not be written (${errorMessage(error)}).`);
    });
    return report(job, io, quiet);
  } catch (error) {
    if (isHeldElsewhereError(error)) {
      if (!quiet) io.stderr(`gpt-image: Batch API job ${jobId} is being finished by another window or process; leaving it to that one.`);
      return exitCodes.ok;
    }
    const latest = await runner.get(jobId).catch(() => undefined);
    if (latest) listFiles(latest, io);
    if (isProviderError(error) && error.kind === 'aborted' && latest?.state === 'cancelled') {
      io.stderr(`gpt-image: Cancelled Batch API job ${jobId} before anything was created at OpenAI; nothing was charged.`);
      return exitCodes.interrupted;
    }
    if (isProviderError(error) && error.kind === 'aborted' && latest && (latest.state === 'polling' || latest.state === 'downloading' || latest.state === 'submitting')) {
      io.stderr(`gpt-image: Stopped waiting. Batch API job ${jobId} stays in the journal and OpenAI keeps working on it: run "gpt-image resume" to collect its images, or "gpt-image cancel ${jobId}" to stop it.`);
      return exitCodes.interrupted;
    }
    if (latest?.state === 'unknown' || (isProviderError(error) && error.kind === 'unknownOutcome')) {
      const message = latest?.parts.find((part) => part.state === 'unknown')?.error?.message ?? errorMessage(error);
      io.stderr(`gpt-image: ${oneLine(message)} (gpt-image jobs lists job ${jobId}).`);
      return exitCodes.unknownOutcome;
    }
    const resumable = latest !== undefined && (latest.state === 'polling' || latest.state === 'downloading');
    io.stderr(`gpt-image: ${oneLine(errorMessage(error))}${resumable ? ` Run "gpt-image resume" to finish Batch API job ${jobId}.` : ''}`);
    return exitCodeFor(error);
  } finally {
    following.dispose();
  }
}

function listFiles(job: BatchJobRecord, io: CliIo): void {
  for (const part of job.parts) for (const line of part.lines) for (const file of line.files) io.stdout(file);
}

function report(job: BatchJobRecord, io: CliIo, quiet: boolean): number {
  listFiles(job, io);
  for (const part of job.parts) {
    if (part.state === 'failed' && part.error) io.stderr(`gpt-image: ${oneLine(part.error.message)}`);
    if (part.state === 'unknown' && part.error) io.stderr(`gpt-image: ${oneLine(part.error.message)} (gpt-image jobs lists job ${job.id}).`);
    for (const line of part.lines) {
      if (line.state !== 'saved' && line.error && !(part.state === 'failed' && line.error === part.error?.message)) io.stderr(`gpt-image: ${oneLine(line.error)}`);
    }
  }
  if (!quiet) for (const warning of job.warnings) io.stderr(`gpt-image: warning: ${warning}`);
  const counts = batchLineCounts(job);
  if (!quiet || job.state !== 'saved') {
    const batches = job.parts.flatMap((part) => (part.batchId ? [part.batchId] : [])).join(', ');
    const kept = counts.kept > 0 ? `, ${counts.kept} kept aside (run "gpt-image resume" once their folder can be written)` : '';
    const state = job.state === 'needsAttention' ? 'needs attention' : job.state;
    io.stderr(`gpt-image: Batch API job ${job.id} ${state}: ${counts.saved} of ${counts.total} request${counts.total === 1 ? '' : 's'} saved, ${counts.failed} failed${kept}${batches ? ` (batch ${batches})` : ''}.`);
  }
  if (job.state === 'saved') return exitCodes.ok;
  if (job.state === 'unknown') return exitCodes.unknownOutcome;
  return exitCodes.failure;
}
