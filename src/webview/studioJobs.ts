import * as vscode from 'vscode';
import { errorMessage, isAbortError } from '../core/errors';
import { fileExtensions, isSupportedImageFormat, sniffImageFormat } from '../core/imageFormat';
import { providerLabels } from '../core/ids';
import { cancelJob } from '../core/jobHandle';
import type { Disposable, JobEnd, JobHandle } from '../core/jobHandle';
import type { Logger } from '../core/logger';
import type { PartialImage } from '../core/provider';
import type { Provenance } from '../core/provenance';
import type { JobOutput } from '../core/journal';
import type { GenerationRequest } from '../core/request';
import { resolveInputSource } from '../host/inputSource';
import type { JobProgress, JobResult } from '../core/runner';
import type { GenerateForm, JobView, ToWebview } from './protocol';
import type { StudioReferences } from './studioReferences';
import type { StudioPreviewFiles, StudioServices } from './studioServices';

/** Phases after which a streamed preview is stale: the final image (or the end) replaces it. */
const finalPhases: ReadonlySet<JobView['phase']> = new Set(['saving', 'saved', 'failed', 'unknown', 'cancelled']);

interface StudioJob {
  readonly handle: JobHandle;
  view: JobView;
  /** The panel watches it; undefined once the user kept it in the background or the panel closed. */
  watching: Disposable | undefined;
  readonly subscriptions: Disposable[];
}

/**
 * The Studio's view of the jobs it started: the owner (core/jobOwner.ts) runs them; this streams
 * their progress to the page and turns the page's Cancel into cancelJob. Closing the panel only
 * stops watching: every job goes on with its owner, in the background.
 */
export class StudioJobs {
  private readonly jobs = new Map<string, StudioJob>();
  /** Jobs that ended lately, so a page that was hidden (and so reloaded) learns how they ended. */
  private readonly recent = new Map<string, JobView>();
  private disposed = false;

  constructor(
    private readonly services: StudioServices,
    private readonly references: StudioReferences,
    private readonly post: (message: ToWebview) => void,
    private readonly thumbnail: (uri: vscode.Uri) => string | undefined,
  ) {}

  /** Starts a job; answers `done` (with the error, if any) once it ended. */
  async generate(requestId: string, form: GenerateForm): Promise<void> {
    // The form's choice; a page from before the option existed sends none, and the setting applies.
    const partialImages = form.partialImages ?? this.services.partialImages?.() ?? 0;
    await this.start(requestId, async () => ({
      request: {
        provider: form.provider,
        model: form.model,
        prompt: form.prompt,
        size: form.size,
        quality: form.quality,
        n: form.n,
        background: form.background,
        outputFormat: form.outputFormat,
        outputCompression: form.outputCompression,
        partialImages,
        inputImages: await this.references.resolve(form.references),
      },
      output: await this.services.jobOutput(),
    }));
  }

  /**
   * Starts the job `prepare` builds (Generate, or the mask painter's edit) through the owner, shows
   * it, and answers `done` once it ended. A failure in `prepare` is answered before anything is sent.
   * Resolves with how the job ended (undefined: it never started).
   */
  async start(requestId: string, prepare: () => Promise<{ readonly request: GenerationRequest; readonly output: JobOutput }>): Promise<JobEnd | undefined> {
    let handle: JobHandle;
    let request: GenerationRequest;
    try {
      const prepared = await prepare();
      request = prepared.request;
      // Closed while the inputs were read: nothing was sent, and nothing is.
      if (this.disposed) return undefined;
      handle = this.services.owner.run({ request, output: prepared.output, requestId });
    } catch (error) {
      this.post({ type: 'done', requestId, error: this.services.describeError(error) });
      return undefined;
    }
    // What the job card shows (named as before, when only Generate started jobs here).
    const form = { prompt: request.prompt, provider: request.provider };
    const partialImages = request.partialImages ?? 0;
    const watching = handle.watch();
    const preview = this.services.previews ? new PartialPreview(this.services.previews, this.services.log) : undefined;
    const subscriptions = [
      handle.onProgress((progress) => this.progress(handle, progress)),
      handle.onPartialImage((partial) => void this.showPartial(handle, preview, partial, partialImages)),
    ];
    handle.onJobId((jobId) => {
      if (this.jobs.has(jobId)) return;
      const view: JobView = {
        jobId,
        requestId,
        prompt: form.prompt,
        provider: form.provider,
        phase: 'submitting',
        taskIndex: 0,
        taskCount: 1,
        elapsedMs: 0,
        message: vscode.l10n.t('Sending to {0}', providerLabels[form.provider]),
        warnings: [],
        thumbnails: [],
        cancellable: true,
      };
      this.jobs.set(jobId, { handle, view, watching: this.disposed ? undefined : watching, subscriptions });
      if (this.disposed) watching.dispose();
      this.post({ type: 'job', job: view });
    });
    subscriptions.push(
      handle.onWarnings((fresh) => {
        const job = handle.jobId === undefined ? undefined : this.jobs.get(handle.jobId);
        if (job) this.update(handle, { warnings: [...job.view.warnings, ...fresh] });
      }),
    );
    const end = await handle.ended;
    // The final image (or the end) replaces the preview; its file goes, kept or not by the journal.
    await preview?.clear();
    if (end.result) await this.finished(handle, end.result);
    else this.ended(handle, end);
    const error = end.result || isAbortError(end.error) || end.stopped ? undefined : this.services.describeError(end.error, handle.jobId);
    if (error !== undefined) this.services.log.warn(`Studio job ${handle.jobId ?? '(not started)'}: ${error}`);
    this.post({ type: 'done', requestId, error });
    this.forget(handle);
    return end;
  }

