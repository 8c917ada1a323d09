import type { SizeRule } from './capabilities';
import { aspectRatios } from './ids';
import type { AspectRatio, ResolutionTier } from './ids';

/** What the user asked for, independent of any provider. */
export type SizeIntent =
  | { readonly kind: 'auto' }
  | { readonly kind: 'pixels'; readonly width: number; readonly height: number }
  | { readonly kind: 'aspect'; readonly aspect: AspectRatio; readonly tier: ResolutionTier };

/** What is sent: a WxH string (or `auto`) for OpenAI-style APIs, aspect × tier for APIXO. */
export type WireSize =
  | { readonly kind: 'wxh'; readonly value: `${number}x${number}` | 'auto' }
  | { readonly kind: 'aspectTier'; readonly aspect: AspectRatio; readonly tier: ResolutionTier };

export type SizeResolution =
  | { readonly ok: true; readonly size: WireSize; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** OpenAI's rules for gpt-image-2 free sizes (docs/providers.md §3.2). */
export const freeSizeLimits = {
  multipleOf: 16,
  maxEdge: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
} as const;

/** A sent size in the notation users type (`1536x1024`, `auto`, `16:9@2k`), for cost and display. */
export function wireSizeText(size: WireSize): string {
  return size.kind === 'wxh' ? size.value : `${size.aspect}@${size.tier}`;
}

/** The free-size rules in one sentence, for a box that asks for a custom size. */
export const freeSizeRulesText =
  `WIDTHxHEIGHT: multiples of ${freeSizeLimits.multipleOf}, longest edge up to ${freeSizeLimits.maxEdge}, at most ${freeSizeLimits.maxRatio}:1, ` +
  `${freeSizeLimits.minPixels.toLocaleString('en-US')} to ${freeSizeLimits.maxPixels.toLocaleString('en-US')} pixels.`;

/**
 * Parses `auto`, `WxH` (also `W×H`, `W*H`) and `W:H` with an optional `@1k|2k|4k` tier.
 * Returns an error message for anything else.
 */
export function parseSizeIntent(text: string): SizeIntent | string {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'auto') return { kind: 'auto' };
  const pixels = /^(\d{1,5})\s*[x×*]\s*(\d{1,5})$/.exec(value);
  if (pixels) return { kind: 'pixels', width: Number(pixels[1]), height: Number(pixels[2]) };
  const aspect = /^(\d{1,2}:\d{1,2}|auto)(?:\s*@\s*(1k|2k|4k))?$/.exec(value);
  if (aspect) {
    const ratio = aspect[1] as string;
    if (!(aspectRatios as readonly string[]).includes(ratio)) {
      return `Aspect ratio ${ratio} is not one of ${aspectRatios.join(', ')}.`;
    }
    return { kind: 'aspect', aspect: ratio as AspectRatio, tier: (aspect[2] ?? '1k') as ResolutionTier };
  }
  return `"${text}" is not a size: use WIDTHxHEIGHT (for example 1536x1024), auto, or an aspect ratio such as 16:9@2k.`;
}

export function formatSizeIntent(intent: SizeIntent): string {
  if (intent.kind === 'auto') return 'auto';
  if (intent.kind === 'pixels') return `${intent.width}x${intent.height}`;
  return `${intent.aspect}@${intent.tier}`;
}

/** Checks OpenAI's free-size rules; returns the first rule broken, or undefined. */
export function freeSizeProblem(width: number, height: number): string | undefined {
  const limits = freeSizeLimits;
  const size = `${width}x${height}`;
  if (width % limits.multipleOf !== 0 || height % limits.multipleOf !== 0) {
    return `Size ${size}: both edges must be multiples of 16.`;
  }
  if (Math.max(width, height) > limits.maxEdge) return `Size ${size}: the longest edge may be at most 3840 pixels.`;
  if (Math.max(width, height) / Math.min(width, height) > limits.maxRatio) {
    return `Size ${size}: the long edge may be at most 3 times the short edge.`;
  }
  const pixels = width * height;
  if (pixels < limits.minPixels) return `Size ${size} is too small: at least 655,360 pixels (for example 1024x640).`;
  if (pixels > limits.maxPixels) return `Size ${size} is too large: at most 8,294,400 pixels (3840x2160).`;
  return undefined;
}

const ratioValues: Readonly<Record<Exclude<AspectRatio, 'auto'>, number>> = {
  '1:1': 1,
  '4:3': 4 / 3,
  '3:4': 3 / 4,
  '16:9': 16 / 9,
  '9:16': 9 / 16,
};

/** Long edge we assume per tier; APIXO does not document its pixels (U-A1). */
const tierLongEdge: Readonly<Record<ResolutionTier, number>> = { '1k': 1024, '2k': 2048, '4k': 3840 };

export function tierForLongEdge(longEdge: number): ResolutionTier {
  if (longEdge <= 1024) return '1k';
  if (longEdge <= 2048) return '2k';
  return '4k';
}

