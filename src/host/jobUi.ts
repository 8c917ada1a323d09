import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import type { JobOutput, JobRecord } from '../core/journal';
import type { GenerationRequest } from '../core/request';
import { validateRequest } from '../core/request';
import type { JobProgress, JobResult } from '../core/runner';
import { createWarningShower, showError } from './messages';
import { isPaidPhase, progressMessage } from './progressText';
import { presentResults } from './results';
import type { OpenMode } from './results';
import type { Services } from './services';

export interface RunJobOptions {
  readonly request: GenerationRequest;
  readonly output: JobOutput;
  /** The notification's title, e.g. "Generating image" or "Editing photo.png". */
  readonly title: string;
  /** Defaults to the `gptImage.afterGeneration` setting; Edit Image uses 'beside'. */
  readonly openMode?: OpenMode | undefined;
}

/** How a watched job starts: run, resume, retry a download or resubmit, all with the same UI. */
export type StartJob = (
  signal: AbortSignal,
  onProgress: (progress: JobProgress) => void,
  onJobCreated: (job: JobRecord) => void,
) => Promise<JobResult>;

export interface WatchOptions {
  readonly title: string;
  readonly provider: ProviderId;
  readonly openMode?: OpenMode | undefined;
  /** Known up front for resume/retry; a new run learns it from onJobCreated. */
  readonly jobId?: string | undefined;
  readonly start: StartJob;
}

/**
 * Runs one job the way every entry point shows it (palette, Edit Image, Studio): checks the request
 * before anything is sent, then a cancellable notification with the phase and elapsed time.
 * Resolves with the result, or undefined when it failed (already reported), was cancelled, or
 * was moved to the background.
 */
export async function runJobWithProgress(services: Services, options: RunJobOptions): Promise<JobResult | undefined> {
  try {
    services.checkProvider(options.request.provider);
    validateRequest(options.request);
  } catch (error) {
    await showError(services, error);
    return undefined;
  }
  return watchJob(services, {
    title: options.title,
    provider: options.request.provider,
    openMode: options.openMode,
    start: (signal, onProgress, onJobCreated) =>
      services.runner.run({ request: options.request, output: options.output, signal, onProgress, onJobCreated }),
  });
}

export function watchJob(services: Services, options: WatchOptions): Promise<JobResult | undefined> {
  const label = providerLabels[options.provider];
  const showWarnings = createWarningShower(services);
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: options.title, cancellable: true },
      (progress, token) =>
        new Promise<JobResult | undefined>((resolve) => {
          const controller = new AbortController();
          const started = Date.now();
          let latest: JobProgress | undefined;
          // Some task's paid request was sent: keep-or-stop from then on, whatever the latest phase.
          let paid = false;
          let jobId = options.jobId;
          let settled = false;
          let cancelled = false;
          const update = (): void => progress.report({ message: progressMessage(latest, Date.now() - started, label) });
          update();
          const timer = setInterval(update, 1000);
          const finish = (value: JobResult | undefined): void => {
            if (settled) return;
            settled = true;
            clearInterval(timer);
            resolve(value);
          };

          const work = options.start(
            controller.signal,
            (event) => {
              latest = event;
              if (isPaidPhase(event.phase)) paid = true;
              jobId = event.jobId;
              update();
            },
            (job) => {
              jobId = job.id;
              showWarnings(job.warnings);
            },
          );
          void work.then(
            async (result) => {
              if (settled) return;
              finish(result);
              showWarnings(result.warnings);
              await presentResults(result.files, options.openMode ?? services.settings.afterGeneration(), false);
            },
            async (error: unknown) => {
              if (settled) return;
              finish(undefined);
              // A plain cancel only happens before any paid request (else keep-or-stop was asked).
              if (cancelled && isAbortError(error)) return;
              await showError(services, error, { jobId });
              await presentSavedPart(services, jobId);
            },
          ).catch((error: unknown) => services.log.warn(`Could not show the outcome of job ${jobId ?? '(not started)'}: ${String(error)}`));

          token.onCancellationRequested(async () => {
            if (settled) return;
            if (jobId !== undefined && paid) {
              const choice = await askKeepOrStop(label);
              if (settled) return; // It finished while the question was open: nothing to stop.
              if (choice === 'stop') {
                cancelled = true;
                controller.abort();
                await work.catch(() => undefined);
                await services.runner.abandon(jobId).catch((error: unknown) => services.log.warn(`Could not abandon job ${jobId}: ${String(error)}`));
                finish(undefined);
                void vscode.window.showInformationMessage(`Stopped waiting for job ${jobId}. ${label} may still finish it and charge for it.`);
              } else {
                finish(undefined);
                services.background.adopt(jobId, work);
              }
              return;
            }
            cancelled = true;
            controller.abort();
          });
        }),
    ),
  );
}

/**
 * Cancel on a job whose paid request was sent (submitting, accepted or downloading): keep it running
 * in the background, or stop waiting (it may still be charged). The Studio's Cancel asks the same question.
 */
export async function askKeepOrStop(label: string): Promise<'keep' | 'stop'> {
  const keep = 'Keep in background';
  const stop = 'Stop waiting';
  const choice = await vscode.window.showWarningMessage(
    `A paid request for this job was sent to ${label}, which may still be working on it.`,
    {
      modal: true,
      detail: `Keep it running in the background (the status bar shows it, and the image is saved when it is ready), or stop waiting for it (${label} may still charge for it).`,
    },
    keep,
    stop,
  );
  // Dismissing the dialog must not lose a paid result: it counts as "keep".
  return choice === stop ? 'stop' : 'keep';
}

/** A job of several images can fail after some were saved: those are still shown. */
async function presentSavedPart(services: Services, jobId: string | undefined): Promise<void> {
  if (jobId === undefined) return;
  const job = await services.journal.get(jobId).catch(() => undefined);
  const files = job?.tasks.flatMap((task) => task.files) ?? [];
  await presentResults(files, 'none', true);
}
