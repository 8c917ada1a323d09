import { ProviderError, isProviderError, withContext } from '../../core/errors';
import type { ResolvedRequest } from '../../core/request';
import { withRetry } from '../../core/retry';
import { authorizationFor, discardBody, readText } from '../http';
import type { HttpResponse } from '../../core/httpClient';
import { encodeMultipart, multipartContentType, pickBoundary } from '../multipart';
import type { GeneratedImage, ImageProvider, ImagesOutcome, ProviderContext, SubmitHooks } from '../../core/provider';
import { mapErrorResponse, parseErrorBody } from './errorMapping';
import { scrubSecret } from '../../core/secrets';
import { userAgent } from './flavour';
import type { OpenAiCompatibleFlavour } from './flavour';
import { buildEditParts, buildGenerationBody } from './requestBody';
import { imagesResponseSchema, mapUsage } from './responseSchema';
import { parseImagesStream } from './streamingImagesParser';
import { readImageEventStream } from './imageEventStream';
import { reportedDifferences, reportedOptions } from './reportedOptions';

/**
 * Attempts after the first (so at most three requests in all) for a 429 or a connection that never
 * left this machine: the only failures that prove a paid POST was not accepted.
 */
export const submitRetries = 2;

const retriedKinds = new Set(['rateLimit', 'network']);

interface PreparedCall {
  readonly url: string;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly warnings: readonly string[];
}

/**
 * Builds the whole body before anything is sent, so a request that cannot be encoded fails
 * without a paid call, and every retry sends exactly the same bytes.
 */
function prepare(context: ProviderContext, flavour: OpenAiCompatibleFlavour, request: ResolvedRequest): PreparedCall {
  if (request.inputImages.length > 0) {
    const built = buildEditParts(request, flavour);
    const boundary = pickBoundary();
    return {
      url: `${context.baseUrl}/images/edits`,
      contentType: multipartContentType(boundary),
      body: encodeMultipart(built.body, boundary),
      warnings: built.warnings,
    };
  }
  const built = buildGenerationBody(request, flavour);
  return {
    url: `${context.baseUrl}/images/generations`,
    contentType: 'application/json',
    body: JSON.stringify(built.body),
    warnings: built.warnings,
  };
}

/** OpenAI and Gravitex: one synchronous paid POST that answers with the images as base64. */
export function createOpenAiCompatibleProvider(context: ProviderContext, flavour: OpenAiCompatibleFlavour): ImageProvider {
  return {
    id: flavour.id,
    async submit(request, signal, hooks) {
      const call = prepare(context, flavour, request);
      const started = context.now();
      const outcome = await withRetry((attempt) => attemptOnce(context, flavour, request, call, attempt, signal, hooks), {
        retries: submitRetries,
        signal,
        // A 429 is a definite rejection (nothing made, nothing charged) and a refused connection
        // never left the machine; 5xx/408/409/425 and a reset or timeout after sending are
        // 'unknownOutcome', which is not retryable and therefore never resent.
        shouldRetry: (error) => isProviderError(error) && error.retryable && retriedKinds.has(error.kind),
        onRetry: (error, attempt, delayMs) => {
          context.log.warn(
            `${flavour.label}: ${error instanceof Error ? error.message : String(error)} Retrying in ${delayMs} ms (attempt ${attempt + 1} of ${submitRetries + 1}).`,
          );
          hooks?.onRetryWait?.(delayMs);
        },
      });
      context.log.info(`${flavour.label}: ${outcome.images.length} image(s) in ${context.now() - started} ms.`);
      return outcome;
    },
  };
}

