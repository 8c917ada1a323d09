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
    void vscode.window.showInformationMessage(vscode.l10n.t('No GPT Image jobs yet. Run "GPT Image: Generate Image…" to start one.'));
    return;
  }
  const now = Date.now();
  // Held by this window's owner: a notification, the Studio or nobody (the background) watches it.
  const isRunning = (jobId: string): boolean => services.owner.get(jobId) !== undefined;
  const items: JobItem[] = jobs.map((job) => ({ ...describeJob(job, now, isRunning(job.id)), job }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('GPT Image jobs'),
    placeHolder: vscode.l10n.t('Pick a job to see what can be done with it'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const job = picked.job;
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
