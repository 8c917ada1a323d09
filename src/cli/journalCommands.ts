import { errorMessage, isProviderError } from '../core/errors';
import { keptImages } from '../core/jobRecords';
import { JobOwner } from '../core/jobOwner';
import { isHeldElsewhereError } from '../core/jobRunner';
import { isImagesNotWrittenError } from '../core/output';
import { resumableStates } from '../core/journal';
import type { JobRecord, JobState } from '../core/journal';
import { formatInstant, linksValidUntil } from '../core/resultLinks';
import { formatAge } from '../core/timeText';
import { createHttpClient } from '../providers/http';
import { errorLine, exitCodeFor, exitCodes } from './failure';
import { createFileJournalStore, gptImageHome } from './fileJournalStore';
import { progressPrinter } from './imageCommand';
import { createCliLogger, oneLine } from './io';
import type { CliIo } from './io';
import { requireApiKey } from './providerSetup';
import type { CliInterrupt } from './interrupt';
import { createCliRunner } from './runtime';
import { listBatchApiJobs, resumeBatchApiJobs } from './batchApiJobs';

/** Finished jobs older than this drop out of `gpt-image jobs` (they stay in the journal folder). */
const recentMs = 7 * 24 * 60 * 60 * 1000;

/** `gpt-image jobs`: unfinished jobs and recent ones, newest first, on stdout. */
export async function listJobs(io: CliIo, quiet: boolean): Promise<number> {
  const log = createCliLogger(io, quiet);
  const journal = createFileJournalStore(gptImageHome(io.env), (file, error) => log.warn(`ignoring journal entry ${file}: ${errorMessage(error)}`));
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  const now = Date.now();
  let listed: JobRecord[];
  try {
    // Through the runner: a submission whose sender died reads as unknown, as in the extension.
    listed = await createCliRunner({ journal, http, log, env: io.env, pollIntervalMs: undefined }).list();
  } finally {
    await http.close().catch(() => undefined);
  }
  const jobs = listed.filter((job) => job.state !== 'saved' || now - job.updatedAt < recentMs);
  // Batch API jobs (a whole batch file at OpenAI) are kept beside the jobs, listed first.
  const batchJobs = await listBatchApiJobs(io, log, now, recentMs);
  if (jobs.length === 0 && batchJobs === 0) {
    if (!quiet) io.stderr('gpt-image: the journal is empty.');
    return exitCodes.ok;
  }
  for (const job of jobs) {
    const files = job.tasks.flatMap((task) => task.files);
    const taskIds = job.tasks.flatMap((task) => (task.taskId ? [task.taskId] : []));
    io.stdout(
      [job.id, stateLabel(job.state).padEnd(15), formatAge(now - job.createdAt, 'compact').padStart(8), job.provider.padEnd(8), quote(job.request.prompt), `${files.length} file${files.length === 1 ? '' : 's'}`].join('  '),
    );
    if (taskIds.length > 0) io.stdout(`    tasks: ${taskIds.join(', ')}`);
    if (job.error && job.state !== 'saved') io.stdout(`    ${oneLine(job.error.message)}`);
    for (const line of waitingLines(job)) io.stdout(`    ${line}`);
    for (const file of files) io.stdout(`    ${file}`);
  }
  return exitCodes.ok;
}

/** What a job is waiting for that `gpt-image resume` can do: downloads while links are valid, kept images to move. */
function waitingLines(job: JobRecord): string[] {
  const lines: string[] = [];
  for (const task of job.tasks) {
    if (task.state !== 'downloading' || (task.resultUrls?.length ?? 0) === 0) continue;
    const until = linksValidUntil(task);
    lines.push(`waiting to download${until === undefined ? '' : ` (links valid until ${formatInstant(until)})`}: run "gpt-image resume"`);
  }
  const kept = keptImages(job);
  for (const location of kept) lines.push(`kept: ${location}`);
  if (kept.length > 0) lines.push(`needs attention: once ${job.output.dir} can be written, run "gpt-image resume" to move ${kept.length === 1 ? 'it' : 'them'} into place`);
  return lines;
}