  /**
   * Cancel, as everywhere else: core's cancelJob asks the host's keep-or-stop question only once a
   * paid request left, and a dismissed question keeps the job.
   */
  async cancel(requestId: string, jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job || job.handle.isEnded) {
      this.post({ type: 'done', requestId, error: job ? undefined : vscode.l10n.t('That job is not running in this window.') });
      return;
    }
    const label = providerLabels[job.handle.provider];
    const outcome = await cancelJob(job.handle, async (handle) => {
      const answer = await this.services.askKeepOrStop(handle);
      // The final word is said before the stop: the job ends (and leaves this panel) during it.
      if (answer === 'stop' && !handle.isEnded) {
        this.update(handle, { phase: 'cancelled', message: vscode.l10n.t('Stopped waiting; {0} may still finish and charge for it', label), cancellable: false });
      }
      return answer;
    });
    if (outcome === 'cancelled') this.update(job.handle, { phase: 'cancelled', message: vscode.l10n.t('Cancelled'), cancellable: false });
    if (outcome === 'kept') {
      // The owner keeps it; with the panel no longer watching, the background view announces it.
      job.watching?.dispose();
      job.watching = undefined;
      this.update(job.handle, { message: vscode.l10n.t('Continuing in the background'), cancellable: false });
    }
    this.post({ type: 'done', requestId });
  }

  /** Re-sends every job this panel knows: the page starts afresh whenever it was hidden. */
  replay(): void {
    for (const view of this.recent.values()) this.post({ type: 'job', job: view });
    for (const job of this.jobs.values()) this.post({ type: 'job', job: job.view });
  }

  /** Closing the panel is not Cancel: the owner goes on with every job; the panel only stops watching. */
  dispose(): void {
    this.disposed = true;
    for (const job of this.jobs.values()) {
      job.watching?.dispose();
      job.watching = undefined;
      for (const subscription of job.subscriptions) subscription.dispose();
    }
    this.jobs.clear();
  }

  /** Writes the newest partial where the page can load it (asWebviewUri, never base64 over postMessage). */
  private async showPartial(handle: JobHandle, preview: PartialPreview | undefined, partial: PartialImage, count: number): Promise<void> {
    const jobId = handle.jobId;
    if (!preview || jobId === undefined) return;
    const uri = await preview.show(jobId, partial, () => handle.isEnded);
    const src = uri === undefined ? undefined : this.thumbnail(uri);
    if (src === undefined || handle.isEnded) return;
    this.update(handle, { partial: { src, index: partial.index + 1, count: count > 0 ? count : undefined } });
  }

  private progress(handle: JobHandle, progress: JobProgress): void {
    const job = handle.jobId === undefined ? undefined : this.jobs.get(handle.jobId);
    if (!job) return;
    const background = job.watching === undefined;
    this.update(handle, {
      phase: progress.phase,
      taskIndex: progress.taskIndex,
      taskCount: progress.taskCount,
      elapsedMs: progress.elapsedMs,
      message: background ? `${progress.message} (in the background)` : progress.message,
      cancellable: !background && progress.phase !== 'saved' && progress.phase !== 'failed' && progress.phase !== 'unknown',
    });
  }

  /** How a job that did not save ended: a cancel says so quietly; a stop keeps its own last words. */
  private ended(handle: JobHandle, end: JobEnd): void {
    if (end.stopped) return;
    if (end.state === 'cancelled') {
      this.update(handle, { phase: 'cancelled', message: vscode.l10n.t('Cancelled'), cancellable: false });
      return;
    }
    this.update(handle, { phase: end.state === 'unknown' ? 'unknown' : 'failed', message: vscode.l10n.t('Failed'), error: this.services.describeError(end.error, handle.jobId), cancellable: false });
  }

  private async finished(handle: JobHandle, result: JobResult): Promise<void> {
    const uris = result.files.map((file) => vscode.Uri.parse(file, true));
    const provenance = await Promise.all(uris.map((uri) => this.services.readProvenance(uri)));
    const costs = provenance.map((item) => item?.costEstimateUsd).filter((cost): cost is number => cost !== undefined);
    const usage = provenance.find((item) => item?.usage)?.usage;
    this.update(handle, {
      phase: 'saved',
      message: uris.length === 1 ? vscode.l10n.t('Saved 1 image') : vscode.l10n.t('Saved {0} images', uris.length),
      warnings: [...result.warnings],
      thumbnails: uris.flatMap((uri) => this.thumbnail(uri) ?? []),
      costUsd: costs.length > 0 ? costs.reduce((sum, cost) => sum + cost, 0) : undefined,
      usage,
      imageSizes: provenance.map(actualSize),
      before: this.sourceOf(provenance[0]),
      cancellable: false,
    });
  }

  /** An edit's first workspace source, for the preview's before/after (only if the page may load it). */
  private sourceOf(provenance: Provenance | undefined): string | undefined {
    const input = provenance?.request.inputImages.find((item) => item.kind === 'file');
    const uri = input?.kind === 'file' ? resolveInputSource(input.source) : undefined;
    return uri ? this.thumbnail(uri) : undefined;
  }

  private update(handle: JobHandle, change: Partial<JobView>): void {
    const job = handle.jobId === undefined ? undefined : this.jobs.get(handle.jobId);
    if (!job) return;
    job.view = { ...job.view, ...change };
    // Once the images are saved (or the job ended, or was stopped) only the final images show, never a stale preview.
    if (handle.isEnded || (change.phase !== undefined && finalPhases.has(change.phase))) job.view = { ...job.view, partial: undefined };
    this.post({ type: 'job', job: job.view });
    if (handle.isEnded || change.phase === 'cancelled') this.remember(job.view);
  }

  private remember(view: JobView): void {
    this.recent.delete(view.jobId);
    this.recent.set(view.jobId, view);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= 10) break;
      this.recent.delete(oldest);
    }
  }

  private forget(handle: JobHandle): void {
    if (handle.jobId === undefined) return;
    const job = this.jobs.get(handle.jobId);
    if (!job) return;
    job.watching?.dispose();
    for (const subscription of job.subscriptions) subscription.dispose();
    this.jobs.delete(handle.jobId);
  }
}

