import type { ProviderError } from './errors';

/**
 * The HTTP client every provider gets in its context: a small interface here, so core and the
 * providers depend on it and not on undici. providers/http.ts implements it.
 */

/** A response body as it streams in (undici's BodyReadable has this shape). */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  on(event: 'error', listener: (error: Error) => void): unknown;
  destroy(error?: Error): unknown;
  /** Reads and discards the rest, so the connection can be reused. */
  dump(options?: { readonly limit?: number }): Promise<void>;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Per-attempt timeout, composed with `signal`. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /**
   * A paid request (submit, upload). A failure after it may have been sent becomes
   * 'unknownOutcome' instead of a retryable network error.
   */
  readonly paid: boolean;
  /** For log lines and error messages. */
  readonly provider: string;
  /** Result downloads follow CDN redirects; API calls never do (a redirect must not carry the key). */
  readonly followRedirects?: boolean;
  /**
   * Paid requests: called when the whole request was handed to a connected socket, the moment from
   * which a cancel leaves the outcome unknown (the same signal cancelledError goes by).
   */
  readonly onSent?: (() => void) | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Streamed body: read it with providers/http.ts's helpers, or iterate it. */
  readonly body: ResponseBody;
  /**
   * Classifies an error thrown while reading `body` the way `send` classifies its own: the
   * per-attempt timeout still runs while the body arrives, and a cancel or a reset there is as
   * ambiguous for a paid request as one before the headers. A ProviderError passes through.
   */
  bodyError(error: unknown): ProviderError;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}
