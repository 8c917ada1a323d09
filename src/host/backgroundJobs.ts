import * as vscode from 'vscode';
import type { JobResult, JobRunner } from '../core/runner';
import { resumableStates } from '../core/journal';
import { showError } from './messages';
import type { MessageDependencies } from './messages';
import { presentResults } from './results';
import type { AfterGeneration } from './settingsRules';

/**
 * Jobs nobody is watching in a notification: resumed after a reload, or kept running after the
 * user pressed Cancel and chose "Keep in background". A status-bar item counts them and opens
 * Show Jobs; each one announces its files (or its failure) when it ends.
 */
export interface BackgroundJobs {
  /** Takes over a job already running (the Cancel → "Keep in background" case). */
  adopt(jobId: string, work: Promise<JobResult>): void;
  /** Continues a polling or downloading job from the journal. */
  resume(jobId: string): void;
  /** Resumes every resumable job that is not already running (activation, "Resume" in Show Jobs). */
  resumeAll(): Promise<number>;
  isRunning(jobId: string): boolean;
  dispose(): void;
}

export interface BackgroundDependencies extends MessageDependencies {
  readonly runner: JobRunner;
  afterGeneration(): AfterGeneration;
}

export function createBackgroundJobs(dependencies: BackgroundDependencies): BackgroundJobs {
  const running = new Map<string, Promise<unknown>>();
  // Disposal (window closing) stops waiting; the journal keeps the jobs for next time.
  const lifetime = new AbortController();
  const item = vscode.window.createStatusBarItem('gptImage.jobs', vscode.StatusBarAlignment.Left, 10);
  item.name = 'GPT Image jobs';
  item.command = 'gptImage.showJobs';
  item.tooltip = 'GPT Image Studio is waiting for jobs in the background. Click to see them.';

  const refresh = (): void => {
    const count = running.size;
    item.text = `$(sync~spin) GPT Image: ${count} job${count === 1 ? '' : 's'}`;
    if (count > 0) item.show();
    else item.hide();
  };

  const adopt = (jobId: string, work: Promise<JobResult>): void => {
    if (running.has(jobId)) return;
    const watched = work.then(
      (result) => presentResults(result.files, dependencies.afterGeneration(), true),
      (error: unknown) => (lifetime.signal.aborted ? undefined : showError(dependencies, error, { jobId, title: 'A background job failed' })),
    );
    running.set(jobId, watched);
    refresh();
    const forget = (): void => {
      running.delete(jobId);
      refresh();
    };
    // presentResults/showError should not reject, but a rejection here must never go unhandled.
    watched.then(forget, (error: unknown) => {
      dependencies.log.error(`Background job ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
      forget();
    });
  };

  const resume = (jobId: string): void => {
    if (running.has(jobId)) return;
    dependencies.log.info(`Resuming job ${jobId} in the background.`);
    adopt(jobId, dependencies.runner.resume(jobId, lifetime.signal));
  };

  return {
    adopt,
    resume,
    async resumeAll() {
      const jobs = await dependencies.runner.list();
      // A job another window or process is finishing (it holds the lease) is left to it.
      const waiting = jobs.filter((job) => resumableStates.includes(job.state) && !running.has(job.id) && !dependencies.runner.heldElsewhere(job));
      for (const job of waiting) resume(job.id);
      return waiting.length;
    },
    isRunning: (jobId) => running.has(jobId),
    dispose() {
      lifetime.abort();
      item.dispose();
    },
  };
}
