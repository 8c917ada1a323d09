import type { ModelCapability } from '../../core/capabilities';
import { transparencySwitch, transparentModels } from '../../core/capabilities';
import { providerIds, providerLabels } from '../../core/ids';
import type { AspectRatio, Background, ModelId, OutputFormat, ProviderId, Quality, ResolutionTier } from '../../core/ids';
import { formatUsd, previewCost } from '../../core/cost';
import { fitStateToCapability, formProblems, generateForm, outgoing, sizeChoices, sizeOf, sizeProblem } from '../formModel';
import type { StudioContext } from './context';
import { button, field, h, option } from './dom';
import { renderReferences } from './referencesView';

/** Builds the whole form for the chosen provider × model: only the controls its row allows. */
export function renderForm(context: StudioContext, container: HTMLElement): void {
  const { state } = context;
  const capability = context.capability();
  fitStateToCapability(state, capability);
  context.save();

  const footer = h('div', { class: 'footer' });
  const refresh = (): void => renderFooter(context, footer);

  container.replaceChildren(
    providerRow(context),
    promptField(context, refresh),
    h('div', { class: 'options' }, [...sizeFields(context, capability, refresh), ...optionFields(context, capability, refresh)]),
    renderReferences(context, refresh),
    footer,
  );
  refresh();
}

function providerRow(context: StudioContext): HTMLElement {
  const { state } = context;
  const provider = h('select', { 'data-testid': 'provider', 'aria-label': 'Provider' });
  for (const id of providerIds) {
    provider.append(option(id, `${providerLabels[id]} (${context.keys[id] ? 'key set' : 'no key'})`, id === state.provider));
  }
  provider.addEventListener('change', () => {
    state.provider = provider.value as ProviderId;
    const models = modelsOf(context, state.provider);
    if (!models.includes(state.model)) state.model = models[0] ?? state.model;
    context.renderForm();
  });
  const model = h('select', { 'data-testid': 'model', 'aria-label': 'Model' });
  for (const id of modelsOf(context, state.provider)) model.append(option(id, id, id === state.model));
  model.addEventListener('change', () => {
    state.model = model.value as ModelId;
    context.renderForm();
  });
  const hasKey = context.keys[state.provider];
  const status = h('span', {
    class: hasKey ? 'key-status ok' : 'key-status missing',
    'data-testid': 'key-status',
    text: hasKey ? 'Key set' : 'No key set',
  });
  const setKey = button(hasKey ? 'Change key…' : 'Set key…', 'set-key', {
    'aria-label': `Set the ${providerLabels[state.provider]} API key`,
  });
  setKey.addEventListener('click', () => context.request((id) => outgoing.setKey(id, state.provider)));
  return h('div', { class: 'row provider-row' }, [field('Provider', provider), field('Model', model), h('div', { class: 'key' }, [status, setKey])]);
}

function promptField(context: StudioContext, refresh: () => void): HTMLElement {
  const prompt = h('textarea', {
    'data-testid': 'prompt',
    rows: 5,
    placeholder: 'Describe the image… (Ctrl+Enter or Cmd+Enter to generate)',
    'aria-keyshortcuts': 'Control+Enter Meta+Enter',
  });
  prompt.value = context.state.prompt;
  prompt.addEventListener('input', () => {
    context.state.prompt = prompt.value;
    context.save();
    refresh();
  });
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      generate(context);
    }
  });
  return field('Prompt', prompt);
}

