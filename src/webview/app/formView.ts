import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { ModelCapability } from '../../core/capabilities';
import { transparencySwitch, transparentModels } from '../../core/capabilities';
import { providerIds, providerLabels } from '../../core/ids';
import type { AspectRatio, Background, ModelId, OutputFormat, ProviderId, Quality, ResolutionTier } from '../../core/ids';
import { formatUsd, previewCost } from '../../core/cost';
import { t } from '../l10nText';
import { fitStateToCapability, formProblems, generateForm, outgoing, sizeChoices, sizeOf, sizeProblem } from '../formModel';
import { compareChooser } from './compareView';
import type { StudioContext } from './context';
import { referencesTemplate } from './referencesView';

/**
 * The form for the chosen provider × model: only the controls its row allows. Rendered in place on
 * every change (lit-html), so a provider picked with the arrow keys keeps focus on the list.
 */
export function formTemplate(context: StudioContext): TemplateResult {
  const capability = context.capability();
  fitStateToCapability(context.state, capability);
  return html`<div class="form" data-testid="form">
    ${providerRow(context)} ${promptField(context)}
    <div class="options">${sizeFields(context, capability)} ${optionFields(context, capability)}</div>
    ${referencesTemplate(context)} ${footer(context, capability)} ${compareChooser(context)}
  </div>`;
}

/** Applies a change from a control, persists it and renders. */
function change(context: StudioContext, apply: () => void): void {
  apply();
  context.save();
  context.update();
}

function selectValue(event: Event): string {
  return (event.target as HTMLSelectElement).value;
}

function providerRow(context: StudioContext): TemplateResult {
  const { state } = context;
  const hasKey = context.keys[state.provider];
  const onProvider = (event: Event): void =>
    change(context, () => {
      state.provider = selectValue(event) as ProviderId;
      const models = modelsOf(context, state.provider);
      if (!models.includes(state.model)) state.model = models[0] ?? state.model;
    });
  return html`<div class="row provider-row">
    <div class="field">
      <label for="provider">${t('Provider')}</label>
      <select id="provider" data-testid="provider" @change=${onProvider}>
        ${providerIds.map(
          (id) => html`<option value=${id} .selected=${id === state.provider}>${context.keys[id] ? t('{0} (key set)', providerLabels[id]) : t('{0} (no key)', providerLabels[id])}</option>`,
        )}
      </select>
    </div>
    <div class="field">
      <label for="model">${t('Model')}</label>
      <select id="model" data-testid="model" @change=${(event: Event) => change(context, () => (state.model = selectValue(event) as ModelId))}>
        ${modelsOf(context, state.provider).map((id) => html`<option value=${id} .selected=${id === state.model}>${id}</option>`)}
      </select>
    </div>
    <div class="key">
      <span class=${hasKey ? 'key-status ok' : 'key-status missing'} data-testid="key-status">${hasKey ? t('Key set') : t('No key set')}</span>
      <button
        type="button"
        data-testid="set-key"
        aria-label=${t('Set the {0} API key', providerLabels[state.provider])}
        @click=${() => context.request((id) => outgoing.setKey(id, state.provider))}
      >
        ${hasKey ? t('Change key…') : t('Set key…')}
      </button>
    </div>
  </div>`;
}

function promptField(context: StudioContext): TemplateResult {
  const onInput = (event: Event): void => change(context, () => (context.state.prompt = (event.target as HTMLTextAreaElement).value));
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      generate(context);
    }
  };
  return html`<div class="field">
    <label for="prompt">${t('Prompt')}</label>
    <textarea
      id="prompt"
      data-testid="prompt"
      rows="5"
      placeholder=${t('Describe the image… (Ctrl+Enter or Cmd+Enter to generate)')}
      aria-keyshortcuts="Control+Enter Meta+Enter"
      .value=${live(context.state.prompt)}
      @input=${onInput}
      @keydown=${onKey}
    ></textarea>
  </div>`;
}