/** The size the image really has (its provenance), which may differ from the one asked for. */
function actualSize(provenance: Provenance | undefined): string {
  return provenance?.width && provenance.height ? `${provenance.width}x${provenance.height}` : 'unknown';
}

/**
 * One job's latest partial image as a temporary file: each partial gets a new name (the page would
 * show a cached copy of a reused one), the previous file goes once the next is written, and
 * `clear()` removes the last after any write still under way.
 */
class PartialPreview {
  private current: vscode.Uri | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  private sequence = 0;

  constructor(
    private readonly files: StudioPreviewFiles,
    private readonly log: Logger,
  ) {}

  /** The new file's URI, or undefined when it could not be written or the job ended meanwhile. */
  show(jobId: string, partial: PartialImage, ended: () => boolean): Promise<vscode.Uri | undefined> {
    const written = this.writes.then(async () => {
      if (ended()) return undefined;
      try {
        const bytes = partial.bytes();
        const format = sniffImageFormat(bytes);
        const name = `${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}-${++this.sequence}-partial-${partial.index + 1}.${isSupportedImageFormat(format) ? fileExtensions[format] : 'png'}`;
        const uri = await this.files.write(name, bytes);
        const previous = this.current;
        this.current = uri;
        if (previous) await this.files.remove(previous);
        return uri;
      } catch (error) {
        this.log.warn(`Studio: could not show the partial image of job ${jobId}: ${errorMessage(error)}`);
        return undefined;
      }
    });
    this.writes = written;
    return written;
  }

  async clear(): Promise<void> {
    await this.writes;
    const last = this.current;
    this.current = undefined;
    if (last) await this.files.remove(last).catch(() => undefined);
  }
}
