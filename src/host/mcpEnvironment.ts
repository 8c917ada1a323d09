import { normalizeBaseUrl } from '../core/baseUrl';
import { apiKeyEnvVars, baseUrlEnvVar, defaultBaseUrls, providerIds } from '../core/ids';
import type { ProviderId } from '../core/ids';
import type { ApiKeyStore } from './apiKeyStore';
import type { SettingsReader } from './settings';

/**
 * The environment `gpt-image mcp` is started with when VS Code resolves its definition: the keys
 * from SecretStorage (only in the process's environment: never in a file or setting), base URLs from
 * user settings only (settings.baseUrl ignores workspace values), and the default provider.
 */
export async function mcpServerEnvironment(keys: Pick<ApiKeyStore, 'get'>, settings: Pick<SettingsReader, 'baseUrl' | 'defaultProvider'>): Promise<Record<string, string>> {
  const env: Record<string, string> = { GPT_IMAGE_PROVIDER: settings.defaultProvider() };
  await Promise.all(
    providerIds.map(async (id: ProviderId) => {
      const key = await keys.get(id);
      if (key) env[apiKeyEnvVars[id]] = key;
      const base = settings.baseUrl(id);
      const standard = normalizeBaseUrl(defaultBaseUrls[id]);
      if (base.ok && (!standard.ok || base.url !== standard.url)) env[baseUrlEnvVar(id)] = base.url;
    }),
  );
  return env;
}