async function attemptOnce(
  context: ProviderContext,
  flavour: OpenAiCompatibleFlavour,
  request: ResolvedRequest,
  call: PreparedCall,
  attempt: number,
  signal: AbortSignal,
  hooks: SubmitHooks | undefined,
): Promise<ImagesOutcome> {
  const apiKey = await context.getApiKey();
  const headers = {
    ...authorizationFor(context.baseUrl, call.url, apiKey),
    'content-type': call.contentType,
    accept: request.partialImages === undefined ? 'application/json' : 'text/event-stream, application/json',
    'user-agent': userAgent,
  };
  context.log.debug(`${flavour.label}: ${request.n} image(s) of ${request.model}, attempt ${attempt}.`);
  const response = await context.http.send({
    method: 'POST',
    url: call.url,
    headers,
    body: call.body,
    timeoutMs: context.requestTimeoutMs,
    signal,
    paid: true,
    provider: flavour.label,
    onSent: hooks?.onSent,
  });
  const requestId = response.headers['x-request-id'] || undefined;
  if (response.status >= 300 && response.status < 400) {
    await discardBody(response);
    // Redirects are not followed: a redirected POST would carry the key to wherever it points.
    throw new ProviderError({
      kind: 'badRequest',
      provider: flavour.id,
      status: response.status,
      requestId,
      message: `${flavour.label} answered with a redirect (${response.status}) to ${response.headers.location ?? 'another address'}; check the base URL (redirects are not followed, so the key stays with the configured host).`,
    });
  }
  if (response.status < 200 || response.status >= 300) {
    const text = await readText(response, 1024 * 1024).catch(() => '');
    throw mapErrorResponse(response.status, response.headers, text, flavour, apiKey);
  }
  if (/^text\/event-stream\b/i.test(response.headers['content-type'] ?? '')) {
    return readEventStream(response, flavour, request, call.warnings, requestId, signal, hooks, apiKey);
  }
  return readImages(response, flavour, request, call.warnings, requestId, signal);
}

/** After the headers the image is being made (and charged): every failure here is final, never resent. */
function brokenAnswer(response: HttpResponse, flavour: OpenAiCompatibleFlavour, requestId: string | undefined, signal: AbortSignal, error: unknown): ProviderError {
  // A listener first: a destroyed undici body emits an abort error that would otherwise be uncaught.
  response.body.on('error', () => undefined);
  response.body.destroy();
  if (isProviderError(error)) return withRequestId(error, requestId);
  // A cancel midway: the images were being sent, so they were made (and charged).
  if (signal.aborted) return withRequestId(response.bodyError(error), requestId);
  return new ProviderError({
    kind: 'unknownOutcome',
    provider: flavour.id,
    status: response.status,
    requestId,
    retryable: false,
    message: `The connection to ${flavour.label} broke while the images were arriving; they were probably made and charged, so the request is not resent automatically.`,
    cause: error,
  });
}

async function readEventStream(
  response: HttpResponse,
  flavour: OpenAiCompatibleFlavour,
  request: ResolvedRequest,
  callWarnings: readonly string[],
  requestId: string | undefined,
  signal: AbortSignal,
  hooks: SubmitHooks | undefined,
  apiKey: string,
): Promise<ImagesOutcome> {
  let streamed;
  try {
    streamed = await readImageEventStream(response.body, {
      provider: flavour.label,
      onPartialImage: hooks?.onPartialImage,
      errorFor: (body) => streamErrorFor(body, response.headers, flavour, apiKey),
      truncated: (partials) =>
        new ProviderError({
          kind: 'unknownOutcome',
          provider: flavour.id,
          status: response.status,
          requestId,
          retryable: false,
          message: `${flavour.label}'s image stream ended before the final image${partials > 0 ? ` (after ${partials} partial image${partials === 1 ? '' : 's'})` : ''}; it was probably made and charged, so the request is not resent automatically.`,
        }),
    });
  } catch (error) {
    throw brokenAnswer(response, flavour, requestId, signal, error);
  }
  const warnings = [...callWarnings];
  if (streamed.images.length < request.n) warnings.push(`${flavour.label} returned ${streamed.images.length} of the ${request.n} images asked for.`);
  return {
    kind: 'images',
    images: streamed.images.map((bytes) => ({ bytes })),
    warnings,
    usage: mapUsage(streamed.usage),
    response: { requestId, model: request.model },
  };
}

