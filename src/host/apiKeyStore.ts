import type * as vscode from 'vscode';
import { ProviderError } from '../core/errors';
import { providerIds, providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import type { SecretScrubber } from '../core/secrets';
import { t } from './l10nText';

/** API keys, one SecretStorage entry per provider. Nothing else in the extension stores a key. */
export interface ApiKeyStore {
  get(provider: ProviderId): Promise<string | undefined>;
  /** For providers: the key, or a ProviderError(kind 'auth') that says how to set one. */
  require(provider: ProviderId): Promise<string>;
  has(provider: ProviderId): Promise<boolean>;
  /** Which providers have a key, for pickers. */
  status(): Promise<Record<ProviderId, boolean>>;
  set(provider: ProviderId, key: string): Promise<void>;
  delete(provider: ProviderId): Promise<void>;
}

export function secretKeyName(provider: ProviderId): string {
  return `gptImage.apiKey.${provider}`;
}

/** Whether a SecretStorage entry is one of our provider keys (the name only; the value is never read here). */
export function isApiKeySecret(name: string): boolean {
  return providerIds.some((provider) => name === secretKeyName(provider));
}

export function createApiKeyStore(secrets: vscode.SecretStorage, scrubber: SecretScrubber): ApiKeyStore {
  const get = async (provider: ProviderId): Promise<string | undefined> => {
    const key = (await secrets.get(secretKeyName(provider)))?.trim();
    if (!key) return undefined;
    scrubber.add(key);
    return key;
  };
  return {
    get,
    require: async (provider) => {
      const key = await get(provider);
      if (key !== undefined) return key;
      throw new ProviderError({
        kind: 'auth',
        provider,
        message: t('No API key is set for {0}.', providerLabels[provider]),
      });
    },
    has: async (provider) => (await get(provider)) !== undefined,
    status: async () => {
      const entries = await Promise.all(providerIds.map(async (id) => [id, (await get(id)) !== undefined] as const));
      return Object.fromEntries(entries) as Record<ProviderId, boolean>;
    },
    set: async (provider, key) => {
      scrubber.add(key);
      await secrets.store(secretKeyName(provider), key.trim());
    },
    delete: (provider) => Promise.resolve(secrets.delete(secretKeyName(provider))),
  };
}
