import { normalizeBaseUrl } from '../core/baseUrl';
import { apiKeyEnvVars, baseUrlEnvVar, defaultBaseUrls, providerIds } from '../core/ids';
import type { SpendLimits } from '../core/spendLimits';
import type { ProviderId } from '../core/ids';
import type { ApiKeyStore } from './apiKeyStore';
import type { SettingsReader } from './settings';

/**
 * The environment `gpt-image mcp` is started with when VS Code resolves its definition: the keys
 * from SecretStorage (only in the process's environment: never in a file or setting), base URLs from
 * user settings only (settings.baseUrl ignores workspace values), the default provider, and the
 * user's `gptImage.spendLimit` as GPT_IMAGE_SPEND_LIMIT: an agent started by VS Code must not spend
 * past the caps the user set in VS Code. (The server keeps its own ledger beside the CLI journal,
 * so the caps hold for its jobs; the window's and the server's spending are counted apart.)
 */
export async function mcpServerEnvironment(keys: Pick<ApiKeyStore, 'get'>, settings: Pick<SettingsReader, 'baseUrl' | 'defaultProvider' | 'spendLimits'>): Promise<Record<string, string>> {
  const env: Record<string, string> = { GPT_IMAGE_PROVIDER: settings.defaultProvider() };
  const limits = settings.spendLimits();
  if (limits) env.GPT_IMAGE_SPEND_LIMIT = spendLimitJson(limits);
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

/** The setting's caps in the shape GPT_IMAGE_SPEND_LIMIT reads (where they came from is not a cap). */
function spendLimitJson(limits: SpendLimits): string {
  const { source: _source, ...caps } = limits;
  return JSON.stringify(caps);
}
