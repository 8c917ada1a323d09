import type { ModelCapability } from './capabilities';
import type { Quality, ResolutionTier } from './ids';
import type { ImageUsage } from './provider';
import { parseSizeIntent, tierForLongEdge } from './size';

/** USD per one million tokens; OpenAI's published gpt-image-2 rates (docs/providers.md §2.8, U-O4). */
export interface TokenRates {
  readonly textInputPerMillion: number;
  readonly imageInputPerMillion: number;
  readonly imageOutputPerMillion: number;
}

export const defaultTokenRates: TokenRates = {
  textInputPerMillion: 5,
  imageInputPerMillion: 8,
  imageOutputPerMillion: 30,
};

export type CostEstimate =
  | { readonly kind: 'estimate'; readonly usd: number; readonly basis: string }
  | { readonly kind: 'unknown' };

/** One paid call, before it runs (the Studio's preview) or after (provenance): the same facts either way. */
export interface CostInput {
  /** The provider × model row (its provider decides how it is priced). */
  readonly capability: ModelCapability | undefined;
  /** The size as asked or sent: `1024x1024`, `auto`, `16:9@2k` (core/size.ts wireSizeText for a sent one). */
  readonly size: string;
  readonly quality: Quality | undefined;
  /** Images the call makes (or made). */
  readonly images: number;
  /** Characters of the prompt: a prediction counts its text tokens. */
  readonly promptLength: number;
  /** What the provider reported after the call (OpenAI's token usage); absent before it. */
  readonly usage?: ImageUsage | undefined;
  readonly rates?: TokenRates | undefined;
  /** Sent through OpenAI's Batch API: "50% cost discount compared to synchronous APIs" (docs/providers.md §7.3). */
  readonly batchApi?: boolean | undefined;
}

/** What the Batch API charges of the synchronous price. */
export const batchApiPriceFactor = 0.5;

/**
 * An estimate for one paid call, never a bill: APIXO publishes a price per image and tier; OpenAI
 * reports token usage that we multiply by (configurable) rates. Everything else says "unknown"
 * rather than guess (Modellix U-M7, Gravitex U-G2).
 */
export function estimateCost(input: CostInput): CostEstimate {
  const perImage = input.capability?.pricePerImageUsd;
  const tier = aspectTierOf(input.size);
  if (perImage && tier !== undefined) {
    const price = perImage[tier];
    if (price !== undefined) {
      return { kind: 'estimate', usd: round(price * input.images), basis: `${input.images} × $${price} per ${tier} image` };
    }
  }
  if (input.capability?.provider === 'openai' && input.usage) return discounted(tokenEstimate(input.usage, input.rates ?? defaultTokenRates), input.batchApi);
  return { kind: 'unknown' };
}

function discounted(estimate: CostEstimate, batchApi: boolean | undefined): CostEstimate {
  if (!batchApi || estimate.kind !== 'estimate') return estimate;
  return { kind: 'estimate', usd: round(estimate.usd * batchApiPriceFactor), basis: `${estimate.basis}, Batch API (50 % off)` };
}

function tokenEstimate(usage: ImageUsage, rates: TokenRates): CostEstimate {
  const output = usage.outputImageTokens ?? usage.outputTokens;
  if (output === undefined) return { kind: 'unknown' };
  // Without the input breakdown all input tokens count as text (the cheaper rate: an underestimate
  // only when images were sent, which the breakdown reports whenever they were).
  const imageInput = usage.inputImageTokens ?? 0;
  const textInput = usage.inputTextTokens ?? Math.max(0, (usage.inputTokens ?? 0) - imageInput);
  const usd =
    (textInput * rates.textInputPerMillion + imageInput * rates.imageInputPerMillion + output * rates.imageOutputPerMillion) /
    1_000_000;
  return { kind: 'estimate', usd: round(usd), basis: `${textInput + imageInput} input + ${output} output tokens` };
}

function round(usd: number): number {
  return Math.round(usd * 1_000_000) / 1_000_000;
}

