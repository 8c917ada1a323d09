import type {
  AspectRatio,
  Background,
  ModelId,
  OutputFormat,
  ProviderId,
  Quality,
  ResolutionTier,
} from './ids';
import { providerLabels } from './ids';

/** How a provider describes image size. */
export type SizeRule =
  /** Any WxH within OpenAI's rules (multiples of 16, edge ≤ 3840, ratio ≤ 3:1, pixel bounds), plus `auto`. */
  | { readonly kind: 'free'; readonly presets: readonly string[] }
  /** Only the listed WxH strings; anything else is snapped to the nearest one with a warning. */
  | { readonly kind: 'presets'; readonly presets: readonly string[]; readonly defaultPreset: string }
  /** APIXO: aspect ratio × resolution tier. */
  | {
      readonly kind: 'aspectTier';
      readonly aspects: readonly AspectRatio[];
      readonly tiers: readonly ResolutionTier[];
    };

/**
 * How reference images reach the provider (docs/providers.md §2.5):
 * - multipart: the file's bytes in a multipart body (OpenAI, Gravitex);
 * - upload: uploaded first, then referenced by the returned https URL (Modellix);
 * - urlOnly: only public https URLs; a local file cannot be used (APIXO).
 */
export type InputTransport = 'multipart' | 'upload' | 'urlOnly';

export interface EditCapability {
  readonly transport: InputTransport;
  readonly maxImages: number;
  /** Above this many images the provider's docs disagree; we warn but send. */
  readonly warnAboveImages?: number;
  readonly maxImageBytes: number;
  readonly acceptsLocalFile: boolean;
  readonly acceptsUrl: boolean;
  readonly mask: boolean;
  /**
   * Whether `input_fidelity` may be sent (never for gpt-image-2, U-O2). Nothing reads it yet: it is
   * kept for when input_fidelity is exposed as an option, so that option can be offered per row.
   */
  readonly inputFidelity: boolean;
}

/**
 * Whether a row streams partial images (stream + partial_images, docs/providers.md §7.1); a row
 * without it does not, and one that is off says why so the Studio can show it.
 */
export type StreamingCapability = { readonly partialImages: true } | { readonly partialImages: false; readonly reason: string };

export interface ModelCapability {
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly size: SizeRule;
  /** Empty when the provider documents no quality control (APIXO, U-A2): nothing is sent. */
  readonly qualities: readonly Quality[];
  readonly defaultQuality: Quality | undefined;
  /** Images per paid call. 1 means the runner submits one task per requested image. */
  readonly maxNPerCall: number;
  /** Images per request the user may ask for in total. */
  readonly maxN: number;
  /** Empty when the provider ignores or rejects `background` (Gravitex strips it, Modellix gpt-image-2 has none). */
  readonly backgrounds: readonly Background[];
  /** Empty when the output format cannot be chosen; results are sniffed from bytes either way. */
  readonly outputFormats: readonly OutputFormat[];
  readonly outputCompression: boolean;
  /** Whether `moderation` may be sent (OpenAI generations; the Gravitex relay strips it, U-G1). */
  readonly moderation: boolean;
  readonly maxPromptLength: number;
  /** Submit-then-poll providers. */
  readonly async: boolean;
  readonly edit: EditCapability;
  readonly streaming?: StreamingCapability | undefined;
  /** Price per image in USD by tier when the provider publishes one (APIXO, docs/providers.md §6.8). */
  readonly pricePerImageUsd?: Readonly<Partial<Record<ResolutionTier, number>>>;
}

const MiB = 1024 * 1024;

/** The seven sizes Modellix documents for gpt-image-2 (docs/providers.md §5.3). */
export const modellixGptImage2Sizes = [
  '1024x1024',
  '1536x1024',
  '1024x1536',
  '2048x2048',
  '2048x1152',
  '3840x2160',
  '2160x3840',
] as const;

/** Sizes shared by gpt-image-1.5 everywhere. */
export const gptImage15Sizes = ['1024x1024', '1536x1024', '1024x1536'] as const;