/**
 * An `error` event, mapped like the HTTP error it stands for: a moderation block or a refused
 * parameter as a 400 would be; anything else (a server error midway) leaves the outcome open. Never
 * retryable either way: the request was accepted and the stream had started.
 */
function streamErrorFor(body: string, headers: Readonly<Record<string, string | undefined>>, flavour: OpenAiCompatibleFlavour, apiKey: string): ProviderError {
  const details = parseErrorBody(body);
  const serverSide = details.type === 'server_error' || details.code === 'server_error' || (details.type === undefined && details.code === undefined);
  const mapped = mapErrorResponse(serverSide ? 500 : 400, headers, body, flavour, apiKey);
  if (mapped.kind === 'unknownOutcome') {
    return new ProviderError({
      kind: 'unknownOutcome',
      provider: flavour.id,
      requestId: mapped.requestId,
      code: details.code,
      retryable: false,
      message: `${flavour.label} reported an error in the middle of the image stream${details.message ? ` ("${scrubSecret(details.message, apiKey)}")` : ''}; the image may have been made and charged. Check your account, then resubmit by hand.`,
    });
  }
  // Mapped as a 400 (never retryable) or as the unknown outcome above, so nothing here is resent.
  return mapped;
}

async function readImages(
  response: HttpResponse,
  flavour: OpenAiCompatibleFlavour,
  request: ResolvedRequest,
  callWarnings: readonly string[],
  requestId: string | undefined,
  signal: AbortSignal,
): Promise<ImagesOutcome> {
  let streamed;
  try {
    streamed = await parseImagesStream(response.body, { provider: flavour.label });
  } catch (error) {
    // The answer had started: the images were made (and charged) before the connection broke.
    throw brokenAnswer(response, flavour, requestId, signal, error);
  }
  const parsed = imagesResponseSchema.safeParse(streamed.json);
  if (!parsed.success) {
    throw new ProviderError({
      kind: 'invalidResponse',
      provider: flavour.id,
      status: response.status,
      requestId,
      message: `${flavour.label}'s response does not look like an images response.`,
      cause: parsed.error,
    });
  }
  const data = parsed.data.data ?? [];
  const images: GeneratedImage[] = [];
  let urlsOnly = 0;
  for (const entry of data) {
    const index = entry.b64_json ? Number(entry.b64_json) : Number.NaN;
    const bytes = Number.isInteger(index) ? streamed.images[index] : undefined;
    if (bytes && bytes.length > 0) images.push({ bytes });
    else if (entry.url) urlsOnly += 1;
  }
  if (images.length === 0) {
    const said = parsed.data.error?.message ? `: "${parsed.data.error.message}"` : '';
    throw new ProviderError({
      kind: 'invalidResponse',
      provider: flavour.id,
      status: response.status,
      requestId,
      message: `${flavour.label} answered without any image data${said}.`,
    });
  }
  const warnings = [...callWarnings, ...reportedDifferences(request, parsed.data, flavour.label)];
  if (urlsOnly > 0) warnings.push(`${flavour.label} returned ${urlsOnly} image(s) as URLs instead of data; those were not downloaded.`);
  if (images.length < request.n) warnings.push(`${flavour.label} returned ${images.length} of the ${request.n} images asked for.`);
  return {
    kind: 'images',
    images,
    warnings,
    usage: mapUsage(parsed.data.usage),
    response: { requestId, model: parsed.data.model ?? request.model, reported: reportedOptions(parsed.data) },
  };
}

function withRequestId(error: ProviderError, requestId: string | undefined): ProviderError {
  return requestId === undefined || error.requestId !== undefined ? error : withContext(error, { requestId });
}