export function nearestAspect(width: number, height: number, allowed: readonly AspectRatio[]): AspectRatio {
  const target = Math.log(width / height);
  let best: AspectRatio = 'auto';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const aspect of allowed) {
    if (aspect === 'auto') continue;
    const distance = Math.abs(Math.log(ratioValues[aspect]) - target);
    if (distance < bestDistance) {
      best = aspect;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Pixels for an aspect × tier on a free-size provider: the tier's long edge, grown in steps of 16
 * while the image is below OpenAI's pixel minimum (16:9 at 1k is 1024x576 = 589,824 px, too small:
 * it becomes 1088x608, the first size that fits), or shrunk in steps of 16 while it is above the maximum (4:3 at 4k).
 */
export function pixelsForAspect(aspect: AspectRatio, tier: ResolutionTier): { width: number; height: number } {
  const ratio = aspect === 'auto' ? 1 : ratioValues[aspect];
  const long = Math.max(ratio, 1 / ratio);
  const at = (longEdge: number): { width: number; height: number } => {
    const shortEdge = Math.max(16, Math.round(longEdge / long / 16) * 16);
    return ratio >= 1 ? { width: longEdge, height: shortEdge } : { width: shortEdge, height: longEdge };
  };
  let longEdge = tierLongEdge[tier];
  // Bounded by the max edge either way, so an aspect no size fits cannot loop forever.
  while (pixelsOf(at(longEdge)) < freeSizeLimits.minPixels && longEdge + 16 <= freeSizeLimits.maxEdge) longEdge += 16;
  while (pixelsOf(at(longEdge)) > freeSizeLimits.maxPixels && longEdge > 1024) longEdge -= 16;
  return at(longEdge);
}

function pixelsOf(size: { readonly width: number; readonly height: number }): number {
  return size.width * size.height;
}

function parsePreset(preset: string): { width: number; height: number } {
  const [width, height] = preset.split('x').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}

function nearestPreset(width: number, height: number, presets: readonly string[]): string {
  const ratio = Math.log(width / height);
  const area = Math.log(width * height);
  let best = presets[0] ?? '1024x1024';
  let bestScore = Number.POSITIVE_INFINITY;
  for (const preset of presets) {
    const candidate = parsePreset(preset);
    // Shape matters more than resolution: a wrong aspect ratio crops the subject.
    const score =
      3 * Math.abs(Math.log(candidate.width / candidate.height) - ratio) +
      Math.abs(Math.log(candidate.width * candidate.height) - area);
    if (score < bestScore) {
      best = preset;
      bestScore = score;
    }
  }
  return best;
}

/** Maps a size intent onto what one provider × model accepts. */
export function resolveSize(intent: SizeIntent, rule: SizeRule, providerLabel: string): SizeResolution {
  switch (rule.kind) {
    case 'free': {
      if (intent.kind === 'auto') return { ok: true, size: { kind: 'wxh', value: 'auto' }, warnings: [] };
      const { width, height } = intent.kind === 'pixels' ? intent : pixelsForAspect(intent.aspect, intent.tier);
      const problem = freeSizeProblem(width, height);
      if (problem !== undefined) return { ok: false, error: problem };
      return { ok: true, size: { kind: 'wxh', value: `${width}x${height}` }, warnings: [] };
    }
    case 'presets': {
      if (intent.kind === 'auto') return { ok: true, size: { kind: 'wxh', value: asWxh(rule.defaultPreset) }, warnings: [] };
      const { width, height } = intent.kind === 'pixels' ? intent : pixelsForAspect(intent.aspect, intent.tier);
      if (width <= 0 || height <= 0) return { ok: false, error: `Size ${width}x${height} has an empty edge.` };
      const asked = `${width}x${height}`;
      if (rule.presets.includes(asked)) return { ok: true, size: { kind: 'wxh', value: asWxh(asked) }, warnings: [] };
      const chosen = nearestPreset(width, height, rule.presets);
      return {
        ok: true,
        size: { kind: 'wxh', value: asWxh(chosen) },
        warnings: [`${providerLabel} does not offer ${asked}; using the nearest size it has, ${chosen}.`],
      };
    }
    case 'aspectTier': {
      if (intent.kind === 'auto') return { ok: true, size: { kind: 'aspectTier', aspect: 'auto', tier: '1k' }, warnings: [] };
      if (intent.kind === 'aspect') {
        if (!rule.aspects.includes(intent.aspect) || !rule.tiers.includes(intent.tier)) {
          return { ok: false, error: `${providerLabel} does not offer ${intent.aspect} at ${intent.tier}.` };
        }
        return { ok: true, size: { kind: 'aspectTier', aspect: intent.aspect, tier: intent.tier }, warnings: [] };
      }
      const { width, height } = intent;
      if (width <= 0 || height <= 0) return { ok: false, error: `Size ${width}x${height} has an empty edge.` };
      const aspect = nearestAspect(width, height, rule.aspects);
      const tier = tierForLongEdge(Math.max(width, height));
      const warnings: string[] = [];
      const exact = Math.abs(Math.log(ratioValues[aspect as Exclude<AspectRatio, 'auto'>] / (width / height))) < 0.01;
      if (!exact) {
        warnings.push(
          `${providerLabel} sizes by aspect ratio: ${width}x${height} becomes ${aspect} at ${tier}, so the shape changes.`,
        );
      }
      return { ok: true, size: { kind: 'aspectTier', aspect, tier }, warnings };
    }
  }
}

function asWxh(value: string): `${number}x${number}` {
  return value as `${number}x${number}`;
}
