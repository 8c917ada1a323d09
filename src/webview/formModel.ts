/**
 * The Studio form without a DOM: its state (what the webview persists with setState), what the
 * chosen capability row allows, live size validation with core/size.ts's rules, and the exact
 * messages the app sends. Pure, so the browser bundle and the Node tests share one implementation.
 */
import type { ModelCapability } from '../core/capabilities';
import { providerLabels } from '../core/ids';
import type { AspectRatio, Background, ModelId, OutputFormat, ProviderId, Quality, ResolutionTier } from '../core/ids';
import { parseSizeIntent, resolveSize } from '../core/size';
import { t } from './l10nText';
import type { FormPreset, GenerateForm, HistoryAction, JobView, ReferenceView, ToHost } from './protocol';

/** Everything the webview keeps across hide/reload (vscode.setState). */
export interface StudioState {
  readonly version: 1;
  provider: ProviderId;
  model: ModelId;
  prompt: string;
  /** A preset `WxH`, `auto`, or `custom` (then `customSize` applies). */
  sizeChoice: string;
  customSize: string;
  aspect: AspectRatio;
  tier: ResolutionTier;
  quality: Quality | '';
  n: number;
  background: Background | '';
  outputFormat: OutputFormat | '';
  outputCompression: number;
  /** Streamed previews (0–3) where the row streams; absent in states saved before the option: the setting applies. */
  partialImages?: number | undefined;
  references: ReferenceView[];
  query: string;
  /** Recent jobs so a reload still shows how the last runs ended. */
  jobs: JobView[];
  /** Rows ticked under "Compare on…" (`provider/model`); absent in states saved before compare existed. */
  compareTargets?: string[] | undefined;
  /** The latest compare: one Generate request per row, shown side by side. */
  compare?: CompareGroup | undefined;
}

/** One prompt run on several rows: each run is its own Generate request, and so its own job. */
export interface CompareGroup {
  readonly prompt: string;
  readonly runs: ReadonlyArray<{ readonly target: string; readonly requestId: string; readonly error?: string | undefined }>;
}

export function initialState(provider: ProviderId, model: ModelId, partialImages = 0): StudioState {
  return {
    version: 1,
    provider,
    model,
    prompt: '',
    sizeChoice: 'auto',
    customSize: '',
    aspect: 'auto',
    tier: '1k',
    quality: '',
    n: 1,
    background: '',
    outputFormat: '',
    outputCompression: 100,
    partialImages,
    references: [],
    query: '',
    jobs: [],
  };
}

/** Accepts a stored state only if it has the current shape; anything else starts afresh. */
export function restoreState(stored: unknown): StudioState | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const candidate = stored as Partial<StudioState>;
  if (candidate.version !== 1 || typeof candidate.provider !== 'string' || typeof candidate.prompt !== 'string') return undefined;
  if (!Array.isArray(candidate.references) || !Array.isArray(candidate.jobs)) return undefined;
  return candidate as StudioState;
}

/** Size choices the row allows: presets, plus `auto` and free WxH for OpenAI-style free sizes. */
export function sizeChoices(capability: ModelCapability): { presets: readonly string[]; auto: boolean; custom: boolean } {
  switch (capability.size.kind) {
    case 'free':
      return { presets: capability.size.presets, auto: true, custom: true };
    case 'presets':
      return { presets: capability.size.presets, auto: false, custom: false };
    case 'aspectTier':
      return { presets: [], auto: false, custom: false };
  }
}

/** Brings the state in line with a (new) capability row, keeping what still applies. */
export function fitStateToCapability(state: StudioState, capability: ModelCapability): void {
  const rule = capability.size;
  if (rule.kind === 'aspectTier') {
    if (!rule.aspects.includes(state.aspect)) state.aspect = rule.aspects[0] ?? 'auto';
    if (!rule.tiers.includes(state.tier)) state.tier = rule.tiers[0] ?? '1k';
  } else {
    const choices = sizeChoices(capability);
    const valid =
      choices.presets.includes(state.sizeChoice) ||
      (choices.auto && state.sizeChoice === 'auto') ||
      (choices.custom && state.sizeChoice === 'custom');
    if (!valid) state.sizeChoice = choices.auto ? 'auto' : rule.kind === 'presets' ? rule.defaultPreset : 'auto';
  }
  if (state.quality === '' || !capability.qualities.includes(state.quality)) state.quality = capability.defaultQuality ?? '';
  if (state.background !== '' && !capability.backgrounds.includes(state.background)) state.background = '';
  if (state.outputFormat !== '' && !capability.outputFormats.includes(state.outputFormat)) state.outputFormat = '';
  state.n = Math.min(Math.max(1, Math.floor(state.n) || 1), capability.maxN);
  if (!capability.edit.acceptsLocalFile) {
    state.references = state.references.filter((reference) => reference.spec.kind === 'url');
  } else if (!capability.edit.acceptsUrl) {
    state.references = state.references.filter((reference) => reference.spec.kind === 'file');
  }
}

/** The size string sent with Generate (parseSizeIntent's grammar). */
export function sizeOf(state: StudioState, capability: ModelCapability): string {
  if (capability.size.kind === 'aspectTier') return `${state.aspect}@${state.tier}`;
  return state.sizeChoice === 'custom' ? state.customSize.trim() : state.sizeChoice;
}

/**
 * Validates the size as the user types, with the rules the host will apply. Returns the error to
 * show, or undefined; a preset that the provider maps to another size is not an error here.
 */
