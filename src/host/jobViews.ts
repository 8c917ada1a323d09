import * as vscode from 'vscode';
import { isAbortError } from '../core/errors';
import { providerLabels } from '../core/ids';
import { cancelJob } from '../core/jobHandle';
import type { JobEnd, JobHandle, KeepOrStopAnswer } from '../core/jobHandle';
import type { JobOwner } from '../core/jobOwner';
import type { ProviderId } from '../core/ids';
import type { JobOutput } from '../core/journal';
import type { GenerationRequest } from '../core/request';
import { validateRequest } from '../core/request';
import type { JobResult } from '../core/runner';
import { createWarningShower, showError } from './messages';
import type { MessageDependencies } from './messages';
import { jobStatusText } from './jobStatusText';
import { progressMessage } from './progressText';
import { presentResults } from './results';
import type { OpenMode } from './results';
import type { AfterGeneration } from './settingsRules';

/** What the job views need from the host (a Services object has it all). */
export interface JobViewDependencies extends MessageDependencies {
  readonly owner: JobOwner;
  readonly settings: { afterGeneration(): AfterGeneration };
}

/**
 * The host's keep-or-stop question: a modal dialog. Escape or closing it answers 'dismissed',
 * which core/jobHandle.ts's cancelJob treats as keep.
 */
export async function askKeepOrStop(handle: JobHandle): Promise<KeepOrStopAnswer> {
  const label = providerLabels[handle.provider];
  const keep = vscode.l10n.t('Keep in background');
  const stop = vscode.l10n.t('Stop waiting');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('A paid request for this job was sent to {0}, which may still be working on it.', label),
    {
      modal: true,
      detail: vscode.l10n.t('Keep it running in the background (the status bar shows it, and the image is saved when it is ready), or stop waiting for it ({0} may still charge for it).', label),
    },
    keep,
    stop,
  );
  return choice === stop ? 'stop' : choice === keep ? 'keep' : 'dismissed';
}

/**
 * A cancellable notification that follows one job (palette, Edit Image, Show Jobs): phase and
 * elapsed time; Cancel goes through cancelJob. Resolves with the result, or undefined when the job
 * failed (already reported), was cancelled, or was kept in the background (the background view then
 * announces it).
 */
export function showJobNotification(
  dependencies: JobViewDependencies,
  handle: JobHandle,
  options: { readonly title: string; readonly openMode?: OpenMode | undefined },
): Promise<JobResult | undefined> {
  const label = providerLabels[handle.provider];
  const showWarnings = createWarningShower(dependencies);
  const watching = handle.watch();
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: options.title, cancellable: true }, (progress, token) => {
      const started = Date.now();
      const update = (): void => progress.report({ message: progressMessage(handle.latest, Date.now() - started, label) });
      update();
      const timer = setInterval(update, 1000);
      const subscriptions = [handle.onProgress(update), handle.onWarnings(showWarnings)];
      return new Promise<JobResult | undefined>((resolve) => {
        let settled = false;
        const finish = (value: JobResult | undefined): void => {
          if (settled) return;
          settled = true;
          clearInterval(timer);
          for (const subscription of subscriptions) subscription.dispose();
          watching.dispose();
          resolve(value);
        };
        handle.onEnded((end) => {
          if (settled) return;
          finish(end.result);
          void presentEnd(dependencies, handle, end, options.openMode ?? dependencies.settings.afterGeneration(), false);
        });
        token.onCancellationRequested(async () => {
          const outcome = await cancelJob(handle, askKeepOrStop);
          if (outcome === 'stopped') {
            finish(undefined);
            void vscode.window.showInformationMessage(vscode.l10n.t('Stopped waiting for job {0}. {1} may still finish it and charge for it.', handle.jobId ?? '', label));
          } else if (outcome === 'kept') {
            // The owner keeps running it; with nobody watching, the background view announces it.
            finish(undefined);
          }
        });
      });
    }),
  );
}

