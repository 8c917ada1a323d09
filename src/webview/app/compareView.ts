import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatUsd, previewCost } from '../../core/cost';
import { providerLabels } from '../../core/ids';
import { planCompare, targetLabel, targetOf } from '../comparePlan';
import { outgoing } from '../formModel';
import { t } from '../l10nText';
import type { PreviewImage } from '../previewModel';
import type { JobView } from '../protocol';
import type { StudioContext } from './context';
import { openPreviewFrom } from './previewView';

/**
 * "Compare on…": the rows to run the same prompt on, ticked in a group of checkboxes; "Run compare"
 * sends one Generate per row (one job each through the owner), only when every row is ready.
 */
export function compareChooser(context: StudioContext): TemplateResult {
  const { state, ui } = context;
  const targets = state.compareTargets ?? [];
  if (!ui.comparing) {
    return html`<div class="compare-open">
      <button type="button" data-testid="compare-open" aria-expanded="false" aria-controls="compare-chooser" @click=${() => {
        ui.comparing = true;
        if (targets.length === 0) state.compareTargets = [targetOf(context.capability())];
        context.update(() => document.querySelector<HTMLElement>('#compare-chooser input')?.focus());
      }}>${t('Compare on…')}</button>
    </div>`;
  }
  const plan = planCompare(state, targets, context.init.capabilities, context.keys);
  const toggle = (target: string, checked: boolean): void => {
    state.compareTargets = checked ? [...targets.filter((item) => item !== target), target] : targets.filter((item) => item !== target);
    context.save();
    context.update();
  };
  const run = (): void => {
    if (plan.runs.length === 0) return;
    const runs = plan.runs.map((entry) => ({ target: entry.target, requestId: '' as string, error: undefined as string | undefined }));
    state.compare = { prompt: state.prompt, runs };
    plan.runs.forEach((entry, index) => {
      const requestId = context.request(
        (id) => outgoing.generate(id, entry.form),
        (reply) => {
          if (!reply.error || !state.compare) return;
          state.compare = { ...state.compare, runs: state.compare.runs.map((item) => (item.requestId === reply.requestId ? { ...item, error: reply.error } : item)) };
          context.save();
          context.update();
        },
      );
      (runs[index] as { requestId: string }).requestId = requestId;
    });
    context.save();
    context.notify(t('Comparing on {0}: one job each.', plan.runs.length), 'info');
  };
  return html`<fieldset class="compare-chooser" id="compare-chooser" data-testid="compare-chooser">
    <legend>${t('Compare on… (the same prompt, one job each)')}</legend>
    <div class="compare-targets">
      ${context.init.capabilities.map((row) => {
        const target = targetOf(row);
        return html`<label class="check">
          <input type="checkbox" data-testid="compare-target" data-target=${target} .checked=${targets.includes(target)} @change=${(event: Event) => toggle(target, (event.target as HTMLInputElement).checked)} />
          ${context.keys[row.provider] ? targetLabel(target) : t('{0} (no key)', targetLabel(target))}
        </label>`;
      })}
    </div>
    ${plan.problems.length > 0 ? html`<div class="error" data-testid="compare-problems">${plan.problems.join(' ')}</div>` : html`<div class="cost" data-testid="compare-estimate">${compareEstimate(context, plan.runs)}</div>`}
    <div class="row">
      <button type="button" class="primary" data-testid="compare-run" ?disabled=${plan.runs.length === 0} @click=${run}>
        ${plan.runs.length > 0 ? t('Run compare ({0} jobs)', plan.runs.length) : t('Run compare')}
      </button>
      <button type="button" data-testid="compare-close" @click=${() => {
        ui.comparing = false;
        context.update(() => document.querySelector<HTMLElement>('[data-testid="compare-open"]')?.focus());
      }}>${t('Done')}</button>
    </div>
  </fieldset>`;
}

