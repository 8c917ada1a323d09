import { Agent, EnvHttpProxyAgent, interceptors, request as undiciRequest } from 'undici';
import type { Dispatcher } from 'undici';
import { isLoopbackHost } from '../core/baseUrl';
import { ProviderError, isProviderError } from '../core/errors';
import type { ProviderErrorKind } from '../core/errors';
import { abortedError, parseRetryAfterMs } from '../core/retry';
import type { HttpClient, HttpRequest, HttpResponse } from '../core/httpClient';
import type { Logger } from '../core/logger';

export interface HttpClientOptions {
  /** An explicit proxy (VS Code's http.proxy); otherwise HTTPS_PROXY/HTTP_PROXY from the environment. */
  readonly proxy?: string | undefined;
  /** Hosts that bypass the proxy (VS Code's http.noProxy, or NO_PROXY). */
  readonly noProxy?: readonly string[] | undefined;
  /** Read proxy settings from the environment when no explicit proxy is given (the CLI). */
  readonly useEnvironmentProxy?: boolean;
  readonly log: Logger;
}

/**
 * Whether a request to `origin` goes straight to the host: loopback always does (core/baseUrl.ts
 * isLoopbackHost, all of 127.0.0.0/8 and ::1). The fake providers and local gateways live there, and
 * a key on plain http (allowed only for loopback) must never pass through a proxy. undici's own
 * noProxy list matches names, not address ranges, so the choice is made here, per request.
 */
export function bypassesProxy(origin: string | URL | undefined): boolean {
  if (origin === undefined) return false;
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * The undici dispatchers for all requests. Their own timeouts are off (0) so that ours, which are
 * per attempt and at least 5 minutes for synchronous generation, are the only ones that apply.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agentOptions = { headersTimeout: 0, bodyTimeout: 0, connectTimeout: 30_000 };
  const environment = options.useEnvironmentProxy ? process.env : {};
  const proxy = options.proxy || environment.HTTPS_PROXY || environment.https_proxy || environment.HTTP_PROXY || environment.http_proxy;
  const noProxy = (options.noProxy ?? (environment.NO_PROXY ?? environment.no_proxy ?? '').split(','))
    .map((host) => host.trim())
    .filter((host) => host !== '');
  const direct = new Agent(agentOptions);
  const proxied: Dispatcher | undefined = proxy
    ? new EnvHttpProxyAgent({ ...agentOptions, httpProxy: proxy, httpsProxy: proxy, noProxy: noProxy.join(',') })
    : undefined;
  const dispatcher = proxied ? routing(direct, proxied) : direct;
  // Each redirect hop is dispatched again through `dispatcher`, so it is routed by its own origin.
  const redirecting = dispatcher.compose(interceptors.redirect({ maxRedirections: 5 }));
  return {
    send: (request) => send(request.followRedirects ? redirecting : dispatcher, request, options.log),
    close: async () => {
      await Promise.all([direct.close(), proxied?.close()]);
    },
  };
}

/** `direct` for loopback origins, `proxied` (which applies the noProxy list) for the rest. */
function routing(direct: Dispatcher, proxied: Dispatcher): Dispatcher {
  const dispatch = (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean =>
    (bypassesProxy(options.origin) ? direct : proxied).dispatch(options, handler);
  return new Proxy(proxied, { get: (target, key, receiver) => (key === 'dispatch' ? dispatch : (Reflect.get(target, key, receiver) as unknown)) });
}

async function send(dispatcher: Dispatcher, request: HttpRequest, log: Logger): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const started = Date.now();
  log.debug(`${request.provider}: ${request.method} ${redactUrl(request.url)} ${describeHeaders(request.headers)}`);
  if (request.signal.aborted) throw abortedError(request.signal);
  // Whether undici handed the whole request to a connected socket: before that (queued, connecting)
  // no server can have accepted it, so only after it is a cancelled paid request of unknown outcome.
  const progress = { sent: false, onSent: request.onSent };
  try {
    const pending = undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      dispatcher: request.paid ? noticingSent(dispatcher, progress) : dispatcher,
    });
    const response = await untilCancelledUnsent(pending, request.signal, progress);
    const headers = normalizeHeaders(response.headers);
    log.debug(
      `${request.provider}: ${response.statusCode} from ${request.method} ${redactUrl(request.url)} in ${Date.now() - started} ms` +
        (headers['x-request-id'] ? ` (request id ${headers['x-request-id']})` : ''),
    );
    const bodyError = (error: unknown): ProviderError => {
      if (isProviderError(error)) return error;
      // The answer had started, so the whole request had arrived.
      if (request.signal.aborted) return cancelledError(request, true);
      return classifyNetworkError(error, request, { timedOut: timeout.aborted, sent: true });
    };
    return { status: response.statusCode, headers, body: response.body, bodyError };
  } catch (error) {
    if (request.signal.aborted) throw cancelledError(request, progress.sent);
    throw classifyNetworkError(error, request, { timedOut: timeout.aborted, sent: progress.sent });
  }
}

