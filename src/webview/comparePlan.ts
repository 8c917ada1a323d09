/**
 * "Compare on…" without a DOM: one prompt run on several provider × model rows, one job each.
 * Each run is the form fitted to its own row (what that row allows), with the size carried over
 * as closely as the row's grammar lets it. Nothing is sent when any run has a problem: the user
 * fixes it first, so a compare never pays for half of what was asked.
 */
import type { ModelCapability } from '../core/capabilities';
import { providerLabels } from '../core/ids';
import type { AspectRatio, ModelId, ProviderId, ResolutionTier } from '../core/ids';
import { parseSizeIntent } from '../core/size';
import { fitStateToCapability, formProblems, generateForm, sizeChoices, sizeOf } from './formModel';
import type { StudioState } from './formModel';
import { t } from './l10nText';
import type { GenerateForm } from './protocol';

/** A row to compare on, written `provider/model` (how the page keeps the choice). */
export type CompareTarget = `${ProviderId}/${ModelId}`;

export function targetOf(capability: Pick<ModelCapability, 'provider' | 'model'>): CompareTarget {
  return `${capability.provider}/${capability.model}`;
}

export function targetLabel(target: string): string {
  const [provider, model] = target.split('/');
  const label = provider && provider in providerLabels ? providerLabels[provider as ProviderId] : provider;
  return `${label} · ${model ?? ''}`;
}

export interface ComparePlan {
  /** One form per target, in the order chosen; empty when there are problems. */
  readonly runs: ReadonlyArray<{ readonly target: CompareTarget; readonly form: GenerateForm }>;
  /** Why nothing can be sent yet, one sentence each. */
  readonly problems: readonly string[];
}

/** The most images one compare may start: each target is a paid job. */
export const maxCompareTargets = 4;

export function planCompare(
  state: StudioState,
  targets: readonly string[],
  capabilities: readonly ModelCapability[],
  keys: Readonly<Record<ProviderId, boolean>>,
): ComparePlan {
  const unique = [...new Set(targets)];
  const problems: string[] = [];
  if (unique.length < 2) problems.push(t('Choose at least two providers or models to compare.'));
  if (unique.length > maxCompareTargets) problems.push(t('Compare on at most {0} at once (each is a paid job).', maxCompareTargets));
  const source = capabilities.find((row) => row.provider === state.provider && row.model === state.model);
  const runs: Array<{ target: CompareTarget; form: GenerateForm }> = [];
  for (const target of unique) {
    const capability = capabilities.find((row) => targetOf(row) === target);
    if (!capability) {
      problems.push(t('{0} is not offered.', target));
      continue;
    }
    if (!keys[capability.provider]) problems.push(t('No {0} key is set.', providerLabels[capability.provider]));
    const fitted = fittedState(state, source, capability);
    for (const problem of formProblems(fitted, capability)) problems.push(`${targetLabel(target)}: ${problem}`);
    runs.push({ target: targetOf(capability), form: { ...generateForm(fitted, capability), n: 1 } });
  }
  const distinct = [...new Set(problems)];
  return { runs: distinct.length > 0 ? [] : runs, problems: distinct };
}

/** A copy of the form for another row: same prompt and references, the size in that row's terms. */
function fittedState(state: StudioState, source: ModelCapability | undefined, capability: ModelCapability): StudioState {
  const copy: StudioState = { ...state, provider: capability.provider, model: capability.model, references: [...state.references], jobs: [], n: 1 };
  const size = source ? sizeOf(state, source) : 'auto';
  carrySize(copy, size, capability);
  fitStateToCapability(copy, capability);
  return copy;
}

function carrySize(state: StudioState, size: string, capability: ModelCapability): void {
  const intent = parseSizeIntent(size);
  const ratio =
    typeof intent === 'string' || intent.kind === 'auto'
      ? undefined
      : intent.kind === 'pixels'
        ? intent.width / intent.height
        : intent.aspect === 'auto'
          ? undefined
          : aspectValue(intent.aspect);
  const rule = capability.size;
  if (rule.kind === 'aspectTier') {
    const aspects = rule.aspects.filter((aspect) => aspect !== 'auto');
    state.aspect = ratio === undefined && rule.aspects.includes('auto') ? 'auto' : nearest(aspects, ratio ?? 1, aspectValue) ?? rule.aspects[0] ?? 'auto';
    if (typeof intent !== 'string' && intent.kind === 'aspect' && rule.tiers.includes(intent.tier)) state.tier = intent.tier;
    else if (typeof intent !== 'string' && intent.kind === 'pixels') state.tier = tierFor(Math.max(intent.width, intent.height), rule.tiers);
    return;
  }
  const choices = sizeChoices(capability);
  if (typeof intent !== 'string' && intent.kind === 'pixels' && (choices.presets.includes(size) || choices.custom)) {
    state.sizeChoice = choices.presets.includes(size) ? size : 'custom';
    state.customSize = size;
    return;
  }
  if (ratio === undefined) {
    state.sizeChoice = choices.auto ? 'auto' : rule.kind === 'presets' ? rule.defaultPreset : 'auto';
    return;
  }
  state.sizeChoice = nearest(choices.presets, ratio, presetRatio) ?? (choices.auto ? 'auto' : '');
}

function aspectValue(aspect: AspectRatio): number {
  const [width, height] = aspect.split(':').map(Number);
  return width && height ? width / height : 1;
}

function presetRatio(preset: string): number {
  const [width, height] = preset.split('x').map(Number);
  return width && height ? width / height : 1;
}

function nearest<T>(items: readonly T[], ratio: number, valueOf: (item: T) => number): T | undefined {
  let best: T | undefined;
  let distance = Infinity;
  for (const item of items) {
    const gap = Math.abs(Math.log(valueOf(item) / ratio));
    if (gap < distance) {
      best = item;
      distance = gap;
    }
  }
  return best;
}

function tierFor(longSide: number, tiers: readonly ResolutionTier[]): ResolutionTier {
  const wanted: ResolutionTier = longSide <= 1024 ? '1k' : longSide <= 2048 ? '2k' : '4k';
  return tiers.includes(wanted) ? wanted : (tiers[0] ?? '1k');
}