/** OpenAI's "popular" gpt-image-2 sizes, offered as presets where free sizes are allowed. */
export const popularGptImage2Sizes = modellixGptImage2Sizes;

const openAiStyleEdit: EditCapability = {
  transport: 'multipart',
  maxImages: 16,
  maxImageBytes: 50 * MiB - 1,
  acceptsLocalFile: true,
  acceptsUrl: false,
  mask: true,
  inputFidelity: false,
};

const modellixEdit: EditCapability = {
  transport: 'upload',
  maxImages: 16,
  maxImageBytes: 16 * MiB,
  acceptsLocalFile: true,
  acceptsUrl: true,
  mask: false,
  inputFidelity: false,
};

const rows: readonly ModelCapability[] = [
  {
    provider: 'openai',
    model: 'gpt-image-2',
    size: { kind: 'free', presets: popularGptImage2Sizes },
    qualities: ['auto', 'low', 'medium', 'high'],
    defaultQuality: 'auto',
    maxNPerCall: 10,
    maxN: 10,
    // Transparent is "preview" in the SDK but unsupported per the guide (U-O1): not offered.
    backgrounds: ['auto', 'opaque'],
    outputFormats: ['png', 'jpeg', 'webp'],
    outputCompression: true,
    moderation: true,
    maxPromptLength: 32000,
    async: false,
    edit: openAiStyleEdit,
    streaming: { partialImages: true },
  },
  {
    provider: 'openai',
    model: 'gpt-image-1.5',
    size: { kind: 'presets', presets: gptImage15Sizes, defaultPreset: '1024x1024' },
    qualities: ['auto', 'low', 'medium', 'high'],
    defaultQuality: 'auto',
    maxNPerCall: 10,
    maxN: 10,
    backgrounds: ['auto', 'opaque', 'transparent'],
    outputFormats: ['png', 'jpeg', 'webp'],
    outputCompression: true,
    moderation: true,
    maxPromptLength: 32000,
    async: false,
    edit: { ...openAiStyleEdit, inputFidelity: true },
    streaming: { partialImages: true },
  },
  ...newerOpenAiRows(),
  {
    provider: 'gravitex',
    model: 'gpt-image-2',
    size: { kind: 'free', presets: popularGptImage2Sizes },
    qualities: ['low', 'medium', 'high'],
    defaultQuality: 'medium',
    maxNPerCall: 10,
    maxN: 10,
    // The relay strips background/output_format/compression for gpt-image models (U-G1).
    backgrounds: [],
    outputFormats: [],
    outputCompression: false,
    moderation: false,
    maxPromptLength: 32000,
    async: false,
    edit: openAiStyleEdit,
    // Unverified there: the relay forwards `stream` but strips `partial_images` (docs/providers.md §4.2).
    streaming: { partialImages: false, reason: "Gravitex's relay strips partial_images (docs/providers.md)" },
  },
  {
    provider: 'modellix',
    model: 'gpt-image-2',
    size: { kind: 'presets', presets: modellixGptImage2Sizes, defaultPreset: '1024x1024' },
    qualities: ['low', 'medium', 'high'],
    // Modellix defaults to low when quality is omitted; we always send it (docs/providers.md §2.6).
    defaultQuality: 'medium',
    maxNPerCall: 1,
    maxN: 4,
    backgrounds: [],
    outputFormats: [],
    outputCompression: false,
    moderation: false,
    maxPromptLength: 32000,
    async: true,
    edit: modellixEdit,
  },
  {
    provider: 'modellix',
    model: 'gpt-image-1.5',
    size: { kind: 'presets', presets: gptImage15Sizes, defaultPreset: '1024x1024' },
    qualities: ['low', 'medium', 'high'],
    defaultQuality: 'medium',
    maxNPerCall: 1,
    maxN: 4,
    backgrounds: ['auto', 'opaque', 'transparent'],
    outputFormats: [],
    outputCompression: false,
    moderation: false,
    maxPromptLength: 32000,
    async: true,
    edit: { ...modellixEdit, inputFidelity: true },
  },
  {
    provider: 'apixo',
    model: 'gpt-image-2',
    size: {
      kind: 'aspectTier',
      aspects: ['auto', '1:1', '4:3', '3:4', '16:9', '9:16'],
      tiers: ['1k', '2k', '4k'],
    },
    qualities: [],
    defaultQuality: undefined,
    maxNPerCall: 1,
    maxN: 4,
    backgrounds: [],
    outputFormats: [],
    outputCompression: false,
    moderation: false,
    maxPromptLength: 20000,
    async: true,
    edit: {
      transport: 'urlOnly',
      maxImages: 16,
      warnAboveImages: 5,
      maxImageBytes: 10 * MiB,
      acceptsLocalFile: false,
      acceptsUrl: true,
      mask: false,
      inputFidelity: false,
    },
    pricePerImageUsd: { '1k': 0.02, '2k': 0.03, '4k': 0.04 },
  },
];

