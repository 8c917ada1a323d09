import * as vscode from 'vscode';
import { providerLabels } from '../core/ids';
import type { JobRecord } from '../core/journal';
import { describeJob, jobActionLabels, jobActions, sortJobs, stateLabel } from '../host/jobList';
import type { JobAction } from '../host/jobList';
import { showJobNotification } from '../host/jobViews';
import { openFiles } from '../host/results';
import type { Services } from '../host/services';

interface JobItem extends vscode.QuickPickItem {
  readonly job: JobRecord;
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
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage('No GPT Image jobs yet. Run "GPT Image: Generate Image…" to start one.');
    return;
  }
  const now = Date.now();
  // Held by this window's owner: a notification, the Studio or nobody (the background) watches it.
  const isRunning = (jobId: string): boolean => services.owner.get(jobId) !== undefined;
  const items: JobItem[] = jobs.map((job) => ({ ...describeJob(job, now, isRunning(job.id)), job }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'GPT Image jobs',
    placeHolder: 'Pick a job to see what can be done with it',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const job = picked.job;
  const running = isRunning(job.id);
  const actions = jobActions(job, running);
  if (actions.length === 0) {
    // A running job with no files yet: nothing to do but wait (the status bar or notification shows it).
    void vscode.window.showInformationMessage(`Job ${job.id} is still running in this window; its images open when they are ready.`);
    return;
  }
  const chosen = await vscode.window.showQuickPick<ActionItem>(
    actions.map((action) => ({ label: jobActionLabels[action], action })),
    {
      title: `Job ${job.id} · ${providerLabels[job.provider]} · ${stateLabel(job.state)}${running ? ' (running in the background)' : ''}`,
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
      await showJobNotification(services, services.owner.resume(job.id, job.provider), { title: 'Moving the kept images into place' });
      return;
    case 'resume':
      await showJobNotification(services, services.owner.resume(job.id, job.provider), { title: `Waiting for ${label}` });
      return;
    case 'retryDownload':
      await showJobNotification(services, services.owner.retryDownload(job.id, job.provider), { title: `Downloading from ${label} again` });
      return;
    case 'resubmit': {
      const resubmit = 'Resubmit';
      const images = job.request.n === 1 ? 'an image' : `${job.request.n} images`;
      const choice = await vscode.window.showWarningMessage(
        `Resubmit this job to ${label}? It is a new paid request for ${images}.`,
        {
          modal: true,
          detail:
            job.state === 'unknown'
              ? `The first request's outcome is unknown: if ${label} accepted it after all, you pay twice. Check ${label}'s dashboard first.`
              : `The prompt and options are the same as before: "${job.request.prompt.slice(0, 200)}"`,
        },
        resubmit,
      );
      if (choice !== resubmit) return;
      await showJobNotification(services, services.owner.resubmit(job.id, job.provider), { title: `Resubmitting to ${label}` });
      return;
    }
    case 'discard':
      await services.runner.discard(job.id);
      void vscode.window.showInformationMessage(`Job ${job.id} was removed from the list; its files stay where they are.`);
      return;
  }
}
