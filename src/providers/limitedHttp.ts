import { AdaptiveLimit } from '../core/batch/adaptiveLimit';
import type { HttpClient, HttpRequest, HttpResponse } from '../core/httpClient';
import { retryAfterFromHeaders } from './http';

export interface LimitedHttp {
  readonly http: HttpClient;
  /** Each provider's limit so far (by the label providers send as HttpRequest.provider). */
  readonly limits: ReadonlyMap<string, AdaptiveLimit>;
  /** 429s received in all. */
  rateLimited(): number;
}

/**
 * An HttpClient for a batch: every API request (not result downloads, which go to a CDN) waits for
 * a slot of its provider's adaptive limit (core/batch/adaptiveLimit.ts), and its answer teaches the
 * limit: a 429 halves it and pauses the provider for its Retry-After; the rest grow it back. The
 * providers' own rules stay as they are: a 429 is retried by them (nothing was made), anything
 * ambiguous after sending is never resent.
 */
export function createLimitedHttp(inner: HttpClient, options: { readonly max: number; readonly initial: number }): LimitedHttp {
  const limits = new Map<string, AdaptiveLimit>();
  const limitFor = (provider: string): AdaptiveLimit => {
    let limit = limits.get(provider);
    if (!limit) {
      limit = new AdaptiveLimit({ initial: options.initial, max: options.max });
      limits.set(provider, limit);
    }
    return limit;
  };
  const http: HttpClient = {
    async send(request: HttpRequest): Promise<HttpResponse> {
      if (request.followRedirects === true) return inner.send(request);
      const ticket = await limitFor(request.provider).acquire(request.signal);
      try {
        const response = await inner.send(request);
        if (response.status === 429) ticket.rateLimited(retryAfterFromHeaders(response.headers));
        else if (response.status < 500) ticket.succeeded();
        return response;
      } finally {
        // The slot is the request's round trip; the body of an image answer is read after this.
        ticket.release();
      }
    },
    close: () => inner.close(),
  };
  return { http, limits, rateLimited: () => [...limits.values()].reduce((sum, limit) => sum + limit.rateLimitedCount, 0) };
}
