import { basename } from 'node:path';
import { batchLineCounts } from '../core/batch/batchApiJob';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/logger';
import { formatAge } from '../core/timeText';
import { createHttpClient } from '../providers/http';
import { driveBatchApiJob } from './batchApiRun';
import { createCliBatchRunner } from './batchApiRuntime';
import { exitCodes } from './failure';
import type { CliInterrupt } from './interrupt';
import { createCliLogger, oneLine } from './io';
import type { CliIo } from './io';
import { requireApiKey } from './providerSetup';

/** States in which a Batch API job still has work a resume can do on its own. */
const resumableStates = ['submitting', 'polling', 'downloading', 'needsAttention'];

/** The Batch API jobs for `gpt-image jobs`, newest first, each with its batches and counts; how many were listed. */
export async function listBatchApiJobs(io: CliIo, log: Logger, now: number, recentMs: number): Promise<number> {
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  try {
    const jobs = (await createCliBatchRunner({ http, log, env: io.env, pollIntervalMs: undefined }).list()).filter(
      (job) => job.state !== 'saved' || now - job.updatedAt < recentMs,
    );
    for (const job of jobs) printJob(job, io, now);
    return jobs.length;
  } finally {
    await http.close().catch(() => undefined);
  }
}

function printJob(job: BatchJobRecord, io: CliIo, now: number): void {
  const counts = batchLineCounts(job);
  const state = job.state === 'needsAttention' ? 'needs attention' : job.state;
  io.stdout(
    [
      job.id,
      state.padEnd(15),
      formatAge(now - job.createdAt, 'compact').padStart(8),
      'openai  ',
      `Batch API: ${basename(job.source)} (${job.entries.length} entr${job.entries.length === 1 ? 'y' : 'ies'})`,
      `${counts.saved} of ${counts.total} saved, ${counts.failed} failed${counts.kept > 0 ? `, ${counts.kept} kept aside` : ''}`,
    ].join('  '),
  );
  for (const part of job.parts) {
    const batchCounts = part.counts ? `, ${part.counts.completed} completed, ${part.counts.failed} failed of ${part.counts.total}` : '';
    if (part.batchId) io.stdout(`    batch: ${part.batchId} (${part.batchStatus ?? part.state}${batchCounts})`);
    else if (part.inputFileId) io.stdout(`    file: ${part.inputFileId} (${part.state === 'unknown' ? 'batch creation of unknown outcome' : 'uploaded, batch not created yet'})`);
    if (part.error && part.state !== 'saved') io.stdout(`    ${oneLine(part.error.message)}`);
  }
  if (resumableStates.includes(job.state)) io.stdout('    run "gpt-image resume" to finish it, or "gpt-image cancel ' + job.id + '" to stop it');
  for (const part of job.parts) for (const line of part.lines) for (const file of line.files) io.stdout(`    ${file}`);
}

/** `gpt-image resume`, for Batch API jobs: every one with work left that no live process holds. Returns exit codes. */
export async function resumeBatchApiJobs(io: CliIo, quiet: boolean, pollIntervalMs: number | undefined, interrupt: Pick<CliInterrupt, 'followRun'>): Promise<number[]> {
  const log = createCliLogger(io, quiet);
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const runner = createCliBatchRunner({ http, log, env: io.env, pollIntervalMs });
  try {
    const jobs = (await runner.list()).filter((job) => resumableStates.includes(job.state)).reverse();
    if (jobs.length > 0) requireApiKey('openai', io.env);
    return await Promise.all(
      jobs.map((job) => {
        if (!quiet) io.stderr(`gpt-image: resuming Batch API job ${job.id} (${basename(job.source)}, ${job.entries.length} entries)`);
        return driveBatchApiJob(job.id, { io, quiet, runner, interrupt });
      }),
    );
  } finally {
    await http.close().catch(() => undefined);
  }
}

/** `gpt-image cancel <job>`: the explicit stop. Sends /cancel, then collects what finished (it was paid for). */
export async function cancelBatchApiJob(io: CliIo, quiet: boolean, jobId: string, pollIntervalMs: number | undefined, interrupt: Pick<CliInterrupt, 'followRun'>): Promise<number> {
  const log = createCliLogger(io, quiet);
  requireApiKey('openai', io.env);
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const runner = createCliBatchRunner({ http, log, env: io.env, pollIntervalMs });
  try {
    if (!(await runner.get(jobId).catch(() => undefined))) {
      io.stderr(`gpt-image: there is no Batch API job ${jobId}; only Batch API jobs can be cancelled at the provider (gpt-image jobs lists them).`);
      return exitCodes.invalidInput;
    }
    if (!quiet) io.stderr(`gpt-image: cancelling Batch API job ${jobId}; images already made are still collected (OpenAI charges for them).`);
    return await driveBatchApiJob(jobId, { io, quiet, runner, interrupt }, 'cancel');
  } catch (error) {
    io.stderr(`gpt-image: ${oneLine(errorMessage(error))}`);
    return exitCodes.failure;
  } finally {
    await http.close().catch(() => undefined);
  }
}
