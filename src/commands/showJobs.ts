import * as vscode from 'vscode';
import { providerLabels } from '../core/ids';
import type { JobRecord } from '../core/journal';
import type { BatchJobRecord } from '../core/batch/batchApiJob';
import { followBatchJob } from '../host/batchApiStart';
import { batchJobActionLabels, batchJobActions, describeBatchJob } from '../host/batchJobList';
import type { BatchJobAction } from '../host/batchJobList';
import { describeJob, jobActionLabels, jobActions, sortJobs, stateLabel } from '../host/jobList';
import type { JobAction } from '../host/jobList';
import { showJobNotification } from '../host/jobViews';
import { openFiles } from '../host/results';
import type { Services } from '../host/services';

interface JobItem extends vscode.QuickPickItem {
  readonly job?: JobRecord;
  readonly batchJob?: BatchJobRecord;
}

interface BatchActionItem extends vscode.QuickPickItem {
  readonly action: BatchJobAction;
}

interface ActionItem extends vscode.QuickPickItem {
  readonly action: JobAction;
}

/**
 * `GPT Image: Show Jobs` — every job in the journal (state, age, provider, start of the prompt),
 * then what can be done with the chosen one: open, move kept images into place, resume, retry the
 * download, resubmit (after a cost warning), discard.
 */
export function createShowJobsCommand(services: Services): () => Promise<void> {
  return () => showJobs(services);
}

async function showJobs(services: Services): Promise<void> {
  const jobs = sortJobs(await services.runner.list());
  const batchJobs = await services.batchApi.list().catch((error: unknown) => {
    services.log.warn(`Could not list the Batch API jobs: ${String(error)}`);
    return [];
  });
  if (jobs.length === 0 && batchJobs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No GPT Image jobs yet. Run "GPT Image: Generate Image…" to start one.'));
    return;
  }
  const now = Date.now();
  // Held by this window's owner: a notification, the Studio or nobody (the background) watches it.
  const isRunning = (jobId: string): boolean => services.owner.get(jobId) !== undefined;
  // Batch API jobs first while they run (they hold many entries and may take hours), the rest after.
  const unfinished = (job: BatchJobRecord): boolean => job.state !== 'saved' && job.state !== 'cancelled' && job.state !== 'failed';
  const batchItems = (jobsOf: readonly BatchJobRecord[]): JobItem[] => jobsOf.map((batchJob) => ({ ...describeBatchJob(batchJob, now, services.batchApi.isFollowing(batchJob.id)), batchJob }));
  const items: JobItem[] = [
    ...batchItems(batchJobs.filter(unfinished)),
    ...jobs.map((job) => ({ ...describeJob(job, now, isRunning(job.id)), job })),
    ...batchItems(batchJobs.filter((job) => !unfinished(job))),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('GPT Image jobs'),
    placeHolder: vscode.l10n.t('Pick a job to see what can be done with it'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  if (picked.batchJob) {
    await batchJobMenu(services, picked.batchJob);
    return;
  }
  const job = picked.job;
  if (!job) return;
  const running = isRunning(job.id);
  const actions = jobActions(job, running);
  if (actions.length === 0) {
    // A running job with no files yet: nothing to do but wait (the status bar or notification shows it).
    void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} is still running in this window; its images open when they are ready.', job.id));
    return;
  }
  const chosen = await vscode.window.showQuickPick<ActionItem>(
    actions.map((action) => ({ label: jobActionLabels()[action], action })),
    {
      title: running
        ? vscode.l10n.t('Job {0} · {1} · {2} (running in the background)', job.id, providerLabels[job.provider], stateLabel(job.state))
        : vscode.l10n.t('Job {0} · {1} · {2}', job.id, providerLabels[job.provider], stateLabel(job.state)),
      placeHolder: job.request.prompt,
    },
  );
  if (chosen) await runAction(services, job, chosen.action);
}

async function runAction(services: Services, job: JobRecord, action: JobAction): Promise<void> {
  const label = providerLabels[job.provider];
  switch (action) {
    case 'open':
      await openFiles(job.tasks.flatMap((task) => task.files));
      return;
    case 'moveIntoPlace':
      // A resume by id writes the kept copies into the output folder again; nothing is sent.
      await showJobNotification(services, services.owner.resume(job.id, job.provider), { title: vscode.l10n.t('Moving the kept images into place') });
      return;
    case 'resume':
      await showJobNotification(services, services.owner.resume(job.id, job.provider), { title: vscode.l10n.t('Waiting for {0}', label) });
      return;
    case 'retryDownload':
      await showJobNotification(services, services.owner.retryDownload(job.id, job.provider), { title: vscode.l10n.t('Downloading from {0} again', label) });
      return;
    case 'resubmit': {
      const resubmit = vscode.l10n.t('Resubmit');
            const choice = await vscode.window.showWarningMessage(
        job.request.n === 1
          ? vscode.l10n.t('Resubmit this job to {0}? It is a new paid request for an image.', label)
          : vscode.l10n.t('Resubmit this job to {0}? It is a new paid request for {1} images.', label, job.request.n),
        {
          modal: true,
          detail:
            job.state === 'unknown'
              ? vscode.l10n.t('The first request\'s outcome is unknown: if {0} accepted it after all, you pay twice. Check {0}\'s dashboard first.', label)
              : vscode.l10n.t('The prompt and options are the same as before: "{0}"', job.request.prompt.slice(0, 200)),
        },
        resubmit,
      );
      if (choice !== resubmit) return;
      await showJobNotification(services, services.owner.resubmit(job.id, job.provider), { title: vscode.l10n.t('Resubmitting to {0}', label) });
      return;
    }
    case 'discard':
      await services.runner.discard(job.id);
      void vscode.window.showInformationMessage(vscode.l10n.t('Job {0} was removed from the list; its files stay where they are.', job.id));
      return;
  }
}

/** A Batch API job's actions: Cancel (POST /v1/batches/{id}/cancel, then what finished is saved), Check now, Show files. */
async function batchJobMenu(services: Services, job: BatchJobRecord): Promise<void> {
  const actions = batchJobActions(job);
  const file = job.source.split(/[\\/]/).pop() ?? job.source;
  if (actions.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Batch API job {0} ({1}) is {2}; nothing more can be done with it.', job.id, file, stateLabel(job.state)));
    return;
  }
  const chosen = await vscode.window.showQuickPick<BatchActionItem>(
    actions.map((action) => ({ label: batchJobActionLabels()[action], action })),
    { title: vscode.l10n.t('Batch API job {0} · {1} · {2}', job.id, file, stateLabel(job.state)) },
  );
  if (!chosen) return;
  switch (chosen.action) {
    case 'showFiles':
      await openFiles(job.parts.flatMap((part) => part.lines.flatMap((line) => line.files)));
      return;
    case 'checkNow': {
      await services.batchApi.checkNow(job.id);
      void followBatchJob(services, job.id, vscode.l10n.t('Batch API job {0}', job.id));
      return;
    }
    case 'cancel': {
      const cancelBatch = vscode.l10n.t('Cancel the batch');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Cancel Batch API job {0} at OpenAI?', job.id),
        { modal: true, detail: vscode.l10n.t('Images OpenAI has already made are still saved (and charged); the rest are not made.') },
        cancelBatch,
      );
      if (choice !== cancelBatch) return;
      await services.batchApi.cancel(job.id);
      return;
    }
  }
}
