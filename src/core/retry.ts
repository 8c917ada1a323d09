import { ProviderError, isProviderError } from './errors';

export interface RetryOptions {
  /** Attempts after the first one. */
  retries: number;
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Retry-After above this is not waited out (openai-node uses 60 s too). */
  maxRetryAfterMs?: number;
  /** Defaults to `error.retryable` for ProviderError and false otherwise. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injected for tests; Math.random by default. */
  random?: () => number;
}

export const maxRetryAfterMs = 60_000;

/** Exponential backoff with full jitter, capped. attempt starts at 1. */
export function backoffDelayMs(attempt: number, baseDelayMs = 500, maxDelayMs = 8_000, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  // Keep at least a quarter of the ceiling so retries never hammer in a burst.
  return Math.round(ceiling * (0.25 + 0.75 * random()));
}

/**
 * Parses Retry-After (seconds or HTTP date) and retry-after-ms. Returns undefined when absent,
 * unparseable or longer than the cap: then exponential backoff applies.
 */
export function parseRetryAfterMs(
  header: string | undefined,
  headerMs?: string,
  now = Date.now(),
  cap = maxRetryAfterMs,
): number | undefined {
  if (headerMs !== undefined) {
    const value = Number(headerMs);
    if (Number.isFinite(value) && value >= 0 && value <= cap) return value;
  }
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms) || ms < 0 || ms > cap) return undefined;
  return Math.round(ms);
}

/** A sleep that cancel can interrupt: rejects with an aborted ProviderError. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(signal?: AbortSignal): ProviderError {
  return new ProviderError({ kind: 'aborted', message: 'Cancelled.', cause: signal?.reason });
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const shouldRetry = options.shouldRetry ?? ((error: unknown) => isProviderError(error) && error.retryable);
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortedError(options.signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > options.retries || !shouldRetry(error, attempt) || options.signal?.aborted) throw error;
      const retryAfter = isProviderError(error) ? error.retryAfterMs : undefined;
      const delay =
        retryAfter !== undefined && retryAfter <= (options.maxRetryAfterMs ?? maxRetryAfterMs)
          ? retryAfter
          : backoffDelayMs(attempt, options.baseDelayMs, options.maxDelayMs, options.random);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
