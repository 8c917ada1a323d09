import { normalizeBaseUrl } from '../core/baseUrl';
import { defaultFileNameTemplate } from '../core/naming';
import { modelsFor } from '../core/capabilities';
import { customModelPattern } from '../core/request';
import { defaultBaseUrls, isModelId, isProviderId, providerLabels, qualities } from '../core/ids';
import type { ModelId, ProviderId, Quality } from '../core/ids';
import { dayMs, defaultJournalRetentionDays } from '../core/journal';
import { parseSpendLimits } from '../core/spendLimits';
import type { ParsedSpendLimits } from '../core/spendLimits';
import { t } from './l10nText';

/**
 * The editor-free half of reading settings: what a value means, what is trusted, what is clamped.
 * No `vscode` import, so it is tested in plain Node; host/settings.ts feeds it real values.
 */

/** The layers of `WorkspaceConfiguration.inspect()` this module looks at. */
export interface InspectedSetting<T> {
  readonly defaultValue?: T | undefined;
  readonly globalValue?: T | undefined;
  readonly workspaceValue?: T | undefined;
  readonly workspaceFolderValue?: T | undefined;
}

export type TrustedBaseUrl =
  | { readonly ok: true; readonly url: string; readonly ignoredWorkspaceValue: boolean }
  | { readonly ok: false; readonly error: string; readonly ignoredWorkspaceValue: boolean };

/**
 * A provider's base URL from user (global) settings or the default only. A workspace or folder
 * value is ignored even if VS Code were to apply it: a cloned repository's .vscode/settings.json
 * must never be able to send the user's key to another host (the settings are also
 * application-scoped and restricted in untrusted workspaces; this is the second lock).
 */
export function trustedBaseUrl(provider: ProviderId, inspected: InspectedSetting<unknown> | undefined): TrustedBaseUrl {
  const ignoredWorkspaceValue =
    isPresent(inspected?.workspaceValue) || isPresent(inspected?.workspaceFolderValue);
  const chosen = [inspected?.globalValue, inspected?.defaultValue].find(isPresent);
  const raw = typeof chosen === 'string' ? chosen : defaultBaseUrls[provider];
  const checked = normalizeBaseUrl(raw);
  if (!checked.ok) {
    return {
      ok: false,
      error: t('The {0} base URL in your settings (gptImage.{1}.baseUrl) cannot be used: {2}', providerLabels[provider], provider, checked.error),
      ignoredWorkspaceValue,
    };
  }
  return { ok: true, url: checked.url, ignoredWorkspaceValue };
}

function isPresent(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

export type AfterGeneration = 'open' | 'reveal' | 'none';

export function parseAfterGeneration(value: unknown): AfterGeneration {
  return value === 'reveal' || value === 'none' ? value : 'open';
}

export function parseProvider(value: unknown): ProviderId {
  return typeof value === 'string' && isProviderId(value) ? value : 'openai';
}

export function parseModel(value: unknown): ModelId {
  return typeof value === 'string' && isModelId(value) ? value : 'gpt-image-2';
}

/** A `gptImage.customModels` entry: a model id without a row, validated by the listed model it is like. */
export interface CustomModel {
  readonly id: string;
  readonly provider: ProviderId;
  readonly like: ModelId;
}

/**
 * `gptImage.customModels`, each entry checked; a bad entry is left out with a sentence saying why.
 * Only OpenAI and Gravitex carry the model in the body (Modellix and APIXO put it in the URL path).
 */
export function parseCustomModels(value: unknown): { models: CustomModel[]; problems: string[] } {
  const models: CustomModel[] = [];
  const problems: string[] = [];
  for (const entry of Array.isArray(value) ? (value as unknown[]) : []) {
    const { id, provider, like } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const shown = typeof id === 'string' ? id : JSON.stringify(entry);
    if (typeof id !== 'string' || !customModelPattern.test(id) || isModelId(id)) {
      problems.push(`gptImage.customModels: "${shown}" is not a new model id (letters, digits, ".", "_" and "-", not a listed model).`);
    } else if (provider !== 'openai' && provider !== 'gravitex') {
      problems.push(`gptImage.customModels: ${shown} needs "provider": "openai" or "gravitex".`);
    } else if (typeof like !== 'string' || !isModelId(like) || !modelsFor(provider).includes(like)) {
      problems.push(`gptImage.customModels: ${shown} needs "like": one of ${modelsFor(provider).join(', ')}.`);
    } else {
      models.push({ id, provider, like });
    }
  }
  return { models, problems };
}

/** The custom model `gptImage.model` names for this provider, if it names one. */
export function customModelFor(models: readonly CustomModel[], provider: ProviderId, modelSetting: unknown): CustomModel | undefined {
  return models.find((model) => model.provider === provider && model.id === modelSetting);
}

export function parseQuality(value: unknown): Quality | undefined {
  return typeof value === 'string' && (qualities as readonly string[]).includes(value) ? (value as Quality) : undefined;
}

export function parseSizeSetting(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : '1024x1024';
}

export function parseFileNameTemplate(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : defaultFileNameTemplate;
}

/** Default per-attempt timeout: gpt-image-2 at high quality can take over two minutes. */
export const defaultRequestTimeoutSeconds = 360;

export function requestTimeoutMs(seconds: unknown): number {
  const value = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : defaultRequestTimeoutSeconds;
  return Math.round(Math.min(3600, Math.max(5, value)) * 1000);
}

/** `gptImage.partialImages`: a whole number 0–3 (rounded and clamped); anything else is 0, no streaming. */
export function partialImagesSetting(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  return Math.min(3, Math.max(0, Math.round(value)));
}

/** 0 (or nonsense) means "the provider's own schedule"; tests use 0.05 s. */
export function pollIntervalOverrideMs(seconds: unknown): number | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.round(Math.min(600, Math.max(0.05, seconds)) * 1000);
}

/** `gptImage.journalRetentionDays`: how long finished jobs stay in the journal; nonsense means the default (30). */
export function journalRetentionMs(days: unknown): number {
  const value = typeof days === 'number' && Number.isFinite(days) && days >= 1 ? days : defaultJournalRetentionDays;
  return Math.round(value * dayMs);
}

/** VS Code's `http.noProxy` is an array of hosts; tolerate a comma-separated string too. */
export function parseNoProxy(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.filter((item): item is string => typeof item === 'string').map((item) => item.trim()).filter((item) => item !== '');
}

export function parseProxy(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `gptImage.spendLimit` from user (global) settings only, like the base URLs: a cloned repository's
 * .vscode/settings.json must never be able to raise (or remove) the user's cap. A workspace value is
 * reported and ignored; the setting is also application-scoped and restricted in untrusted workspaces.
 */
export function trustedSpendLimits(inspected: InspectedSetting<unknown> | undefined): ParsedSpendLimits {
  const parsed = parseSpendLimits(inspected?.globalValue, 'gptImage.spendLimit');
  const ignored = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  if (!ignored) return parsed;
  return { limits: parsed.limits, problems: [t('Ignoring the workspace value of gptImage.spendLimit: spend limits are only read from user settings, so a repository cannot raise them.'), ...parsed.problems] };
}
