import { normalizeBaseUrl } from '../core/baseUrl';
import { apiKeyEnvVars, baseUrlEnvVar, defaultBaseUrls, providerIds } from '../core/ids';
import { spendLedgerEnvVar } from '../core/spendLedger';
import type { SpendLimits } from '../core/spendLimits';
import type { ProviderId } from '../core/ids';
import type { ApiKeyStore } from './apiKeyStore';
import type { SettingsReader } from './settings';

/**
 * The environment `gpt-image mcp` is started with when VS Code resolves its definition: the keys
 * from SecretStorage (only in the process's environment: never in a file or setting), base URLs from
 * user settings only (settings.baseUrl ignores workspace values), the default provider, the user's
 * `gptImage.spendLimit` as GPT_IMAGE_SPEND_LIMIT, and the window's own ledger folder (global storage
 * `spend/`) as GPT_IMAGE_SPEND_LEDGER: the server then reads and writes the entries the window does,
 * so an agent started by VS Code and the window's own jobs count against one set of caps. The folder
 * comes from the extension's globalStorageUri, never from a setting a workspace could change.
 */
export async function mcpServerEnvironment(
  keys: Pick<ApiKeyStore, 'get'>,
  settings: Pick<SettingsReader, 'baseUrl' | 'defaultProvider' | 'spendLimits'>,
  spendLedgerFolder?: string,
): Promise<Record<string, string>> {
  const env: Record<string, string> = { GPT_IMAGE_PROVIDER: settings.defaultProvider() };
  if (spendLedgerFolder !== undefined) env[spendLedgerEnvVar] = spendLedgerFolder;
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