function sizeFields(context: StudioContext, capability: ModelCapability): TemplateResult {
  const { state } = context;
  const rule = capability.size;
  if (rule.kind === 'aspectTier') {
    return html`<div class="field">
        <label for="aspect">${t('Aspect ratio')}</label>
        <select id="aspect" data-testid="aspect" @change=${(event: Event) => change(context, () => (state.aspect = selectValue(event) as AspectRatio))}>
          ${rule.aspects.map((value) => html`<option value=${value} .selected=${value === state.aspect}>${value === 'auto' ? t('Auto') : value}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="tier">${t('Resolution')}</label>
        <select id="tier" data-testid="tier" @change=${(event: Event) => change(context, () => (state.tier = selectValue(event) as ResolutionTier))}>
          ${rule.tiers.map((value) => html`<option value=${value} .selected=${value === state.tier}>${value.toUpperCase()}</option>`)}
        </select>
      </div>`;
  }
  const choices = sizeChoices(capability);
  const problem = sizeProblem(state, capability);
  const custom = state.sizeChoice === 'custom';
  return html`<div class="field">
      <label for="size">${t('Size')}</label>
      <select id="size" data-testid="size" @change=${(event: Event) => change(context, () => (state.sizeChoice = selectValue(event)))}>
        ${choices.auto ? html`<option value="auto" .selected=${state.sizeChoice === 'auto'}>${t('Auto')}</option>` : nothing}
        ${choices.presets.map((preset) => html`<option value=${preset} .selected=${state.sizeChoice === preset}>${preset.replace('x', ' × ')}</option>`)}
        ${choices.custom ? html`<option value="custom" .selected=${custom}>${t('Custom…')}</option>` : nothing}
      </select>
    </div>
    <div class="field" ?hidden=${!custom}>
      <label for="size-custom">${t('Custom size (W×H)')}</label>
      <input
        id="size-custom"
        data-testid="size-custom"
        type="text"
        inputmode="numeric"
        placeholder=${t('e.g. 1536x1024')}
        aria-describedby="size-error"
        aria-invalid=${String(problem !== undefined && custom)}
        .value=${live(state.customSize)}
        @input=${(event: Event) => change(context, () => (state.customSize = (event.target as HTMLInputElement).value))}
      />
    </div>
    <div id="size-error" class="error" data-testid="size-error" role="status" aria-live="polite">${problem ?? ''}</div>`;
}

function optionFields(context: StudioContext, capability: ModelCapability): TemplateResult {
  const { state } = context;
  const clampN = (event: Event): void =>
    change(context, () => {
      state.n = Math.min(Math.max(1, Math.floor(Number((event.target as HTMLInputElement).value)) || 1), capability.maxN);
    });
  return html`${capability.qualities.length > 0
      ? html`<div class="field">
          <label for="quality">${t('Quality')}</label>
          <select id="quality" data-testid="quality" @change=${(event: Event) => change(context, () => (state.quality = selectValue(event) as Quality))}>
            ${capability.qualities.map((value) => html`<option value=${value} .selected=${value === state.quality}>${optionLabel(value)}</option>`)}
          </select>
        </div>`
      : nothing}
    <div class="field">
      <label for="n">${t('Images (1–{0})', capability.maxN)}</label>
      <input id="n" data-testid="n" type="number" min="1" max=${capability.maxN} step="1" .value=${live(String(state.n))} @change=${clampN} />
    </div>
    ${capability.backgrounds.length > 0
      ? html`<div class="field">
          <label for="background">${t('Background')}</label>
          <select id="background" data-testid="background" @change=${(event: Event) => change(context, () => (state.background = selectValue(event) as Background | ''))}>
            <option value="" .selected=${state.background === ''}>${t('Default')}</option>
            ${capability.backgrounds.map((value) => html`<option value=${value} .selected=${value === state.background}>${optionLabel(value)}</option>`)}
          </select>
        </div>`
      : nothing}
    ${transparencyHint(context, capability)} ${formatFields(context, capability)} ${partialImageFields(context, capability)}`;
}

/**
 * No transparent background here: say which model of this provider has one, rather than leave it
 * out unexplained. The offer is explicit: one button that switches the model, never a silent change.
 */
function transparencyHint(context: StudioContext, capability: ModelCapability): TemplateResult | typeof nothing {
  const { state } = context;
  const switchHint = transparencySwitch(capability.provider, capability.model);
  if (!switchHint) return nothing;
  const target = transparentModels(capability.provider).find((id) => modelsOf(context, state.provider).includes(id));
  const offer = (): void =>
    change(context, () => {
      if (!target) return;
      state.model = target;
      state.background = 'transparent';
    });
  return html`<div class="hint" data-testid="transparency-hint">
    ${switchHint}.
    ${target ? html`<button type="button" data-testid="transparency-switch" @click=${offer}>${t('Use {0} with a transparent background', target)}</button>` : nothing}
  </div>`;
}

function formatFields(context: StudioContext, capability: ModelCapability): TemplateResult | typeof nothing {
  const { state } = context;
  if (capability.outputFormats.length === 0) return nothing;
  const compression = capability.outputCompression && (state.outputFormat === 'jpeg' || state.outputFormat === 'webp');
  const onCompression = (event: Event): void =>
    change(context, () => {
      state.outputCompression = Math.min(100, Math.max(0, Math.round(Number((event.target as HTMLInputElement).value)) || 0));
    });
  return html`<div class="field">
      <label for="output-format">${t('Format')}</label>
      <select id="output-format" data-testid="output-format" @change=${(event: Event) => change(context, () => (state.outputFormat = selectValue(event) as OutputFormat | ''))}>
        <option value="" .selected=${state.outputFormat === ''}>${t('Default (PNG)')}</option>
        ${capability.outputFormats.map((value) => html`<option value=${value} .selected=${value === state.outputFormat}>${value.toUpperCase()}</option>`)}
      </select>
    </div>
    ${compression
      ? html`<div class="field">
          <label for="compression">${t('Compression (%)')}</label>
          <input id="compression" data-testid="compression" type="number" min="0" max="100" step="1" .value=${live(String(state.outputCompression))} @change=${onCompression} />
        </div>`
      : nothing}`;
}

/** Streamed previews where the row streams (with what they cost); where it does not, the reason. */
function partialImageFields(context: StudioContext, capability: ModelCapability): TemplateResult | typeof nothing {
  const { state } = context;
  const streaming = capability.streaming;
  if (!streaming) return nothing;
  if (!streaming.partialImages) {
    return html`<div class="hint" data-testid="partial-images-off">${t('No partial-image previews here: {0}.', streaming.reason)}</div>`;
  }
  return html`<div class="field">
      <label for="partial-images">${t('Partial images')}</label>
      <select
        id="partial-images"
        data-testid="partial-images"
        aria-describedby="partial-images-note"
        @change=${(event: Event) => change(context, () => (state.partialImages = Number(selectValue(event))))}
      >
        ${[0, 1, 2, 3].map((value) => html`<option value=${String(value)} .selected=${value === (state.partialImages ?? 0)}>${value === 0 ? t('None') : String(value)}</option>`)}
      </select>
    </div>
    <div id="partial-images-note" class="hint" data-testid="partial-images-note">
      ${t('Previews while the image is made (one image only); each partial adds about 100 output tokens.')}
    </div>`;
}

function footer(context: StudioContext, capability: ModelCapability): TemplateResult {
  const { state } = context;
  const cost = previewCost({
    capability,
    size: sizeOf(state, capability),
    quality: state.quality === '' ? undefined : state.quality,
    images: state.n,
    promptLength: state.prompt.length,
    rates: context.init.pricing,
  });
  const costText =
    cost.kind !== 'usd'
      ? t('Estimated cost: unknown')
      : cost.approximate
        ? t('Estimated cost: about {0}', formatUsd(cost.usd))
        : t('Estimated cost: {0}', formatUsd(cost.usd));
  const problems = formProblems(state, capability);
  const noKey = !context.keys[state.provider];
  return html`<div class="footer">
    <div class="cost" data-testid="cost-estimate" title=${cost.basis}>${costText} (${cost.basis})</div>
    ${noKey ? html`<div class="hint">${t('No {0} key is set: use "Set key…" first.', providerLabels[state.provider])}</div>` : nothing}
    ${problems.length > 0 && state.prompt.trim() !== '' ? html`<div class="error" data-testid="form-problems">${problems.join(' ')}</div>` : nothing}
    <button
      type="button"
      class="primary"
      data-testid="generate"
      ?disabled=${problems.length > 0 || context.pendingGenerate !== undefined}
      @click=${() => generate(context)}
    >
      ${state.n > 1 ? t('Generate {0} images', state.n) : t('Generate')}
    </button>
  </div>`;
}

/** Sends Generate if the form is valid; the job's progress arrives as `job` messages. */
export function generate(context: StudioContext): void {
  if (context.pendingGenerate !== undefined) return;
  const capability = context.capability();
  const problems = formProblems(context.state, capability);
  if (problems.length > 0) {
    context.notify(problems.join(' '), 'error');
    return;
  }
  const form = generateForm(context.state, capability);
  context.pendingGenerate = context.request(
    (id) => outgoing.generate(id, form),
    (reply) => {
      if (context.pendingGenerate === reply.requestId) context.pendingGenerate = undefined;
      if (reply.error) context.notify(reply.error, 'error');
      else context.update();
    },
  );
  context.update();
}

export function modelsOf(context: StudioContext, provider: ProviderId): ModelId[] {
  return context.init.capabilities.filter((row) => row.provider === provider).map((row) => row.model);
}

/** A quality or background as the list shows it. */
function optionLabel(value: Quality | Background): string {
  switch (value) {
    case 'auto':
      return t('Auto');
    case 'low':
      return t('Low');
    case 'medium':
      return t('Medium');
    case 'high':
      return t('High');
    case 'transparent':
      return t('Transparent');
    case 'opaque':
      return t('Opaque');
    default:
      return value;
  }
}