function sizeFields(context: StudioContext, capability: ModelCapability, refresh: () => void): HTMLElement[] {
  const { state } = context;
  const rule = capability.size;
  if (rule.kind === 'aspectTier') {
    const aspect = h('select', { 'data-testid': 'aspect' });
    for (const value of rule.aspects) aspect.append(option(value, value === 'auto' ? 'Auto' : value, value === state.aspect));
    aspect.addEventListener('change', () => change(context, refresh, () => (state.aspect = aspect.value as AspectRatio)));
    const tier = h('select', { 'data-testid': 'tier' });
    for (const value of rule.tiers) tier.append(option(value, value.toUpperCase(), value === state.tier));
    tier.addEventListener('change', () => change(context, refresh, () => (state.tier = tier.value as ResolutionTier)));
    return [field('Aspect ratio', aspect), field('Resolution', tier)];
  }
  const choices = sizeChoices(capability);
  const size = h('select', { 'data-testid': 'size' });
  if (choices.auto) size.append(option('auto', 'Auto', state.sizeChoice === 'auto'));
  for (const preset of choices.presets) size.append(option(preset, preset.replace('x', ' × '), state.sizeChoice === preset));
  if (choices.custom) size.append(option('custom', 'Custom…', state.sizeChoice === 'custom'));
  const custom = h('input', {
    'data-testid': 'size-custom',
    type: 'text',
    inputmode: 'numeric',
    placeholder: 'e.g. 1536x1024',
    'aria-describedby': 'size-error',
  });
  custom.value = state.customSize;
  const error = h('div', { id: 'size-error', class: 'error', 'data-testid': 'size-error', role: 'status', 'aria-live': 'polite' });
  const update = (): void => {
    custom.hidden = state.sizeChoice !== 'custom';
    customField.hidden = custom.hidden;
    const problem = sizeProblem(state, capability);
    error.textContent = problem ?? '';
    custom.setAttribute('aria-invalid', String(problem !== undefined && !custom.hidden));
  };
  size.addEventListener('change', () => change(context, refresh, () => (state.sizeChoice = size.value), update));
  custom.addEventListener('input', () => change(context, refresh, () => (state.customSize = custom.value), update));
  const customField = field('Custom size (W×H)', custom);
  update();
  return [field('Size', size), customField, error];
}

function optionFields(context: StudioContext, capability: ModelCapability, refresh: () => void): HTMLElement[] {
  const { state } = context;
  const fields: HTMLElement[] = [];
  if (capability.qualities.length > 0) {
    const quality = h('select', { 'data-testid': 'quality' });
    for (const value of capability.qualities) quality.append(option(value, capitalise(value), value === state.quality));
    quality.addEventListener('change', () => change(context, refresh, () => (state.quality = quality.value as Quality)));
    fields.push(field('Quality', quality));
  }
  const n = h('input', { 'data-testid': 'n', type: 'number', min: 1, max: capability.maxN, step: 1 });
  n.value = String(state.n);
  n.addEventListener('change', () =>
    change(context, refresh, () => {
      state.n = Math.min(Math.max(1, Math.floor(Number(n.value)) || 1), capability.maxN);
      n.value = String(state.n);
    }),
  );
  fields.push(field(`Images (1–${capability.maxN})`, n));
  if (capability.backgrounds.length > 0) {
    const background = h('select', { 'data-testid': 'background' });
    background.append(option('', 'Default', state.background === ''));
    for (const value of capability.backgrounds) background.append(option(value, capitalise(value), value === state.background));
    background.addEventListener('change', () => change(context, refresh, () => (state.background = background.value as Background | '')));
    fields.push(field('Background', background));
  }
  // No transparent background here: say which model of this provider has one, rather than leave it out unexplained.
  // The offer is explicit: one button that switches the model, never a silent change.
  const switchHint = transparencySwitch(capability.provider, capability.model);
  if (switchHint) {
    const hint = h('div', { class: 'hint', 'data-testid': 'transparency-hint', text: `${switchHint}.` });
    const target = transparentModels(capability.provider).find((id) => modelsOf(context, state.provider).includes(id));
    if (target) {
      const offer = button(`Use ${target} with a transparent background`, 'transparency-switch');
      offer.addEventListener('click', () => {
        state.model = target;
        state.background = 'transparent';
        context.renderForm();
      });
      hint.append(' ', offer);
    }
    fields.push(hint);
  }
  if (capability.outputFormats.length > 0) {
    const format = h('select', { 'data-testid': 'output-format' });
    format.append(option('', 'Default (PNG)', state.outputFormat === ''));
    for (const value of capability.outputFormats) format.append(option(value, value.toUpperCase(), value === state.outputFormat));
    format.addEventListener('change', () => {
      state.outputFormat = format.value as OutputFormat | '';
      context.renderForm();
    });
    fields.push(field('Format', format));
    if (capability.outputCompression && (state.outputFormat === 'jpeg' || state.outputFormat === 'webp')) {
      const compression = h('input', { 'data-testid': 'compression', type: 'number', min: 0, max: 100, step: 1 });
      compression.value = String(state.outputCompression);
      compression.addEventListener('change', () =>
        change(context, refresh, () => {
          state.outputCompression = Math.min(100, Math.max(0, Math.round(Number(compression.value)) || 0));
          compression.value = String(state.outputCompression);
        }),
      );
      fields.push(field('Compression (%)', compression));
    }
  }
  fields.push(...partialImageFields(context, capability, refresh));
  return fields;
}

