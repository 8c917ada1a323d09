import * as vscode from 'vscode';
import type { ModelId, ProviderId, Quality } from '../core/ids';
import type { Logger } from '../core/logger';
import {
  customModelFor,
  parseAfterGeneration,
  parseCustomModels,
  parseFileNameTemplate,
  parseModel,
  parseNoProxy,
  parseProvider,
  parseProxy,
  parseQuality,
  parseSizeSetting,
  partialImagesSetting,
  journalRetentionMs,
  pollIntervalOverrideMs,
  requestTimeoutMs,
  trustedBaseUrl,
  trustedSpendLimits,
} from './settingsRules';
import type { SpendLimits } from '../core/spendLimits';
import type { AfterGeneration, CustomModel, TrustedBaseUrl } from './settingsRules';

/**
 * Settings, read at the moment they are used so a change applies without a reload.
 * The meaning of each value is in settingsRules.ts (tested without an editor).
 */
export interface SettingsReader {
  defaultProvider(): ProviderId;
  model(): ModelId;
  /**
   * The `gptImage.customModels` entry that `gptImage.model` names for this provider. Any scope is read:
   * a custom model changes only the model id sent to the configured base URL, never where a key goes
   * (base URLs stay user-only), and every result made with one says its capabilities were assumed.
   */
  customModel(provider: ProviderId): CustomModel | undefined;
  size(): string;
  quality(): Quality | undefined;
  /** The raw `gptImage.outputFolder` value; outputFolder.ts confines it to the workspace folder. */
  outputFolder(): unknown;
  fileNameTemplate(): string;
  afterGeneration(): AfterGeneration;
  pollIntervalOverrideMs(): number | undefined;
  /** Streamed partial images per request (`gptImage.partialImages`, 0–3; 0 = no streaming). */
  partialImages(): number;
  requestTimeoutMs(): number;
  /** How long finished jobs stay in the journal (`gptImage.journalRetentionDays`). */
  journalRetentionMs(): number;
  /** From user settings or the default only; a workspace value is ignored with a logged warning. */
  baseUrl(provider: ProviderId): TrustedBaseUrl;
  proxy(): { readonly proxy: string | undefined; readonly noProxy: string[] };
  /** `gptImage.spendLimit`, from user settings only; each ignored value is logged once. */
  spendLimits(): SpendLimits | undefined;
}

export function createSettingsReader(log: Logger): SettingsReader {
  const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('gptImage');
  const warned = new Set<string>();
  return {
    defaultProvider: () => parseProvider(section().get('defaultProvider')),
    model: () => parseModel(section().get('model')),
    customModel: (provider) => {
      const { models, problems } = parseCustomModels(section().get('customModels'));
      for (const problem of problems) {
        if (!warned.has(problem)) log.warn(problem);
        warned.add(problem);
      }
      return customModelFor(models, provider, section().get('model'));
    },
    size: () => parseSizeSetting(section().get('size')),
    quality: () => parseQuality(section().get('quality')),
    outputFolder: () => section().get('outputFolder'),
    fileNameTemplate: () => parseFileNameTemplate(section().get('fileNameTemplate')),
    afterGeneration: () => parseAfterGeneration(section().get('afterGeneration')),
    pollIntervalOverrideMs: () => pollIntervalOverrideMs(section().get('pollIntervalSeconds')),
    partialImages: () => partialImagesSetting(section().get('partialImages')),
    requestTimeoutMs: () => requestTimeoutMs(section().get('requestTimeoutSeconds')),
    journalRetentionMs: () => journalRetentionMs(section().get('journalRetentionDays')),
    baseUrl: (provider) => {
      const result = trustedBaseUrl(provider, section().inspect(`${provider}.baseUrl`));
      const note = `gptImage.${provider}.baseUrl`;
      if (result.ignoredWorkspaceValue && !warned.has(note)) {
        warned.add(note);
        log.warn(`Ignoring the workspace value of ${note}: base URLs are only read from user settings, so a repository cannot redirect your API key.`);
      }
      return result;
    },
    spendLimits: () => {
      const { limits, problems } = trustedSpendLimits(section().inspect('spendLimit'));
      for (const problem of problems) {
        if (!warned.has(problem)) log.warn(problem);
        warned.add(problem);
      }
      return limits;
    },
    proxy: () => {
      const http = vscode.workspace.getConfiguration('http');
      return { proxy: parseProxy(http.get('proxy')), noProxy: parseNoProxy(http.get('noProxy')) };
    },
  };
}