/** What the whole compare may cost before anything is sent: the sum where known, and which rows have no price. */
function compareEstimate(context: StudioContext, runs: ReturnType<typeof planCompare>['runs']): string {
  let total = 0;
  const unknown: string[] = [];
  for (const run of runs) {
    const capability = context.init.capabilities.find((row) => targetOf(row) === run.target);
    const cost = previewCost({ capability, size: run.form.size, quality: run.form.quality, images: 1, promptLength: run.form.prompt.length, rates: context.init.pricing });
    if (cost.kind === 'usd') total += cost.usd;
    else unknown.push(capability ? providerLabels[capability.provider] : run.target);
  }
  if (runs.length === unknown.length) return t('Estimated cost of the compare: unknown.');
  if (unknown.length === 0) return t('Estimated cost of the compare: about {0}.', formatUsd(total));
  return t('Estimated cost of the compare: about {0} plus {1} (no published price).', formatUsd(total), [...new Set(unknown)].join(', '));
}

/** The latest compare, side by side: each row's image, time, cost and actual size. */
export function compareResults(context: StudioContext): TemplateResult | typeof nothing {
  const group = context.state.compare;
  if (!group) return nothing;
  const jobs = group.runs.map((run) => context.state.jobs.find((job) => job.requestId === run.requestId));
  const images: PreviewImage[] = [];
  const firstImage = jobs.map((job, index) => {
    const src = job?.thumbnails[0];
    if (!src) return -1;
    images.push({ src, alt: `${targetLabel(group.runs[index]?.target ?? '')}: ${group.prompt.slice(0, 100)}` });
    return images.length - 1;
  });
  return html`<section class="compare-section" data-testid="compare" aria-labelledby="compare-heading">
    <h2 id="compare-heading">${t('Compare: {0}', group.prompt.slice(0, 80))}</h2>
    <ul class="compare-grid">
      ${repeat(
        group.runs,
        (run) => run.requestId,
        (run, index) => compareCell(context, run.target, jobs[index], run.error, images, firstImage[index] ?? -1),
      )}
    </ul>
  </section>`;
}

function compareCell(context: StudioContext, target: string, job: JobView | undefined, error: string | undefined, images: readonly PreviewImage[], imageIndex: number): TemplateResult {
  const src = job?.thumbnails[0];
  // Once the images are recorded (the `saved` phase arrives a moment before their sizes and cost).
  const facts = job?.phase === 'saved' && job.thumbnails.length > 0
    ? [
        t('Time {0}', formatDuration(job.elapsedMs)),
        job.costUsd !== undefined ? t('Cost about {0}', formatUsd(job.costUsd)) : t('Cost unknown'),
        job.imageSizes?.[0] !== undefined ? t('Size {0}', job.imageSizes[0]) : t('Size unknown'),
      ]
    : [];
  return html`<li class="compare-cell" data-testid="compare-cell" data-target=${target} data-phase=${job?.phase ?? (error ? 'failed' : 'submitting')}>
    <h3>${targetLabel(target)}</h3>
    ${src && imageIndex >= 0
      ? html`<button type="button" class="thumb" data-testid="compare-image" aria-label=${t('Preview the {0} result', targetLabel(target))} @click=${(event: Event) => openPreviewFrom(context, images, imageIndex, event.currentTarget as HTMLElement)}>
          <img src=${src} alt="" />
        </button>`
      : job?.partial
        ? html`<figure class="tile-frame"><img src=${job.partial.src} alt=${t('Partial preview')} /><figcaption class="badge">${t('Preview')}</figcaption></figure>`
        : html`<div class="tile">${error ? t('Failed') : (job?.message ?? t('Sending…'))}</div>`}
    ${facts.length > 0 ? html`<p class="compare-facts" data-testid="compare-facts">${facts.map((fact) => html`<span>${fact}</span>`)}</p>` : nothing}
    ${error || job?.error ? html`<div class="error">${error ?? job?.error}</div>` : nothing}
  </li>`;
}

/** Seconds with a tenth below a minute (compared rows are often seconds apart), m:ss above. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
