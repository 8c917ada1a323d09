/** The four back ends that serve the gpt-image family. */
export const providerIds = ['openai', 'gravitex', 'modellix', 'apixo'] as const;
export type ProviderId = (typeof providerIds)[number];

/**
 * The models we have rows for (docs/providers.md §3.1). `gpt-image-1` is shut down and never offered;
 * a newer id can be used as a custom model that behaves like one of these (core/customModel.ts).
 */
export const modelIds = [
  'gpt-image-2',
  'gpt-image-1.5',
  'gpt-image-2.5-flare',
  'gpt-image-2.5-sunburst',
  'gpt-image-2.6-flare',
  'gpt-image-2.6-sunburst',
] as const;
export type ModelId = (typeof modelIds)[number];

/** `xhigh` and `max` exist only on the gpt-image-2.5/2.6 rows; gpt-image-2 answers them with a 400. */
export const qualities = ['low', 'medium', 'high', 'auto', 'xhigh', 'max'] as const;
export type Quality = (typeof qualities)[number];

export const backgrounds = ['auto', 'opaque', 'transparent'] as const;
export type Background = (typeof backgrounds)[number];

export const outputFormats = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** OpenAI's `moderation`: `low` is less restrictive filtering (generations only, docs/providers.md §3.2). */
export const moderations = ['auto', 'low'] as const;
export type Moderation = (typeof moderations)[number];

/** APIXO describes size as an aspect ratio and a resolution tier instead of pixels. */
export const aspectRatios = ['auto', '1:1', '4:3', '3:4', '16:9', '9:16'] as const;
export type AspectRatio = (typeof aspectRatios)[number];

export const resolutionTiers = ['1k', '2k', '4k'] as const;
export type ResolutionTier = (typeof resolutionTiers)[number];

export const providerLabels: Readonly<Record<ProviderId, string>> = {
  openai: 'OpenAI',
  gravitex: 'Gravitex',
  modellix: 'Modellix',
  apixo: 'APIXO',
};

/** Where the documented paths are appended; see docs/providers.md §1. */
export const defaultBaseUrls: Readonly<Record<ProviderId, string>> = {
  openai: 'https://api.openai.com/v1',
  gravitex: 'https://api.gravitex.ai/v1',
  modellix: 'https://api.modellix.ai/api/v1',
  apixo: 'https://api.apixo.ai/api/v1',
};

/** Environment variables the CLI (and the extension, as a fallback for tests) reads keys from. */
export const apiKeyEnvVars: Readonly<Record<ProviderId, string>> = {
  openai: 'OPENAI_API_KEY',
  gravitex: 'GRAVITEX_API_KEY',
  modellix: 'MODELLIX_API_KEY',
  apixo: 'APIXO_API_KEY',
};

/** The CLI's base URL override for a provider: `GPT_IMAGE_MODELLIX_BASE_URL`. */
export function baseUrlEnvVar(id: ProviderId): string {
  return `GPT_IMAGE_${id.toUpperCase()}_BASE_URL`;
}

export function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

export function isModelId(value: string): value is ModelId {
  return (modelIds as readonly string[]).includes(value);
}
