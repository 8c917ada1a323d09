import * as vscode from 'vscode';
import { isAbortError, isInputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { Provenance } from '../core/provenance';
import type { GenerationRequest } from '../core/request';
import type { JobProgress, JobResult } from '../core/runner';
import { describeError } from '../host/errorText';
import { provenanceUri } from '../host/imageUris';
import { askKeepOrStop } from '../host/jobUi';
import { isPaidPhase, isWaitingPhase } from '../host/progressText';
import type { GenerateForm, JobView, ToWebview } from './protocol';
import type { StudioReferences } from './studioReferences';
import type { StudioServices } from './studioServices';

interface RunningJob {
  readonly controller: AbortController;
  view: JobView;
  /** The run itself (handed to the background on keep or when the panel closes). */
  readonly work: () => Promise<JobResult> | undefined;
  /** Some task's paid request was sent: Cancel now asks keep-or-stop instead of just aborting. */
  paid: boolean;
  /** The user chose "Stop waiting": later progress and the abort error must not overwrite that. */
  stopped: boolean;
}

/**
 * Runs jobs for the panel and streams their progress to it. Cancel aborts the wait; once a paid
 * task was accepted the user decides whether it keeps running in the background or is abandoned.
 */
export class StudioJobs {
  private readonly running = new Map<string, RunningJob>();
  /** Jobs the user chose to keep in the background: no Cancel any more, progress still shown. */
  private readonly kept = new Set<string>();
  /** Jobs that ended lately, so a page that was hidden (and so reloaded) learns how they ended. */
  private readonly recent = new Map<string, JobView>();
  /** Runs that have no journaled job yet (references still being read): closing simply aborts them. */
  private readonly starting = new Set<AbortController>();

  constructor(
    private readonly services: StudioServices,
    private readonly references: StudioReferences,
    private readonly post: (message: ToWebview) => void,
    private readonly thumbnail: (uri: vscode.Uri) => string | undefined,
  ) {}

  /** Starts a job; answers `done` (with the error, if any) once it ended. */
  async generate(requestId: string, form: GenerateForm): Promise<void> {
    let jobId: string | undefined;
    let work: Promise<JobResult> | undefined;
    const controller = new AbortController();
    this.starting.add(controller);
    try {
      const request: GenerationRequest = {
        provider: form.provider,
        model: form.model,
        prompt: form.prompt,
        size: form.size,
        quality: form.quality,
        n: form.n,
        background: form.background,
        outputFormat: form.outputFormat,
        outputCompression: form.outputCompression,
        inputImages: await this.references.resolve(form.references),
      };
      const output = await this.services.jobOutput();
      work = this.services.runner.run({
        request,
        output,
        signal: controller.signal,
        onJobCreated: (job) => {
          jobId = job.id;
          this.starting.delete(controller);
          const view: JobView = {
            jobId: job.id,
            requestId,
            prompt: form.prompt,
            provider: form.provider,
            phase: 'submitting',
            taskIndex: 0,
            taskCount: job.tasks.length,
            elapsedMs: 0,
            message: `Sending to ${providerLabels[form.provider]}`,
            warnings: [...job.warnings],
            thumbnails: [],
            cancellable: true,
          };
          this.running.set(job.id, { controller, view, work: () => work, paid: false, stopped: false });
          this.post({ type: 'job', job: view });
        },
        onProgress: (progress) => this.progress(progress),
      });
      const result = await work;
      await this.finished(result);
      this.post({ type: 'done', requestId });
    } catch (error) {
      if (jobId !== undefined) this.failed(jobId, error);
      const message = isAbortError(error) ? undefined : describeError(error, { jobId }).message;
      if (!isInputError(error) && !isAbortError(error)) this.services.log.warn(`Studio job ${jobId ?? '(not started)'}: ${message ?? ''}`);
      this.post({ type: 'done', requestId, error: message });
    } finally {
      this.starting.delete(controller);
      if (jobId !== undefined) {
        this.running.delete(jobId);
        this.kept.delete(jobId);
      }
    }
  }

  /**
   * Cancel, as everywhere else (host/jobUi.ts): before the provider accepted the request it is
   * simply aborted; after, the user chooses between keeping the paid task running in the
   * background and stopping (abandoning) it. Dismissing the question keeps it: a paid result is
   * never dropped by accident.
   */
  async cancel(requestId: string, jobId: string): Promise<void> {
    const job = this.running.get(jobId);
    if (!job) {
      this.post({ type: 'done', requestId, error: 'That job is not running in this window.' });
      return;
    }
    if (!job.paid) {
      // Nothing paid was sent yet: abort, and say so before the abort error arrives.
      job.stopped = true;
      this.update(jobId, { phase: 'cancelled', message: 'Cancelled', cancellable: false });
      job.controller.abort();
      this.post({ type: 'done', requestId });
      return;
    }
    const label = providerLabels[job.view.provider];
    const choice = await askKeepOrStop(label);
    // The job may have ended while the question was open: nothing left to stop or keep.
    if (!this.running.has(jobId)) {
      this.post({ type: 'done', requestId });
      return;
    }
    if (choice === 'stop') {
      // The final word is set before the abort: generate()'s catch and finally run before we resume.
      job.stopped = true;
      this.update(jobId, { phase: 'cancelled', message: `Stopped waiting; ${label} may still finish and charge for it`, cancellable: false });
      job.controller.abort();
      await job.work()?.catch(() => undefined);
      await this.services.runner.abandon(jobId).catch((error: unknown) => this.services.log.warn(`Could not abandon job ${jobId}: ${String(error)}`));
    } else {
      const work = job.work();
      if (work) this.services.background.adopt(jobId, work);
      this.kept.add(jobId);
      this.update(jobId, { message: 'Continuing in the background', cancellable: false });
    }
    this.post({ type: 'done', requestId });
  }

  /** Re-sends every job this panel knows: the page starts afresh whenever it was hidden. */
  replay(): void {
    for (const view of this.recent.values()) this.post({ type: 'job', job: view });
    for (const job of this.running.values()) this.post({ type: 'job', job: job.view });
  }

  dispose(): void {
    // Closing the panel is not Cancel: every journaled job goes on in the background, whatever its
    // phase (an OpenAI submit stays 'submitting' for a minute or two, and aborting it would leave a
    // paid request of unknown outcome). Only runs with no job yet are aborted; nothing was sent.
    for (const [jobId, job] of this.running) {
      const work = job.work();
      if (work && !job.stopped) this.services.background.adopt(jobId, work);
      else if (!work) job.controller.abort();
    }
    for (const controller of this.starting) controller.abort();
    this.starting.clear();
    this.running.clear();
  }

  private progress(progress: JobProgress): void {
    const job = this.running.get(progress.jobId);
    if (!job || job.stopped) return;
    if (isPaidPhase(progress.phase)) job.paid = true;
    const kept = this.kept.has(progress.jobId);
    this.update(progress.jobId, {
      phase: progress.phase,
      taskIndex: progress.taskIndex,
      taskCount: progress.taskCount,
      elapsedMs: progress.elapsedMs,
      message: kept ? `${progress.message} (in the background)` : progress.message,
      cancellable: !kept && progress.phase !== 'saved' && progress.phase !== 'failed' && progress.phase !== 'unknown',
    });
  }

  private failed(jobId: string, error: unknown): void {
    if (this.running.get(jobId)?.stopped === true) return;
    if (isAbortError(error)) {
      this.update(jobId, { phase: 'cancelled', message: 'Cancelled', cancellable: false });
      return;
    }
    const text = describeError(error, { jobId }).message;
    this.update(jobId, { phase: 'failed', message: 'Failed', error: text, cancellable: false });
  }

  private async finished(result: JobResult): Promise<void> {
    const uris = result.files.map((file) => vscode.Uri.parse(file, true));
    const provenance = await Promise.all(uris.map((uri) => readProvenance(uri)));
    const costs = provenance.map((item) => item?.costEstimateUsd).filter((cost): cost is number => cost !== undefined);
    const usage = provenance.find((item) => item?.usage)?.usage;
    this.update(result.job.id, {
      phase: 'saved',
      message: `Saved ${uris.length} image${uris.length === 1 ? '' : 's'}`,
      warnings: [...result.warnings],
      thumbnails: uris.flatMap((uri) => this.thumbnail(uri) ?? []),
      costUsd: costs.length > 0 ? costs.reduce((sum, cost) => sum + cost, 0) : undefined,
      usage,
      cancellable: false,
    });
  }

  private update(jobId: string, change: Partial<JobView>): void {
    const job = this.running.get(jobId);
    if (!job) return;
    job.view = { ...job.view, ...change };
    this.post({ type: 'job', job: job.view });
    if (!isWaitingPhase(job.view.phase) && job.view.phase !== 'submitting' && job.view.phase !== 'uploading') {
      this.recent.delete(jobId);
      this.recent.set(jobId, job.view);
      for (const oldest of this.recent.keys()) {
        if (this.recent.size <= 10) break;
        this.recent.delete(oldest);
      }
    }
  }
}

async function readProvenance(image: vscode.Uri): Promise<Provenance | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(provenanceUri(image)))) as Provenance;
  } catch {
    return undefined;
  }
}
