/**
 * Cost shown *before* a run (pure; bundled into the webview). core/cost.ts prices a finished call
 * from its usage; this predicts one from the form. Only APIXO
 * publishes a per-image price (docs/providers.md §6.8). OpenAI bills tokens; its per-image figures are
 * third-party estimates (U-O4), so the estimate is derived from configurable token rates and
 * labelled "about". Gravitex and Modellix publish nothing (U-G2, U-M7): "unknown", never a guess.
 */
import type { ModelCapability } from '../core/capabilities';
import type { Quality, ResolutionTier } from '../core/ids';
import { parseSizeIntent, tierForLongEdge } from '../core/size';
import { defaultTokenRates } from '../core/cost';
import type { TokenRates } from '../core/cost';

/**
 * Output image tokens for a 1024×1024 image. gpt-image-1.5: OpenAI's table (272/1056/4160).
 * gpt-image-2: back-computed from the quoted per-image prices ($0.006/$0.053/$0.211 at $30/M).
 */
const outputTokens1024: Readonly<Record<string, Readonly<Record<Exclude<Quality, 'auto'>, number>>>> = {
  'gpt-image-2': { low: 200, medium: 1767, high: 7033 },
  'gpt-image-1.5': { low: 272, medium: 1056, high: 4160 },
};

export interface CostInput {
  readonly size: string;
  readonly quality: Quality | undefined;
  readonly n: number;
  readonly promptLength: number;
}

export type CostPreview =
  | { readonly kind: 'usd'; readonly usd: number; readonly approximate: boolean; readonly basis: string }
  | { readonly kind: 'unknown'; readonly basis: string };

export function previewCost(capability: ModelCapability, input: CostInput, pricing: TokenRates = defaultTokenRates): CostPreview {
  const n = Math.max(1, Math.floor(input.n));
  if (capability.pricePerImageUsd) {
    const tier = tierOf(input.size);
    const price = capability.pricePerImageUsd[tier];
    if (price === undefined) return { kind: 'unknown', basis: `no published price for ${tier}` };
    return { kind: 'usd', usd: round(price * n), approximate: false, basis: `${n} × $${price} (${tier})` };
  }
  if (capability.provider !== 'openai') return { kind: 'unknown', basis: 'this provider publishes no price' };
  const table = outputTokens1024[capability.model];
  if (!table) return { kind: 'unknown', basis: 'no token figures for this model' };
  const quality = input.quality === undefined || input.quality === 'auto' ? 'medium' : input.quality;
  const area = areaOf(input.size);
  const perImageTokens = table[quality] * (area / (1024 * 1024));
  const promptTokens = Math.ceil(input.promptLength / 4);
  const usd =
    (perImageTokens * n * pricing.imageOutputPerMillion) / 1_000_000 + (promptTokens * pricing.textInputPerMillion) / 1_000_000;
  const assumed = input.quality === 'auto' || input.quality === undefined ? ' (auto priced as medium)' : '';
  return {
    kind: 'usd',
    usd: round(usd),
    approximate: true,
    basis: `≈${Math.round(perImageTokens)} output tokens per image at $${pricing.imageOutputPerMillion}/M${assumed}; reference images not included`,
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

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
