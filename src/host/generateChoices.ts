import type { ModelCapability } from '../core/capabilities';
import { modelsFor } from '../core/capabilities';
import { providerLabels } from '../core/ids';
import { t } from './l10nText';
import type { ModelId, ProviderId, Quality } from '../core/ids';
import { formatSizeIntent, parseSizeIntent, resolveSize } from '../core/size';

/**
 * What "Generate Image…" offers at each step, from the capability table: editor-free so it is
 * tested in plain Node. The palette shows only what the provider × model row allows.
 */

/** Marks the "Custom size…" row; never sent. */
export const customSizeValue = 'custom';

export interface Choice<T> {
  readonly label: string;
  readonly description?: string | undefined;
  readonly value: T;
}

/** The configured model when the provider has it, else the provider's first (Gravitex and APIXO: gpt-image-2 only). */
export function modelForProvider(provider: ProviderId, preferred: ModelId): ModelId {
  const models = modelsFor(provider);
  return models.includes(preferred) ? preferred : (models[0] ?? 'gpt-image-2');
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** `square`, `landscape 3:2`, `portrait 9:16`: enough to recognise a preset at a glance. */
export function describeShape(width: number, height: number): string {
  if (width === height) return t('square');
  const divisor = gcd(width, height);
  const ratio = `${width / divisor}:${height / divisor}`;
  const nice = width / divisor <= 21 && height / divisor <= 21;
  const shape = width > height ? t('landscape') : t('portrait');
  return nice ? `${shape} ${ratio}` : shape;
}

/** Sizes for one row: presets, `auto` where free sizes are allowed, aspect × tier for APIXO, then "Custom size…". */
export function sizeChoices(capability: ModelCapability, lastSize: string | undefined): Choice<string>[] {
  const rule = capability.size;
  if (rule.kind === 'aspectTier') {
    const choices: Choice<string>[] = [];
    for (const aspect of rule.aspects) {
      for (const tier of rule.tiers) {
        const price = capability.pricePerImageUsd?.[tier];
        choices.push({
          label: aspect === 'auto' ? t('auto aspect · {0}', tier) : `${aspect} · ${tier}`,
          description: price !== undefined ? t('${0} per image', price.toFixed(2)) : undefined,
          value: `${aspect}@${tier}`,
        });
      }
    }
    return choices;
  }
  const choices: Choice<string>[] = rule.presets.map((preset) => {
    const [width, height] = preset.split('x').map(Number);
    return { label: preset, description: describeShape(width ?? 1, height ?? 1), value: preset };
  });
  if (rule.kind === 'free') {
    choices.unshift({ label: 'auto', description: t('the model chooses'), value: 'auto' });
    if (lastSize !== undefined && !choices.some((choice) => choice.value === lastSize) && checkSize(lastSize, capability).error === undefined) {
      choices.push({ label: lastSize, description: t('last used'), value: lastSize });
    }
    choices.push({ label: t('Custom size…'), description: t('any WIDTHxHEIGHT within the rules'), value: customSizeValue });
  }
  return choices;
}

/** The size row to preselect: the last one used with this provider, else the setting, else the first. */
export function preselectedSize(choices: readonly Choice<string>[], lastSize: string | undefined, settingSize: string): string | undefined {
  for (const candidate of [lastSize, settingSize]) {
    if (candidate !== undefined && choices.some((choice) => choice.value === candidate)) return candidate;
  }
  return choices[0]?.value;
}

/** Validates a typed size for a row as the user types: an error blocks it, a warning says how it will be mapped. */
export function checkSize(text: string, capability: ModelCapability): { error?: string; warning?: string; normalized?: string } {
  if (text.trim() === '') return { error: t('Type a size such as 1536x1024.') };
  const intent = parseSizeIntent(text);
  if (typeof intent === 'string') return { error: intent };
  const resolved = resolveSize(intent, capability.size, providerLabels[capability.provider]);
  if (!resolved.ok) return { error: resolved.error };
  return { warning: resolved.warnings.join(' ') || undefined, normalized: formatSizeIntent(intent) };
}

export function qualityChoices(capability: ModelCapability): Choice<Quality>[] {
  const notes: Partial<Record<Quality, string>> = {
    auto: t('the model decides'),
    low: t('fastest, cheapest'),
    high: t('slowest, most detailed'),
  };
  return capability.qualities.map((quality) => ({
    label: quality,
    description: [notes[quality], quality === capability.defaultQuality ? t('default') : undefined].filter(Boolean).join(' · ') || undefined,
    value: quality,
  }));
}

export function preselectedQuality(capability: ModelCapability, last: Quality | undefined, setting: Quality | undefined): Quality | undefined {
  for (const candidate of [last, setting, capability.defaultQuality]) {
    if (candidate !== undefined && capability.qualities.includes(candidate)) return candidate;
  }
  return capability.qualities[0];
}

/** "Generate Image…" remembers these in globalState between runs. */
export interface LastGenerateChoices {
  readonly prompt?: string | undefined;
  readonly provider?: ProviderId | undefined;
  readonly sizes?: Partial<Record<ProviderId, string>> | undefined;
  readonly qualities?: Partial<Record<ProviderId, Quality>> | undefined;
}

export function validatePrompt(text: string, capability: ModelCapability | undefined): string | undefined {
  const prompt = text.trim();
  if (prompt === '') return t('Describe the image you want.');
  if (capability && prompt.length > capability.maxPromptLength) {
    return t('The prompt has {0} characters; {1} accepts at most {2}.', prompt.length, providerLabels[capability.provider], capability.maxPromptLength);
  }
  return undefined;
}
