import { providerLabels } from '../../core/ids';
import { formatUsd } from '../../core/cost';
import { outgoing } from '../formModel';
import type { JobView } from '../protocol';
import type { StudioContext } from './context';
import { button, h } from './dom';

const activePhases = new Set<JobView['phase']>(['submitting', 'uploading', 'polling', 'downloading', 'saving']);
/** Finished jobs kept in the panel (and its saved state); the gallery has the rest. */
const keptJobs = 8;

/** Live progress for each job: phase, elapsed time (ticking locally between events), Cancel, warnings. */
export class JobsView {
  private readonly received = new Map<string, number>();
  private readonly list = h('ul', { class: 'jobs', 'data-testid': 'jobs', 'aria-label': 'Jobs', 'aria-live': 'polite' });
  readonly element = h('section', { class: 'jobs-section', 'aria-label': 'Jobs' }, [h('h2', { text: 'Jobs' }), this.list]);
  private timer: number | undefined;

  constructor(private readonly context: StudioContext) {
    // Jobs saved as running may have ended while the page was gone; the host re-sends the ones it
    // still watches right after `init`, which overrides this.
    for (const [index, job] of context.state.jobs.entries()) {
      if (activePhases.has(job.phase)) {
        context.state.jobs[index] = { ...job, message: 'Not watched by this panel any more: see "GPT Image: Show Jobs"', cancellable: false };
      }
    }
    this.render();
  }

  update(job: JobView): void {
    const jobs = this.context.state.jobs;
    const index = jobs.findIndex((item) => item.jobId === job.jobId);
    if (index >= 0) jobs[index] = job;
    else jobs.unshift(job);
    this.received.set(job.jobId, Date.now());
    // Drop the oldest finished jobs beyond the limit; running ones always stay.
    while (jobs.length > keptJobs) {
      let last = jobs.length - 1;
      while (last >= 0 && activePhases.has((jobs[last] as JobView).phase)) last -= 1;
      if (last < 0) break;
      jobs.splice(last, 1);
    }
    this.context.save();
    this.render();
  }

  private render(): void {
    const jobs = this.context.state.jobs;
    this.element.hidden = jobs.length === 0;
    this.list.replaceChildren(...jobs.map((job) => this.item(job)));
    const ticking = jobs.some((job) => activePhases.has(job.phase));
    if (ticking && this.timer === undefined) this.timer = window.setInterval(() => this.tick(), 1000);
    if (!ticking && this.timer !== undefined) {
      window.clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private item(job: JobView): HTMLElement {
    const active = activePhases.has(job.phase);
    const elapsed = h('span', { class: 'elapsed', 'data-testid': 'job-elapsed', 'data-job': job.jobId, text: formatElapsed(this.elapsed(job)) });
    const children: Array<Node | undefined> = [
      h('div', { class: 'job-head' }, [
        h('span', { class: `phase phase-${job.phase}`, 'data-testid': 'job-phase', text: job.phase }),
        h('span', { class: 'job-message', text: jobMessage(job) }),
        active ? elapsed : undefined,
      ]),
      h('div', { class: 'job-prompt', text: `${providerLabels[job.provider]} · ${job.prompt}` }),
    ];
    if (active && job.cancellable) {
      const cancel = button('Cancel', 'job-cancel', { 'aria-label': `Cancel the job "${job.prompt.slice(0, 40)}"` });
      cancel.addEventListener('click', () => {
        cancel.disabled = true;
        this.context.request((id) => outgoing.cancel(id, job.jobId));
      });
      children.push(cancel);
    }
    if (job.error) children.push(h('div', { class: 'error', 'data-testid': 'job-error', text: job.error }));
    for (const warning of job.warnings) children.push(h('div', { class: 'warning', 'data-testid': 'job-warning', text: `⚠ ${warning}` }));
    if (job.phase === 'saved') children.push(h('div', { class: 'usage', 'data-testid': 'job-usage', text: usageText(job) }));
    // The latest streamed partial, until the final image replaces it (the host drops it when the job ends).
    if (job.partial && job.thumbnails.length === 0) {
      const label = `Preview (partial image ${job.partial.index}${job.partial.count !== undefined ? ` of ${job.partial.count}` : ''})`;
      children.push(
        h('figure', { class: 'job-partial', 'data-testid': 'job-partial' }, [
          h('img', { src: job.partial.src, alt: `${label}: ${job.prompt.slice(0, 100)}` }),
          h('figcaption', { class: 'hint', text: label }),
        ]),
      );
    }
    if (job.thumbnails.length > 0) {
      children.push(
        h('div', { class: 'job-thumbs' }, job.thumbnails.map((src) => h('img', { src, alt: job.prompt.slice(0, 125), loading: 'lazy' }))),
      );
    }
    return h('li', { class: 'job', 'data-testid': 'job', 'data-job-id': job.jobId, 'data-phase': job.phase }, children);
  }

  private elapsed(job: JobView): number {
    const since = this.received.get(job.jobId);
    return job.elapsedMs + (since !== undefined && activePhases.has(job.phase) ? Date.now() - since : 0);
  }

  private tick(): void {
    for (const job of this.context.state.jobs) {
      const label = this.list.querySelector(`[data-job="${CSS.escape(job.jobId)}"]`);
      if (label) label.textContent = formatElapsed(this.elapsed(job));
    }
  }
}

function jobMessage(job: JobView): string {
  const task = job.taskCount > 1 ? ` (call ${job.taskIndex + 1} of ${job.taskCount})` : '';
  return `${job.message}${task}`;
}

function usageText(job: JobView): string {
  const cost = job.costUsd !== undefined ? `Cost: about ${formatUsd(job.costUsd)}` : 'Cost: unknown';
  const input = job.usage?.['inputTokens'];
  const output = job.usage?.['outputTokens'] ?? job.usage?.['outputImageTokens'];
  if (input === undefined && output === undefined) return cost;
  return `${cost} · usage: ${input ?? '?'} input + ${output ?? '?'} output tokens`;
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