/** What a view shows when a job it watched ended: its files, or its error (with what was saved before it). */
async function presentEnd(dependencies: JobViewDependencies, handle: JobHandle, end: JobEnd, mode: OpenMode, announce: boolean): Promise<void> {
  try {
    if (end.result) {
      await presentResults(end.result.files, mode, announce);
      return;
    }
    // A user's own cancel or stop was already said; a window closing says nothing.
    if (end.state === 'cancelled' && (isAbortError(end.error) || end.stopped || end.resumable)) return;
    await showError(dependencies, end.error, { jobId: handle.jobId, title: announce ? vscode.l10n.t('A background job failed') : undefined });
    const job = handle.jobId === undefined ? undefined : await dependencies.owner.load(handle.jobId);
    await presentResults(job?.tasks.flatMap((task) => task.files) ?? [], 'none', true);
  } catch (error) {
    dependencies.log.warn(`Could not show the outcome of job ${handle.jobId ?? '(not started)'}: ${String(error)}`);
  }
}

/**
 * The status bar item (how many jobs this window is running and what they are doing; click for Show
 * Jobs) and the voice of jobs nobody watches: each one announces its files or its failure when it
 * ends. It also sets the walkthrough's context keys when an image (or an edit) is saved.
 */
export function createBackgroundView(dependencies: JobViewDependencies): vscode.Disposable {
  const { owner } = dependencies;
  let closing = false;
  const item = vscode.window.createStatusBarItem('gptImage.jobs', vscode.StatusBarAlignment.Left, 10);
  item.name = 'GPT Image jobs';
  item.command = 'gptImage.showJobs';
  const refresh = (): void => {
    const status = jobStatusText(owner.running().map((handle) => handle.state));
    if (!status) {
      item.hide();
      return;
    }
    item.text = status.text;
    item.tooltip = status.tooltip;
    item.show();
  };
  const subscriptions = [
    owner.onDidChange(refresh),
    owner.onDidStart((handle) => {
      // A phase change (sending → polling) changes the words, not the count.
      const progress = handle.onProgress(refresh);
      handle.onEnded((end) => {
        progress.dispose();
        if (end.result) markSaved(end.result);
        if (closing || handle.watched || end.stopped) return;
        void presentEnd(dependencies, handle, end, dependencies.settings.afterGeneration(), true);
      });
    }),
  ];
  refresh();
  return {
    dispose() {
      closing = true;
      for (const subscription of subscriptions) subscription.dispose();
      item.dispose();
    },
  };
}

/** The walkthrough's steps "make a first image" and "edit an image" complete on these keys (package.json). */
function markSaved(result: JobResult): void {
  void vscode.commands.executeCommand('setContext', 'gptImage.imageSaved', true);
  if (result.job.request.inputImages.length > 0) void vscode.commands.executeCommand('setContext', 'gptImage.imageEdited', true);
}

export interface RunJobOptions {
  readonly request: GenerationRequest;
  readonly output: JobOutput;
  /** The notification's title, e.g. "Generating image" or "Editing photo.png". */
  readonly title: string;
  /** Defaults to the `gptImage.afterGeneration` setting; Edit Image uses 'beside'. */
  readonly openMode?: OpenMode | undefined;
}

/**
 * Runs one job the way the palette and Edit Image show it: the request is checked before anything is
 * sent (a clear message, nothing paid), then the owner runs it under a notification.
 */
export async function runJobWithNotification(
  dependencies: JobViewDependencies & { checkProvider(id: ProviderId): void },
  options: RunJobOptions,
): Promise<JobResult | undefined> {
  try {
    dependencies.checkProvider(options.request.provider);
    validateRequest(options.request);
  } catch (error) {
    await showError(dependencies, error);
    return undefined;
  }
  const handle = dependencies.owner.run({ request: options.request, output: options.output });
  return showJobNotification(dependencies, handle, { title: options.title, openMode: options.openMode });
}
