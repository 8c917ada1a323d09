import { capabilityFor } from '../core/capabilities';
import type { ModelCapability } from '../core/capabilities';
import { providerIds, providerLabels } from '../core/ids';
import type { ModelId, ProviderId, Quality } from '../core/ids';
import { freeSizeRulesText } from '../core/size';
import type { GenerationRequest } from '../core/request';
import type { JobResult } from '../core/runner';
import {
  checkSize,
  customSizeValue,
  modelForProvider,
  preselectedQuality,
  preselectedSize,
  qualityChoices,
  sizeChoices,
  validatePrompt,
} from '../host/generateChoices';
import type { LastGenerateChoices } from '../host/generateChoices';
import { runJobWithNotification } from '../host/jobViews';
import { t } from '../host/l10nText';
import { resolveOutputTarget } from '../host/outputFolder';
import type { OutputTarget } from '../host/outputFolder';
import { inputText, pickOne, runSteps } from '../host/quickInput';
import type { StepOutcome } from '../host/quickInput';
import type { OpenMode } from '../host/results';
import type { Services } from '../host/services';
import { askApiKey } from './setApiKey';

const lastChoicesKey = 'gptImage.lastGenerate';

/**
 * `GPT Image: Generate Image…` — prompt → provider (with key status; a missing key is asked for
 * on the spot) → size (the row's presets, custom where allowed, aspect × tier for APIXO) →
 * quality (skipped when the provider has none). The choices are remembered for next time.
 */
export function createGenerateCommand(services: Services): () => Promise<JobResult | undefined> {
  return () => generate(services);
}

/** What an entry point already knows: the folder the images go into, the prompt (then not asked). */
export interface GivenChoices {
  readonly target?: OutputTarget | undefined;
  readonly prompt?: string | undefined;
  /** The questions' title (default "Generate Image"), e.g. naming the folder the images go into. */
  readonly title?: string | undefined;
  /** Defaults to `gptImage.afterGeneration`; a selection in Markdown gets its link instead of a tab. */
  readonly openMode?: OpenMode | undefined;
}

export async function generate(services: Services, given: GivenChoices = {}): Promise<JobResult | undefined> {
  // Where the images go is settled first: with no folder open there is nothing to ask.
  const target = given.target ?? (await resolveOutputTarget());
  if (!target) return undefined;

  const last = services.context.globalState.get<LastGenerateChoices>(lastChoicesKey) ?? {};
  const settingModel: ModelId = services.settings.model();
  let prompt = given.prompt ?? last.prompt ?? '';
  let provider: ProviderId = last.provider ?? services.settings.defaultProvider();
  let size = '';
  let quality: Quality | undefined;
  const row = (): ModelCapability => {
    const capability = capabilityFor(provider, services.settings.customModel(provider)?.like ?? modelForProvider(provider, settingModel));
    if (!capability) throw new Error(t('{0} has no model to offer.', providerLabels[provider]));
    return capability;
  };
  const totalSteps = (): number => (row().qualities.length > 0 ? 4 : 3);
  const position = (step: number, what: string): { title: string; step: number; totalSteps: number } => ({
    title: `${given.title ?? t('Generate Image')}: ${what}`,
    step,
    totalSteps: totalSteps(),
  });
  const outcome = (kind: 'value' | 'back' | 'cancel'): StepOutcome => (kind === 'value' ? 'next' : kind);

  const steps: (() => Promise<StepOutcome>)[] = [
    async () => {
      if (given.prompt !== undefined) return 'skip';
      const result = await inputText({
        ...position(1, t('prompt')),
        prompt: t('Describe the image you want.'),
        placeholder: t('A watercolor fox reading a map, soft morning light'),
        value: prompt,
        validate: (text) => ({ error: validatePrompt(text, undefined) }),
      });
      if (result.kind === 'value') prompt = result.value.trim();
      return outcome(result.kind);
    },
    async () => {
      // Back from the key box or the custom size box returns to the pick it came from.
      for (;;) {
        const status = await services.keys.status();
        const result = await pickOne<ProviderId>({
          ...position(2, t('provider')),
          placeholder: t('Which provider should make it?'),
          active: provider,
          items: providerIds.map((id) => ({
            label: providerLabels[id],
            description: status[id] ? t('$(key) key set') : t('no key — you\'ll be asked'),
            detail: describeProvider(id, settingModel),
            value: id,
          })),
        });
        if (result.kind !== 'value') return outcome(result.kind);
        provider = result.value;
        if (status[provider]) return 'next';
        const key = await askApiKey(services, provider, position(2, t('{0} API key', providerLabels[provider])));
        if (key.kind === 'value') return 'next';
        if (key.kind === 'cancel') return 'cancel';
      }
    },
    async () => {
      for (;;) {
        const capability = row();
        const choices = sizeChoices(capability, last.sizes?.[provider]);
        const result = await pickOne<string>({
          ...position(3, t('size ({0} · {1})', providerLabels[provider], capability.model)),
          placeholder: t('Image size'),
          active: preselectedSize(choices, last.sizes?.[provider], services.settings.size()),
          items: choices,
        });
        if (result.kind !== 'value') return outcome(result.kind);
        if (result.value !== customSizeValue) {
          size = result.value;
          return 'next';
        }
        const custom = await inputText({
          ...position(3, t('custom size')),
          prompt: freeSizeRulesText,
          placeholder: '1920x1088',
          value: last.sizes?.[provider] ?? '',
          validate: (text) => checkSize(text, capability),
        });
        if (custom.kind === 'cancel') return 'cancel';
        if (custom.kind === 'value') {
          size = checkSize(custom.value, capability).normalized ?? custom.value.trim();
          return 'next';
        }
      }
    },
    async () => {
      const capability = row();
      if (capability.qualities.length === 0) {
        quality = undefined;
        return 'skip';
      }
      const result = await pickOne<Quality>({
        ...position(4, t('quality')),
        placeholder: t('Quality (higher takes longer and costs more)'),
        active: preselectedQuality(capability, last.qualities?.[provider], services.settings.quality()),
        items: qualityChoices(capability),
      });
      if (result.kind === 'value') quality = result.value;
      return outcome(result.kind);
    },
  ];
  if (!(await runSteps(steps))) return undefined;

  // A custom model (gptImage.customModels named by gptImage.model) is validated by the row it is like.
  const custom = services.settings.customModel(provider);
  const model = custom?.like ?? modelForProvider(provider, settingModel);
  const remembered: LastGenerateChoices = {
    // A selection's text is not what the user typed: the prompt box keeps offering their own.
    prompt: given.prompt === undefined ? prompt : last.prompt,
    provider,
    sizes: { ...last.sizes, [provider]: size },
    qualities: quality === undefined ? last.qualities : { ...last.qualities, [provider]: quality },
  };
  await services.context.globalState.update(lastChoicesKey, remembered);

  const request: GenerationRequest = { provider, model, prompt, size, quality, n: 1, partialImages: services.settings.partialImages(), customModel: custom?.id };
  return runJobWithNotification(services, {
    request,
    output: { dir: target.uri.toString(), template: services.settings.fileNameTemplate() },
    title: t('Generating with {0}', providerLabels[provider]),
    openMode: given.openMode,
  });
}

function describeProvider(id: ProviderId, model: ModelId): string {
  const capability = capabilityFor(id, modelForProvider(id, model));
  if (!capability) return '';
  const style = capability.async ? t('submits a task and polls it') : t('answers directly');
  return `${capability.model} · ${style}`;
}