/** The tier of an aspect-ratio size (`16:9@2k`); APIXO prices by it. */
function aspectTierOf(size: string): ResolutionTier | undefined {
  const intent = parseSizeIntent(size);
  return typeof intent !== 'string' && intent.kind === 'aspect' ? intent.tier : undefined;
}

/** The part of a call's cost that belongs to one of its images (provenance is per image). */
export function perImageUsd(estimate: CostEstimate, images: number): number | undefined {
  return estimate.kind === 'estimate' && images > 0 ? round(estimate.usd / images) : undefined;
}

/**
 * Output image tokens for a 1024×1024 image. gpt-image-1.5: OpenAI's table (272/1056/4160).
 * gpt-image-2: back-computed from the quoted per-image prices ($0.006/$0.053/$0.211 at $30/M).
 */
const outputTokens1024: Readonly<Record<string, Readonly<Partial<Record<Exclude<Quality, 'auto'>, number>>>>> = {
  'gpt-image-2': { low: 200, medium: 1767, high: 7033 },
  'gpt-image-1.5': { low: 272, medium: 1056, high: 4160 },
};

export type CostPreview =
  | { readonly kind: 'usd'; readonly usd: number; readonly approximate: boolean; readonly basis: string }
  | { readonly kind: 'unknown'; readonly basis: string };

/**
 * The cost shown *before* a run (bundled into the webview): only APIXO publishes a per-image price
 * (docs/providers.md §6.8). OpenAI bills tokens and its per-image figures are third-party estimates
 * (U-O4), so this derives one from the token rates and labels it "about". Gravitex and Modellix
 * publish nothing (U-G2, U-M7): "unknown", never a guess.
 */
export function previewCost(input: CostInput): CostPreview {
  const capability = input.capability;
  if (!capability) return { kind: 'unknown', basis: 'no such model' };
  const pricing = input.rates ?? defaultTokenRates;
  const n = Math.max(1, Math.floor(input.images));
  if (capability.pricePerImageUsd) {
    const tier = tierOf(input.size);
    const price = capability.pricePerImageUsd[tier];
    if (price === undefined) return { kind: 'unknown', basis: `no published price for ${tier}` };
    return { kind: 'usd', usd: roundPreview(price * n), approximate: false, basis: `${n} × $${price} (${tier})` };
  }
  if (capability.provider !== 'openai') return { kind: 'unknown', basis: 'this provider publishes no price' };
  const table = outputTokens1024[capability.model];
  if (!table) return { kind: 'unknown', basis: 'no token figures for this model' };
  const quality = input.quality === undefined || input.quality === 'auto' ? 'medium' : input.quality;
  const area = areaOf(input.size);
  const tokens = table[quality];
  if (tokens === undefined) return { kind: 'unknown', basis: `no token figures for quality ${quality}` };
  const perImageTokens = tokens * (area / (1024 * 1024));
  const promptTokens = Math.ceil(input.promptLength / 4);
  const usd =
    (perImageTokens * n * pricing.imageOutputPerMillion) / 1_000_000 + (promptTokens * pricing.textInputPerMillion) / 1_000_000;
  const assumed = input.quality === 'auto' || input.quality === undefined ? ' (auto priced as medium)' : '';
  const factor = input.batchApi ? batchApiPriceFactor : 1;
  return {
    kind: 'usd',
    usd: roundPreview(usd * factor),
    approximate: true,
    basis: `≈${Math.round(perImageTokens)} output tokens per image at $${pricing.imageOutputPerMillion}/M${assumed}${input.batchApi ? ', Batch API (50 % off)' : ''}; reference images not included`,
  };
}

export function formatUsd(value: number): string {
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(3)}`;
}

function tierOf(size: string): ResolutionTier {
  const intent = parseSizeIntent(size);
  if (typeof intent === 'string' || intent.kind === 'auto') return '1k';
  if (intent.kind === 'aspect') return intent.tier;
  return tierForLongEdge(Math.max(intent.width, intent.height));
}

function areaOf(size: string): number {
  const intent = parseSizeIntent(size);
  if (typeof intent !== 'string' && intent.kind === 'pixels' && intent.width > 0 && intent.height > 0) {
    return intent.width * intent.height;
  }
  return 1024 * 1024;
}

function roundPreview(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