function stateLabel(state: JobState): string {
  return state === 'needsAttention' ? 'needs attention' : state;
}

/**
 * `gpt-image resume`: finishes every job that was polling or downloading, and moves the kept
 * images of jobs that need attention into their output folder, printing written files.
 */
export async function resumeJobs(io: CliIo, quiet: boolean, pollIntervalMs: number | undefined, interrupt: Pick<CliInterrupt, 'follow' | 'followRun'>): Promise<number> {
  const log = createCliLogger(io, quiet);
  const store = createFileJournalStore(gptImageHome(io.env), (file, error) => log.warn(`ignoring journal entry ${file}: ${errorMessage(error)}`));
  const http = createHttpClient({ useEnvironmentProxy: true, log });
  // One runner: each job is polled at its recorded base URL (JobRecord.baseUrl), and list() first
  // marks submissions whose sender died as unknown (never resent).
  const runner = createCliRunner({ journal: store, http, log, env: io.env, pollIntervalMs });
  const owner = new JobOwner(runner, log);
  const progress = progressPrinter(io, quiet);
  try {
    // The one selection every host uses; `gpt-image resume` is the user's explicit word, so kept
    // images are moved into place too.
    const selection = await runner.resumable({ includeKept: true });
    for (const job of selection.heldElsewhere) {
      if (!quiet) io.stderr(`gpt-image: job ${job.id} is being finished by another window or process; leaving it to that one.`);
    }
    const jobs = selection.jobs;
    const batchCodes = resumeBatchApiJobs(io, quiet, pollIntervalMs, interrupt).catch((error: unknown) => {
      io.stderr(errorLine(error, undefined));
      return [exitCodeFor(error)];
    });
    if (jobs.length === 0) {
      const batches = await batchCodes;
      if (batches.length === 0 && !quiet) io.stderr('gpt-image: nothing to resume.');
      return worst(batches);
    }
    const codes = await Promise.all(
      jobs.map(async (job): Promise<number> => {
        try {
          // Moving kept images sends nothing: no key needed for that alone.
          if (resumableStates.includes(job.state)) requireApiKey(job.provider, io.env);
          if (!quiet) {
            const doing = resumableStates.includes(job.state) ? 'resuming' : 'moving the kept images of';
            io.stderr(`gpt-image: ${doing} job ${job.id} (${job.provider}, "${shortPrompt(job.request.prompt)}")`);
          }
          const handle = owner.resume(job.id, job.provider);
          handle.onProgress(progress);
          interrupt.follow(handle);
          const result = await handle.done;
          for (const file of result.files) io.stdout(file);
          return exitCodes.ok;
        } catch (error) {
          // Another `gpt-image resume` (or window) claimed it between our listing and our claim.
          if (isHeldElsewhereError(error)) {
            if (!quiet) io.stderr(`gpt-image: job ${job.id} is being finished by another window or process; leaving it to that one.`);
            return exitCodes.ok;
          }
          const latest = (await store.get(job.id).catch(() => undefined)) ?? job;
          for (const file of latest.tasks.flatMap((task) => task.files)) io.stdout(file);
          io.stderr(isProviderError(error) || isImagesNotWrittenError(error) ? errorLine(error, latest) : `gpt-image: job ${job.id}: ${errorLine(error, undefined).replace(/^gpt-image: /, '')}`);
          return exitCodeFor(error);
        }
      }),
    );
    return worst([...codes, ...(await batchCodes)]);
  } finally {
    await http.close().catch(() => undefined);
  }
}

/** 130 (interrupted) and 3 (money may be spent) say more than 1 or 2. */
function worst(codes: readonly number[]): number {
  for (const code of [exitCodes.interrupted, exitCodes.unknownOutcome, exitCodes.failure, exitCodes.invalidInput]) {
    if (codes.includes(code)) return code;
  }
  return exitCodes.ok;
}

function shortPrompt(prompt: string): string {
  const line = oneLine(prompt);
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function quote(prompt: string): string {
  return `"${shortPrompt(prompt)}"`;
}
