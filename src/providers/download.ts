import { ProviderError } from '../core/errors';
import { incompleteImage, isSupportedImageFormat, sniffImageFormat } from '../core/imageFormat';
import { resultUnavailableCode } from '../core/resultLinks';
import { withRetry } from '../core/retry';
import { clip, isSuccessStatus, statusError } from './asyncTask';
import { discardBody, readBytes, readText, redactUrl, retryAfterFromHeaders } from './http';
import type { HttpClient } from '../core/httpClient';

export interface DownloadOptions {
  readonly signal: AbortSignal;
  /** Refuse bodies above this many bytes (default 100 MB): a result is never that large. */
  readonly maxBytes?: number | undefined;
  /** Label for messages and logs. */
  readonly provider: string;
  /** Per attempt (default 120 s). */
  readonly timeoutMs?: number | undefined;
  /** Attempts after the first (default 3); tests may pass a small backoff. */
  readonly retries?: number | undefined;
  readonly baseDelayMs?: number | undefined;
}

export const defaultDownloadMaxBytes = 100 * 1024 * 1024;
const defaultTimeoutMs = 120_000;

/**
 * Fetches a result image from the URL a provider handed us (a CDN on another host, valid about
 * 24 h). Redirects are followed; no Authorization header is ever sent, since the URL is not ours
 * to trust with a key (vercel/ai's secure URL handling). The GET is free, so 429, 5xx and network
 * errors are retried with backoff. The bytes must be a PNG, JPEG or WebP, whatever the headers say.
 */
export async function downloadResult(http: HttpClient, url: string, options: DownloadOptions): Promise<Uint8Array> {
  const provider = options.provider;
  const parsed = parseResultUrl(url, provider);
  const maxBytes = options.maxBytes ?? defaultDownloadMaxBytes;
  return withRetry(
    async () => {
      const response = await http.send({
        method: 'GET',
        url: parsed.toString(),
        headers: { accept: 'image/png, image/jpeg, image/webp, image/*;q=0.8' },
        timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
        signal: options.signal,
        paid: false,
        provider,
        followRedirects: true,
      });
      if (!isSuccessStatus(response.status)) throw await downloadStatusError(response, provider, url);
      const bytes = await readBytes(response, maxBytes);
      const format = sniffImageFormat(bytes);
      if (!isSupportedImageFormat(format)) {
        const what = format === undefined ? describeNonImage(bytes, response.headers['content-type']) : `a ${format.toUpperCase()} image`;
        throw new ProviderError({
          kind: 'invalidResponse',
          // No image at all (an HTML challenge, an error page) may give way to the image later;
          // another image format will not.
          code: format === undefined ? resultUnavailableCode : undefined,
          message: `The result from ${provider} at ${redactUrl(url)} is ${what}, not a PNG, JPEG or WebP image.`,
        });
      }
      // A close-delimited body that lost its connection ends "normally": only the image's own end
      // tells it is short. It is a free GET, so it is retried, and never saved as a success.
      const short = incompleteImage(bytes, format);
      if (short) {
        throw new ProviderError({
          kind: 'invalidResponse',
          retryable: true,
          message: `The result from ${provider} at ${redactUrl(url)} arrived incomplete (${short}); it was not saved.`,
        });
      }
      return bytes;
    },
    { retries: options.retries ?? 3, signal: options.signal, baseDelayMs: options.baseDelayMs ?? 1_000, maxDelayMs: 10_000 },
  );
}

function parseResultUrl(url: string, provider: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError({ kind: 'invalidResponse', message: `${provider} returned a result URL that is not a URL.` });
  }
  // file:, data: or anything else would read local files or skip the network entirely.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderError({
      kind: 'invalidResponse',
      message: `${provider} returned a ${parsed.protocol.replace(':', '')} result URL; only http(s) URLs are downloaded.`,
    });
  }
  return parsed;
}

async function downloadStatusError(
  response: Awaited<ReturnType<HttpClient['send']>>,
  provider: string,
  url: string,
): Promise<ProviderError> {
  const where = redactUrl(url);
  if (response.status >= 300 && response.status < 400) {
    await discardBody(response);
    return new ProviderError({
      kind: 'invalidResponse',
      status: response.status,
      message: `The result URL from ${provider} (${where}) redirected too many times or without a location.`,
    });
  }
  let detail = '';
  try {
    detail = clip(await readText(response, 64 * 1024), 160);
  } catch {
    // The status says enough.
  }
  if (response.status === 403 || response.status === 404 || response.status === 410) {
    // Signed CDN links answer 403 or 404 once they expire (about 24 h after the task ended), and
    // some answer so for a moment right after completion too: the caller knows which it can be.
    return new ProviderError({
      kind: 'notFound',
      status: response.status,
      retryable: false,
      code: resultUnavailableCode,
      message: `The result at ${where} is not available (HTTP ${response.status}).`,
    });
  }
  return statusError({
    provider,
    status: response.status,
    retryAfterMs: retryAfterFromHeaders(response.headers),
    message: `Downloading the result from ${where} failed with HTTP ${response.status}${detail ? `: ${detail}` : ''}.`,
  });
}

function describeNonImage(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes.byteLength === 0) return 'empty';
  const head = Buffer.from(bytes.subarray(0, 64)).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page';
  if (head.startsWith('{') || head.startsWith('[')) return 'JSON';
  return contentType ? `not an image (${clip(contentType, 60)})` : 'not an image';
}
