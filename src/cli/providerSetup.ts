import { normalizeBaseUrl } from '../core/baseUrl';
import { InputError, ProviderError } from '../core/errors';
import { apiKeyEnvVars, baseUrlEnvVar, defaultBaseUrls, providerLabels } from '../core/ids';
import type { ProviderId } from '../core/ids';
import type { HttpClient } from '../core/httpClient';
import { createProvider } from '../providers/registry';
import type { ImageProvider } from '../core/provider';
import type { Logger } from '../core/logger';

/** Synchronous generation can take minutes at high quality (issue 2): one attempt may last 5 min. */
export const requestTimeoutMs = 300_000;

/** --base-url, else GPT_IMAGE_<PROVIDER>_BASE_URL, else the documented default; plain http only to loopback. */
export function resolveBaseUrl(id: ProviderId, explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const value = explicit ?? env[baseUrlEnvVar(id)] ?? defaultBaseUrls[id];
  const checked = normalizeBaseUrl(value);
  if (!checked.ok) throw new InputError([`${explicit !== undefined ? '--base-url' : baseUrlEnvVar(id)}: ${checked.error}`]);
  return checked.url;
}

/** A missing key is caught before anything is sent (exit 2). */
export function requireApiKey(id: ProviderId, env: NodeJS.ProcessEnv): void {
  if (!env[apiKeyEnvVars[id]]?.trim()) {
    throw new InputError([`${apiKeyEnvVars[id]} is not set: export your ${providerLabels[id]} API key in it.`]);
  }
}

export function buildProvider(id: ProviderId, baseUrl: string, http: HttpClient, log: Logger, env: NodeJS.ProcessEnv): ImageProvider {
  return createProvider(id, {
    baseUrl,
    http,
    log,
    now: () => Date.now(),
    requestTimeoutMs,
    // Read per request, like the extension's SecretStorage.
    getApiKey: async () => {
      const key = env[apiKeyEnvVars[id]]?.trim();
      if (!key) throw new ProviderError({ kind: 'auth', provider: id, message: `${apiKeyEnvVars[id]} is not set.` });
      return key;
    },
  });
}