/**
 * gpt-image-2.5 and 2.6 (docs/providers.md §3.1): free sizes as gpt-image-2, and quality `xhigh`/`max`
 * (the SDK names them for 2.5, third parties for 2.6). Transparent backgrounds are documented for 2.5
 * only; for 2.6 they are unverified and not offered. complexity, markup, SVG and GIF are left out.
 */
function newerOpenAiRows(): ModelCapability[] {
  const models = [
    ['gpt-image-2.5-flare', true],
    ['gpt-image-2.5-sunburst', true],
    ['gpt-image-2.6-flare', false],
    ['gpt-image-2.6-sunburst', false],
  ] as const;
  return models.map(([model, transparent]) => ({
    provider: 'openai',
    model,
    size: { kind: 'free', presets: popularGptImage2Sizes },
    qualities: ['auto', 'low', 'medium', 'high', 'xhigh', 'max'],
    defaultQuality: 'auto',
    maxNPerCall: 10,
    maxN: 10,
    backgrounds: transparent ? ['auto', 'opaque', 'transparent'] : ['auto', 'opaque'],
    outputFormats: ['png', 'jpeg', 'webp'],
    outputCompression: true,
    moderation: true,
    maxPromptLength: 32000,
    async: false,
    // input_fidelity is unverified for these models: never sent (docs/providers.md §3.1).
    edit: openAiStyleEdit,
  }));
}

export function allCapabilities(): readonly ModelCapability[] {
  return rows;
}

export function capabilityFor(provider: ProviderId, model: ModelId): ModelCapability | undefined {
  return rows.find((row) => row.provider === provider && row.model === model);
}

export function modelsFor(provider: ProviderId): ModelId[] {
  return rows.filter((row) => row.provider === provider).map((row) => row.model);
}

/** The models of a provider that can make a transparent background (issue 12: offered, never swapped silently). */
export function transparentModels(provider: ProviderId): ModelId[] {
  return rows.filter((row) => row.provider === provider && row.backgrounds.includes('transparent')).map((row) => row.model);
}

/** Where a row has no transparent background: which model of the same provider to switch to. */
export function transparencySwitch(provider: ProviderId, model: ModelId): string | undefined {
  const able = transparentModels(provider);
  if (able.includes(model)) return undefined;
  const label = providerLabels[provider];
  return able.length > 0
    ? `${model} on ${label} cannot make a transparent background: switch to ${able.join(', ')}, which can`
    : `${model} on ${label} cannot make a transparent background: no ${label} model can`;
}

/** Why a provider that takes only URLs refuses a workspace file, naming those that would take it. */
export function localFileRefusal(label: string, model: ModelId, source: string): string {
  const others = rows.filter((row) => row.model === model && row.edit.acceptsLocalFile).map((row) => providerLabels[row.provider]);
  return `${label} needs a public https image URL and cannot use a file from your workspace (${source}); ${others.join(', ')} can edit a local file.`;
}