export function sizeProblem(state: StudioState, capability: ModelCapability): string | undefined {
  const text = sizeOf(state, capability);
  if (capability.size.kind !== 'aspectTier' && state.sizeChoice === 'custom') {
    if (text === '') return t('Type a size such as 1536x1024.');
    if (!/^\d{1,5}\s*[x×*]\s*\d{1,5}$/i.test(text)) return t('"{0}" is not WIDTHxHEIGHT (for example 1536x1024).', text);
  }
  const intent = parseSizeIntent(text);
  if (typeof intent === 'string') return intent;
  const resolved = resolveSize(intent, capability.size, providerLabels[capability.provider]);
  return resolved.ok ? undefined : resolved.error;
}

/** Problems that keep Generate disabled (the host re-validates everything anyway). */
export function formProblems(state: StudioState, capability: ModelCapability): string[] {
  const problems: string[] = [];
  if (state.prompt.trim() === '') problems.push(t('Describe the image you want.'));
  if (state.prompt.trim().length > capability.maxPromptLength) {
    problems.push(t('The prompt is longer than {0} characters.', capability.maxPromptLength));
  }
  const size = sizeProblem(state, capability);
  if (size !== undefined) problems.push(size);
  if (state.references.length > capability.edit.maxImages) {
    problems.push(t('At most {0} reference images.', capability.edit.maxImages));
  }
  return problems;
}

/** Checks a pasted reference URL: https only (the only way APIXO takes images). */
export function referenceUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return t('Paste a full image URL starting with https://.');
  }
  return url.protocol === 'https:' ? undefined : t('The image URL must start with https://.');
}

/** Applies a preset sent by the host (vary / run on another provider). */
export function applyPreset(state: StudioState, preset: FormPreset): void {
  state.provider = preset.provider;
  state.model = preset.model;
  state.prompt = preset.prompt;
  state.n = preset.n;
  state.references = [...preset.references];
  const intent = parseSizeIntent(preset.size);
  if (typeof intent !== 'string' && intent.kind === 'aspect') {
    state.aspect = intent.aspect;
    state.tier = intent.tier;
  } else if (typeof intent !== 'string' && intent.kind === 'pixels') {
    state.sizeChoice = 'custom';
    state.customSize = preset.size;
  } else {
    state.sizeChoice = 'auto';
  }
  state.quality = preset.quality ?? '';
  state.background = preset.background ?? '';
  state.outputFormat = preset.outputFormat ?? '';
  if (preset.outputCompression !== undefined) state.outputCompression = preset.outputCompression;
}

/** The form as the Generate message carries it: only options the row allows. */
export function generateForm(state: StudioState, capability: ModelCapability): GenerateForm {
  const compression =
    capability.outputCompression && (state.outputFormat === 'jpeg' || state.outputFormat === 'webp')
      ? state.outputCompression
      : undefined;
  return {
    provider: state.provider,
    model: state.model,
    prompt: state.prompt,
    size: sizeOf(state, capability),
    quality: state.quality !== '' && capability.qualities.includes(state.quality) ? state.quality : undefined,
    n: Math.min(Math.max(1, state.n), capability.maxN),
    background: state.background !== '' && capability.backgrounds.includes(state.background) ? state.background : undefined,
    outputFormat:
      state.outputFormat !== '' && capability.outputFormats.includes(state.outputFormat) ? state.outputFormat : undefined,
    outputCompression: compression,
    // 0 where the row does not stream: the form already said why, so no setting sneaks a warning in.
    partialImages: capability.streaming?.partialImages ? Math.min(3, Math.max(0, Math.round(state.partialImages ?? 0))) : 0,
    references: state.references.map((reference) => reference.spec),
  };
}

/** Every message the app sends is built here, so a test can check each against the schemas. */
export const outgoing = {
  ready: (): ToHost => ({ type: 'ready' }),
  generate: (requestId: string, form: GenerateForm): ToHost => ({ type: 'generate', requestId, form }),
  cancel: (requestId: string, jobId: string): ToHost => ({ type: 'cancel', requestId, jobId }),
  setKey: (requestId: string, provider: ProviderId): ToHost => ({ type: 'setKey', requestId, provider }),
  pickReferences: (requestId: string): ToHost => ({ type: 'pickReferences', requestId }),
  dropReferences: (requestId: string, uris: readonly string[]): ToHost => ({ type: 'dropReferences', requestId, uris: [...uris] }),
  loadHistory: (requestId: string, query: string, offset: number, limit: number): ToHost => ({
    type: 'loadHistory',
    requestId,
    query,
    offset,
    limit,
  }),
  historyAction: (requestId: string, action: HistoryAction, itemId: string): ToHost => ({
    type: 'historyAction',
    requestId,
    action,
    itemId,
  }),
  log: (level: 'info' | 'warn' | 'error', message: string): ToHost => ({ type: 'log', level, message: message.slice(0, 4000) }),
} as const;

/**
 * URIs from a drop: VS Code's own `application/vnd.code.uri-list` carries every dragged file
 * (`text/uri-list` is cut to one entry upstream); both are CRLF-separated, `#` lines are comments.
 */
export function parseUriList(...lists: readonly string[]): string[] {
  const uris = new Set<string>();
  for (const list of lists) {
    for (const line of list.split(/\r?\n/)) {
      const value = line.trim();
      if (value !== '' && !value.startsWith('#')) uris.add(value);
    }
  }
  return [...uris].slice(0, 32);
}

/** The page size for history: enough to fill a screen, few enough to answer at once. */
export const historyPageSize = 40;