/**
 * undici acts on an abort only once the connection is up (a TLS handshake, a proxy's CONNECT that
 * never answers: up to the connect timeout, or for ever); it then drops the request unwritten. So a
 * cancel that comes before anything was sent settles at once as a plain cancel, and undici is left
 * to drop the request. After the request was sent, undici's own outcome stands.
 */
function untilCancelledUnsent<T>(pending: Promise<T>, signal: AbortSignal, progress: { readonly sent: boolean }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (!progress.sent) reject(abortedError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The caller cancelled. Before the request was fully written that is a plain cancel; after it, a
 * paid request may have been accepted and charged, which the journal must say (never resent).
 */
function cancelledError(request: HttpRequest, sent: boolean): ProviderError {
  if (!request.paid || !sent) return abortedError(request.signal);
  return new ProviderError({
    kind: 'unknownOutcome',
    retryable: false,
    message: `Cancelled while the request to ${request.provider} was in flight: it may have been accepted (and charged).`,
    cause: request.signal.reason,
  });
}

/**
 * The dispatcher with undici's onRequestSent hook added to each handler (undici calls it once the
 * connection is up, through a proxy's tunnel too, and the last byte of the body was written to the
 * socket, flushed or not). A proxy's CONNECT is its own request and never sets it. Only for paid
 * requests, which never follow redirects (a redirect handler would wrap ours).
 */
function noticingSent(dispatcher: Dispatcher, progress: { sent: boolean; readonly onSent?: (() => void) | undefined }): Dispatcher {
  const dispatch = (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean => {
    const original = (handler as { onRequestSent?: () => void }).onRequestSent;
    const noticing = new Proxy(handler, {
      get(target, key, receiver): unknown {
        if (key !== 'onRequestSent') return Reflect.get(target, key, receiver) as unknown;
        return () => {
          progress.sent = true;
          progress.onSent?.();
          original?.call(target);
        };
      },
    });
    return dispatcher.dispatch(options, noticing);
  };
  return new Proxy(dispatcher, { get: (target, key, receiver) => (key === 'dispatch' ? dispatch : (Reflect.get(target, key, receiver) as unknown)) });
}

/** Walks `.cause` for a Node or undici error code (after GitLens' classifyNetworkError). */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What `send` knows about a failed attempt. */
export interface FailureFacts {
  /** Our per-attempt timeout fired. */
  readonly timedOut: boolean;
  /**
   * undici handed the whole request to a connected socket (noticingSent), or an answer had begun.
   * The one source of "may have been charged": before it (DNS, connect, a proxy refusing CONNECT,
   * the TLS handshake) no server can have accepted the request, whatever the error code says;
   * after it, any error (a reset, EHOSTUNREACH, a timeout) leaves the outcome open.
   */
  readonly sent: boolean;
}

export function classifyNetworkError(
  error: unknown,
  request: Pick<HttpRequest, 'paid' | 'provider' | 'url' | 'timeoutMs'>,
  facts: FailureFacts,
): ProviderError {
  const code = networkErrorCode(error);
  const host = safeHost(request.url);
  if (request.paid && facts.sent) {
    return new ProviderError({
      kind: 'unknownOutcome',
      message: facts.timedOut
        ? `${request.provider} did not answer within ${Math.round(request.timeoutMs / 1000)} s; the request may still have been accepted (and charged).`
        : `The connection to ${request.provider} broke after the request was sent (${code ?? 'connection lost'}); it may still have been accepted (and charged).`,
      retryable: false,
      code,
      cause: error,
    });
  }
  // Not sent (or not paid): a plain failure, safe to try again.
  const notSent = request.paid ? ' The request was not sent, so nothing was charged.' : '';
  if (facts.timedOut) {
    return new ProviderError({
      kind: 'timeout',
      message: `${request.provider} did not answer within ${Math.round(request.timeoutMs / 1000)} s.${notSent}`,
      retryable: true,
      code,
      cause: error,
    });
  }
  const proxyRefusal = proxyRefusalStatus(error);
  return new ProviderError({
    kind: 'network',
    message:
      proxyRefusal !== undefined
        ? `The proxy refused to connect to ${request.provider} at ${host} (HTTP ${proxyRefusal}).${notSent} Check the proxy settings (http.proxy, HTTPS_PROXY) and its credentials.`
        : request.paid
          ? `Could not reach ${request.provider} at ${host} (${code ?? 'network error'}).${notSent} Check the network, proxy settings and the base URL.`
          : `The connection to ${request.provider} at ${host} failed (${code ?? 'network error'}).`,
    retryable: true,
    code,
    cause: error,
  });
}

/** undici's ProxyAgent reports a refused CONNECT only in words: "Proxy response (407) !== 200 when HTTP Tunneling". */
function proxyRefusalStatus(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const message = (current as { message?: unknown }).message;
    const match = typeof message === 'string' ? /^Proxy response \((\d{3})\)/.exec(message) : null;
    if (match) return Number(match[1]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The HTTP-status half of error mapping; providers add the body's words. */
export function kindForStatus(status: number): { kind: ProviderErrorKind; retryable: boolean } {
  if (status === 400 || status === 422) return { kind: 'badRequest', retryable: false };
  if (status === 401) return { kind: 'auth', retryable: false };
  if (status === 402) return { kind: 'quota', retryable: false };
  if (status === 403) return { kind: 'permission', retryable: false };
  if (status === 404) return { kind: 'notFound', retryable: false };
  if (status === 408) return { kind: 'timeout', retryable: true };
  if (status === 409 || status === 425 || status === 429) return { kind: 'rateLimit', retryable: true };
  if (status >= 500) return { kind: 'server', retryable: true };
  return { kind: 'badRequest', retryable: false };
}

export function retryAfterFromHeaders(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  return parseRetryAfterMs(headers['retry-after'], headers['retry-after-ms']);
}

export async function readText(response: HttpResponse, limitBytes = 4 * 1024 * 1024): Promise<string> {
  return Buffer.from(await readBytes(response, limitBytes)).toString('utf8');
}

/**
 * Reads the whole body, refusing more than `limitBytes` (result downloads are capped, and a
 * chunked body has no Content-Length to check first). A body that breaks or times out midway
 * becomes the request's classified error (retryable for a GET, unknownOutcome for a paid POST).
 */
export async function readBytes(response: HttpResponse, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    // Without a listener, the abort error a destroyed undici body emits would be an uncaught exception.
    response.body.on('error', () => undefined);
    response.body.destroy();
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      total += buffer.byteLength;
      if (total > limitBytes) {
        response.body.on('error', () => undefined);
        response.body.destroy();
        throw tooLarge(limitBytes);
      }
      chunks.push(buffer);
    }
  } catch (error) {
    throw response.bodyError(error);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** Reads and discards a body so the connection can be reused. */
export async function discardBody(response: HttpResponse): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // The body is not needed; a broken one does not matter.
  }
}

function tooLarge(limitBytes: number): ProviderError {
  return new ProviderError({
    kind: 'invalidResponse',
    message: `The response is larger than the ${Math.round(limitBytes / 1024 / 1024)} MB limit.`,
  });
}

function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/** Header names and values for a log line, with credentials replaced. */
export function describeHeaders(headers: Readonly<Record<string, string>> | undefined): string {
  if (!headers) return '';
  const parts = Object.entries(headers).map(([name, value]) =>
    /^(authorization|x-api-key|api-key|cookie)$/i.test(name) ? `${name}: [redacted]` : `${name}: ${value}`,
  );
  return parts.length > 0 ? `{ ${parts.join(', ')} }` : '';
}

/** Drops query strings (task ids are fine, signed CDN URLs are not) from logged URLs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    const signed = [...parsed.searchParams.keys()].some((key) => /sig|token|key|expires|credential/i.test(key));
    if (signed) parsed.search = '?[redacted]';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The key goes only to the configured base origin (vercel/ai's secure URL handling): a URL a
 * response handed us, or any other host, never sees it.
 */
export function authorizationFor(baseUrl: string, url: string, apiKey: string): Record<string, string> {
  if (new URL(url).origin !== new URL(baseUrl).origin) {
    throw new ProviderError({
      kind: 'permission',
      message: `Refusing to send the API key to ${safeHost(url)}: it is not the configured base URL's host.`,
    });
  }
  return { authorization: `Bearer ${apiKey}` };
}
