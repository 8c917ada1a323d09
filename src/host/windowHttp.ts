import type { HttpClient } from '../core/httpClient';
import type { Logger } from '../core/logger';
import { createHttpClient } from '../providers/http';
import { createLimitedHttp } from '../providers/limitedHttp';

/**
 * How many API requests of one provider the window starts at once, then learns from its answers
 * (core/batch/adaptiveLimit.ts): halved on a 429, paused for its Retry-After, grown back by about
 * one per round up to `max`. A batch then runs near the provider's rate limit, not at a fixed count.
 */
export const windowLimits = { initial: 4, max: 16 } as const;

/** The window's one HTTP client (connection pool): every API request through its provider's adaptive limit. */
export function createWindowHttp(options: { readonly proxy: string | undefined; readonly noProxy: readonly string[]; readonly log: Logger }): HttpClient {
  return createLimitedHttp(createHttpClient({ proxy: options.proxy, noProxy: options.noProxy, log: options.log }), windowLimits).http;
}
