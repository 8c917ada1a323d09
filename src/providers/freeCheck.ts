import { isProviderError } from '../core/errors';
import type { ProviderId } from '../core/ids';
import { providerLabels } from '../core/ids';
import type { HttpClient } from '../core/httpClient';
import { clip, field, readJsonReply } from './asyncTask';
import { authorizationFor } from './http';

/**
 * "Check Setup" asks each provider one question that costs nothing (docs/providers.md §2.9): a read
 * of the account or of the model list, never a generation. Providers without such an endpoint are
 * not contacted at all: a probe that might be billed is not a probe.
 */
export interface FreeEndpoint {
  /** Appended to the base URL. */
  readonly path: string;
  /** What the answer proves, for the log. */
  readonly what: string;
}

export const freeEndpoints: Readonly<Record<ProviderId, FreeEndpoint | undefined>> = {
  openai: { path: '/models', what: 'the model list' },
  // Gravitex documents no free read (docs/providers.md §2.9): its only endpoints generate images.
  gravitex: undefined,
  modellix: { path: '/apikey/validate', what: 'the key check' },
  apixo: { path: '/apikeys/current-balance', what: 'the account balance' },
};

export type FreeCheckResult =
  /** `keyAccepted` false: the call worked but the answer says the key is not valid (Modellix). */
  | { readonly kind: 'answered'; readonly keyAccepted: boolean; readonly detail: string }
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'noFreeEndpoint' };

export interface FreeCheckOptions {
  readonly baseUrl: string;
  readonly http: HttpClient;
  readonly apiKey: string;
  readonly signal: AbortSignal;
  /** A check should answer at once; a slow one is reported, not waited for. */
  readonly timeoutMs?: number;
}

/** One GET to the provider's free endpoint with the key, never retried (the user can run it again). */
export async function runFreeCheck(provider: ProviderId, options: FreeCheckOptions): Promise<FreeCheckResult> {
  const endpoint = freeEndpoints[provider];
  if (!endpoint) return { kind: 'noFreeEndpoint' };
  const label = providerLabels[provider];
  const url = `${options.baseUrl}${endpoint.path}`;
  try {
    const response = await options.http.send({
      method: 'GET',
      url,
      headers: { ...authorizationFor(options.baseUrl, url, options.apiKey), accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? 15_000,
      signal: options.signal,
      paid: false,
      provider: label,
    });
    const reply = await readJsonReply(response, options.apiKey);
    if (reply.status < 200 || reply.status >= 300) {
      const said = messageOf(reply.json);
      // A 401's text is never quoted (docs/providers.md §2.1): a gateway may echo what it was sent.
      const quoted = reply.status === 401 || said === undefined ? '' : `: ${clip(said, 200)}`;
      return { kind: 'refused', status: reply.status, detail: `${label} answered HTTP ${reply.status}${quoted}` };
    }
    const valid = field(field(reply.json, 'data'), 'is_valid');
    if (provider === 'modellix' && valid === false) return { kind: 'answered', keyAccepted: false, detail: 'the key check answered, but says the key is not valid' };
    return { kind: 'answered', keyAccepted: true, detail: answeredDetail(provider, reply.json, endpoint) };
  } catch (error) {
    const message = isProviderError(error) || error instanceof Error ? error.message : String(error);
    return { kind: 'unreachable', detail: `${label} did not answer at ${options.baseUrl}: ${message}` };
  }
}

function messageOf(json: unknown): string | undefined {
  const direct = field(json, 'message');
  if (typeof direct === 'string') return direct;
  const nested = field(field(json, 'error'), 'message');
  return typeof nested === 'string' ? nested : undefined;
}

/** What a successful answer says, in words. */
function answeredDetail(provider: ProviderId, json: unknown, endpoint: FreeEndpoint): string {
  const data = field(json, 'data');
  if (provider === 'modellix') return 'the key check says the key is valid';
  if (provider === 'apixo' && typeof data === 'number') return `the account balance is ${data} USD`;
  if (provider === 'openai' && Array.isArray(data)) return `the model list has ${data.length} models`;
  return `${endpoint.what} answered`;
}
