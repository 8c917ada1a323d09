import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { t } from '../l10nText';
import { providerLabels } from '../../core/ids';
import { formatUsd } from '../../core/cost';
import { outgoing } from '../formModel';
import { activePhases } from '../jobList';
import type { PreviewImage } from '../previewModel';
import type { JobView } from '../protocol';
import type { StudioContext } from './context';
import { openPreviewFrom } from './previewView';

/**
 * The elapsed time of running jobs, ticking locally between the host's events: once a second the
 * page renders again, which touches only the elapsed labels (no row is rebuilt, nothing is announced).
 */
export class JobTicker {
  private timer: number | undefined;
  /** When each job's current `elapsedMs` arrived. */
  private readonly received = new Map<string, { elapsedMs: number; at: number }>();
  /** Jobs whose Cancel was pressed: the button stays disabled until the host answers with the job. */
  readonly cancelling = new Set<string>();

  constructor(private readonly tick: () => void) {}

  sync(jobs: readonly JobView[]): void {
    for (const job of jobs) {
      const seen = this.received.get(job.jobId);
      if (!seen || seen.elapsedMs !== job.elapsedMs) this.received.set(job.jobId, { elapsedMs: job.elapsedMs, at: Date.now() });
    }
    const ticking = jobs.some((job) => activePhases.has(job.phase));
    if (ticking && this.timer === undefined) this.timer = window.setInterval(() => this.tick(), 1000);
    if (!ticking && this.timer !== undefined) {
      window.clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  elapsed(job: JobView): number {
    const seen = this.received.get(job.jobId);
    return job.elapsedMs + (seen !== undefined && activePhases.has(job.phase) ? Date.now() - seen.at : 0);
  }
}

/**
 * Live progress for each job, keyed by job id: a row is updated in place (its buttons keep focus),
 * and the list itself is not a live region; state changes are announced separately (jobList.ts).
 */
export function jobsTemplate(context: StudioContext, ticker: JobTicker): TemplateResult | typeof nothing {
  const jobs = context.state.jobs;
  if (jobs.length === 0) return nothing;
  return html`<section class="jobs-section" aria-labelledby="jobs-heading">
    <h2 id="jobs-heading">${t('Jobs')}</h2>
    <ul class="jobs" data-testid="jobs" aria-labelledby="jobs-heading">
      ${repeat(jobs, (job) => job.jobId, (job) => jobRow(context, ticker, job))}
    </ul>
  </section>`;
}

function jobRow(context: StudioContext, ticker: JobTicker, job: JobView): TemplateResult {
  const active = activePhases.has(job.phase);
  if (!active || !job.cancellable) ticker.cancelling.delete(job.jobId);
  const cancel = (): void => {
    ticker.cancelling.add(job.jobId);
    context.request((id) => outgoing.cancel(id, job.jobId));
    context.update();
  };
  return html`<li class="job" data-testid="job" data-job-id=${job.jobId} data-phase=${job.phase}>
    <div class="job-head">
      <span class=${`phase phase-${job.phase}`} data-testid="job-phase">${phaseLabel(job.phase)}</span>
      <span class="job-message">${jobMessage(job)}</span>
      ${active ? html`<span class="elapsed" data-testid="job-elapsed" data-job=${job.jobId}>${formatElapsed(ticker.elapsed(job))}</span>` : nothing}
    </div>
    <div class="job-prompt">${providerLabels[job.provider]} · ${job.prompt}</div>
    ${active && job.cancellable
      ? html`<button type="button" data-testid="job-cancel" aria-label=${t('Cancel the job "{0}"', job.prompt.slice(0, 40))} ?disabled=${ticker.cancelling.has(job.jobId)} @click=${cancel}>
          ${t('Cancel')}
        </button>`
      : nothing}
    ${job.error ? html`<div class="error" data-testid="job-error">${job.error}</div>` : nothing}
    ${job.warnings.map((warning) => html`<div class="warning" data-testid="job-warning">⚠ ${warning}</div>`)}
    ${job.phase === 'saved' ? html`<div class="usage" data-testid="job-usage">${usageText(job)}</div>` : nothing}
    ${jobTiles(context, job)}
  </li>`;
}

/**
 * The job's images in a grid; while it streams, the latest partial sits in the first tile, marked
 * as a preview, until the final image replaces it (the host drops it when the job ends).
 */
export function jobTiles(context: StudioContext, job: JobView): TemplateResult | typeof nothing {
  if (job.partial && job.thumbnails.length === 0) {
    const label =
      job.partial.count !== undefined
        ? t('Preview (partial image {0} of {1})', job.partial.index, job.partial.count)
        : t('Preview (partial image {0})', job.partial.index);
    return html`<div class="job-thumbs">
      <figure class="job-partial tile-frame" data-testid="job-partial">
        <img src=${job.partial.src} alt=${`${label}: ${job.prompt.slice(0, 100)}`} />
        <figcaption class="badge">${label}</figcaption>
      </figure>
    </div>`;
  }
  if (job.thumbnails.length === 0) return nothing;
  const images = jobImages(job);
  return html`<div class="job-thumbs" role="list" aria-label=${t('Images of this job')}>
    ${job.thumbnails.map(
      (src, index) => html`<div role="listitem">
        <button
          type="button"
          class="thumb"
          data-testid="job-image"
          aria-label=${job.imageSizes?.[index]
            ? t('Preview image {0} of {1}, {2}: {3}', index + 1, job.thumbnails.length, job.imageSizes[index] ?? '', job.prompt.slice(0, 80))
            : t('Preview image {0} of {1}: {2}', index + 1, job.thumbnails.length, job.prompt.slice(0, 80))}
          @click=${(event: Event) => openPreviewFrom(context, images, index, event.currentTarget as HTMLElement)}
        >
          <img src=${src} alt="" loading="lazy" />
        </button>
      </div>`,
    )}
  </div>`;
}

export function jobImages(job: JobView): PreviewImage[] {
  return job.thumbnails.map((src, index) => ({
    src,
    alt: `${job.prompt.slice(0, 125)}${job.imageSizes?.[index] ? ` (${job.imageSizes[index]})` : ''}`,
    before: job.before,
  }));
}

/** The phase in words (the colour of its badge only repeats it). */
function phaseLabel(phase: JobView['phase']): string {
  switch (phase) {
    case 'submitting':
      return t('submitting');
    case 'uploading':
      return t('uploading');
    case 'polling':
      return t('polling');
    case 'downloading':
      return t('downloading');
    case 'saving':
      return t('saving');
    case 'saved':
      return t('saved');
    case 'failed':
      return t('failed');
    case 'unknown':
      return t('needs a decision');
    case 'cancelled':
      return t('cancelled');
  }
}

function jobMessage(job: JobView): string {
  const task = job.taskCount > 1 ? t(' (call {0} of {1})', job.taskIndex + 1, job.taskCount) : '';
  return `${job.message}${task}`;
}

export function usageText(job: JobView): string {
  const cost = job.costUsd !== undefined ? t('Cost: about {0}', formatUsd(job.costUsd)) : t('Cost: unknown');
  const input = job.usage?.['inputTokens'];
  const output = job.usage?.['outputTokens'] ?? job.usage?.['outputImageTokens'];
  if (input === undefined && output === undefined) return cost;
  return t('{0} · usage: {1} input + {2} output tokens', cost, input ?? '?', output ?? '?');
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