/** Streamed previews where the row streams (with what they cost); where it does not, the reason. */
function partialImageFields(context: StudioContext, capability: ModelCapability, refresh: () => void): HTMLElement[] {
  const { state } = context;
  const streaming = capability.streaming;
  if (!streaming) return [];
  if (!streaming.partialImages) {
    return [h('div', { class: 'hint', 'data-testid': 'partial-images-off', text: `No partial-image previews here: ${streaming.reason}.` })];
  }
  const partial = h('select', { 'data-testid': 'partial-images', 'aria-describedby': 'partial-images-note' });
  for (const value of [0, 1, 2, 3]) partial.append(option(String(value), value === 0 ? 'None' : String(value), value === (state.partialImages ?? 0)));
  partial.addEventListener('change', () => change(context, refresh, () => (state.partialImages = Number(partial.value))));
  const note = h('div', {
    id: 'partial-images-note',
    class: 'hint',
    'data-testid': 'partial-images-note',
    text: 'Previews while the image is made (one image only); each partial adds about 100 output tokens.',
  });
  return [field('Partial images', partial), note];
}

function renderFooter(context: StudioContext, footer: HTMLElement): void {
  const { state } = context;
  const capability = context.capability();
  const cost = previewCost({
    capability,
    size: sizeOf(state, capability),
    quality: state.quality === '' ? undefined : state.quality,
    images: state.n,
    promptLength: state.prompt.length,
    rates: context.init.pricing,
  });
  const costText =
    cost.kind === 'usd' ? `Estimated cost: ${cost.approximate ? 'about ' : ''}${formatUsd(cost.usd)}` : 'Estimated cost: unknown';
  const problems = formProblems(state, capability);
  const noKey = !context.keys[state.provider];
  const generateButton = button(`Generate${state.n > 1 ? ` ${state.n} images` : ''}`, 'generate', { class: 'primary' });
  generateButton.disabled = problems.length > 0 || context.pendingGenerate !== undefined;
  generateButton.addEventListener('click', () => generate(context));
  const parts: Array<HTMLElement | undefined> = [
    h('div', { class: 'cost', 'data-testid': 'cost-estimate', title: cost.basis, text: `${costText} (${cost.basis})` }),
    noKey ? h('div', { class: 'hint', text: `No ${providerLabels[state.provider]} key is set: use "Set key…" first.` }) : undefined,
    problems.length > 0 && state.prompt.trim() !== ''
      ? h('div', { class: 'error', 'data-testid': 'form-problems', text: problems.join(' ') })
      : undefined,
    generateButton,
  ];
  footer.replaceChildren(...parts.filter((part): part is HTMLElement => part !== undefined));
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
      if (context.pendingGenerate === reply.requestId) {
        context.pendingGenerate = undefined;
        context.renderForm();
      }
      if (reply.error) context.notify(reply.error, 'error');
    },
  );
  context.renderForm();
}

function change(context: StudioContext, refresh: () => void, apply: () => void, after?: () => void): void {
  apply();
  context.save();
  after?.();
  refresh();
}

function modelsOf(context: StudioContext, provider: ProviderId): ModelId[] {
  return context.init.capabilities.filter((row) => row.provider === provider).map((row) => row.model);
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
