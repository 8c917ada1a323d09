import type { ModelCapability } from './capabilities';
import type { ProviderId } from './ids';
import type { WireSize } from './size';
import type { ImageUsage } from './provider';

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

export interface CostInput {
  readonly provider: ProviderId;
  readonly capability: ModelCapability | undefined;
  readonly size: WireSize;
  /** Images this paid call produced. */
  readonly images: number;
  readonly usage: ImageUsage | undefined;
  readonly rates?: TokenRates | undefined;
}

/**
 * An estimate for one paid call, never a bill: APIXO publishes a price per image and tier; OpenAI
 * reports token usage that we multiply by (configurable) rates. Everything else says "unknown"
 * rather than guess (Modellix U-M7, Gravitex U-G2).
 */
export function estimateCost(input: CostInput): CostEstimate {
  const perImage = input.capability?.pricePerImageUsd;
  if (perImage && input.size.kind === 'aspectTier') {
    const price = perImage[input.size.tier];
    if (price !== undefined) {
      return { kind: 'estimate', usd: round(price * input.images), basis: `${input.images} × $${price} per ${input.size.tier} image` };
    }
  }
  if (input.provider === 'openai' && input.usage) return tokenEstimate(input.usage, input.rates ?? defaultTokenRates);
  return { kind: 'unknown' };
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

/** The part of a call's cost that belongs to one of its images (provenance is per image). */
export function perImageUsd(estimate: CostEstimate, images: number): number | undefined {
  return estimate.kind === 'estimate' && images > 0 ? round(estimate.usd / images) : undefined;
}
