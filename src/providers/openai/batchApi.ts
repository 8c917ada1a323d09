import { z } from 'zod';
import type { BatchApi, BatchLineResult, OpenAiBatchStatus } from '../../core/batch/batchApiPort';
import { ProviderError, isProviderError } from '../../core/errors';
import type { HttpResponse } from '../../core/httpClient';
import type { ProviderContext } from '../../core/provider';
import { withRetry } from '../../core/retry';
import { authorizationFor, discardBody, kindForStatus, readText } from '../http';
import { encodeMultipart, multipartContentType, pickBoundary } from '../multipart';
import { mapErrorResponse } from '../openAiCompatible/errorMapping';
import { openAiFlavour, userAgent } from '../openAiCompatible/flavour';
import { parseBatchResults } from './batchResultLines';

/** A batch object (docs/providers.md §7.3): only what we read; the rest may be null or missing. */
const batchSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  request_counts: z.object({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
  errors: z
    .object({ data: z.array(z.object({ line: z.number().nullish(), message: z.string().nullish(), code: z.string().nullish() })).nullish() })
    .nullish(),
});

const fileSchema = z.object({ id: z.string().min(1) });

/** Status reads and downloads: short, and retried on anything transient. */
const readTimeoutMs = 30_000;
/** One output line holds one request's images as base64 (up to 10 of the largest size). */
const maxLineBytes = 256 * 1024 * 1024;
const readRetries = 3;
/** How long an uploaded edit image is kept at OpenAI: the longest `expires_after` allowed (30 days). */
export const visionFileExpirySeconds = 2_592_000;

/** OpenAI's Batch API over the provider context: the key only to the base URL's origin, redirects never followed. */
export function createOpenAiBatchApi(context: ProviderContext): BatchApi {
  const label = openAiFlavour.label;

  async function send(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: string | Uint8Array; contentType?: string; paid?: boolean; timeoutMs?: number; signal: AbortSignal; onSent?: () => void },
  ): Promise<HttpResponse> {
    const url = `${context.baseUrl}${path}`;
    const apiKey = await context.getApiKey();
    const response = await context.http.send({
      method,
      url,
      headers: {
        ...authorizationFor(context.baseUrl, url, apiKey),
        accept: 'application/json',
        'user-agent': userAgent,
        ...(options.contentType ? { 'content-type': options.contentType } : {}),
      },
      body: options.body,
      timeoutMs: options.timeoutMs ?? readTimeoutMs,
      signal: options.signal,
      paid: options.paid ?? false,
      provider: label,
      onSent: options.onSent,
    });
    if (response.status >= 200 && response.status < 300) return response;
    if (response.status >= 300 && response.status < 400) {
      await discardBody(response);
      throw new ProviderError({ kind: 'badRequest', provider: 'openai', status: response.status, message: `${label} answered with a redirect (${response.status}); check the base URL (redirects are not followed, so the key stays with the configured host).` });
    }
    const text = await readText(response, 1024 * 1024).catch(() => '');
    const mapped = mapErrorResponse(response.status, response.headers, text, openAiFlavour, apiKey);
    if (options.paid || mapped.kind !== 'unknownOutcome') return Promise.reject(mapped);
    // Only the create is paid: for a read, an upload or a cancel a 5xx is a plain, retryable failure.
    const { kind, retryable } = kindForStatus(response.status);
    throw new ProviderError({ kind, retryable, provider: 'openai', status: response.status, requestId: mapped.requestId, message: `${label} answered ${response.status} to a Batch API ${method === 'GET' ? 'read' : 'request'}.` });
  }

  async function json(response: HttpResponse, what: string): Promise<unknown> {
    const text = await readText(response, 4 * 1024 * 1024);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ProviderError({ kind: 'invalidResponse', provider: 'openai', status: response.status, message: `${label}'s answer to ${what} is not JSON.`, cause: error });
    }
  }

  async function batchFrom(response: HttpResponse, what: string): Promise<OpenAiBatchStatus> {
    const parsed = batchSchema.safeParse(await json(response, what));
    if (!parsed.success) throw new ProviderError({ kind: 'invalidResponse', provider: 'openai', message: `${label}'s answer to ${what} does not describe a batch.`, cause: parsed.error });
    const batch = parsed.data;
    return {
      id: batch.id,
      status: batch.status,
      outputFileId: batch.output_file_id ?? undefined,
      errorFileId: batch.error_file_id ?? undefined,
      counts: batch.request_counts ?? undefined,
      errors: (batch.errors?.data ?? []).map((problem) => ({ line: problem.line ?? undefined, message: problem.message ?? 'invalid line', code: problem.code ?? undefined })),
    };
  }

  /** Free calls that may be repeated: retried on what is transient (429, 5xx, network). */
  const retried = <T>(signal: AbortSignal, operation: () => Promise<T>): Promise<T> =>
    withRetry(operation, { retries: readRetries, signal, shouldRetry: (error) => isProviderError(error) && error.retryable && error.status !== 409 });

  return {
    upload: (jsonl, fileName, signal) =>
      retried(signal, async () => {
        const boundary = pickBoundary();
        const body = encodeMultipart(
          [
            { name: 'purpose', value: 'batch' },
            { name: 'file', fileName, contentType: 'application/jsonl', data: new TextEncoder().encode(jsonl) },
          ],
          boundary,
        );
        const response = await send('POST', '/files', { body, contentType: multipartContentType(boundary), timeoutMs: context.requestTimeoutMs, signal });
        const parsed = fileSchema.safeParse(await json(response, 'the upload'));
        if (!parsed.success) throw new ProviderError({ kind: 'invalidResponse', provider: 'openai', message: `${label}'s answer to the upload names no file id.` });
        return { fileId: parsed.data.id };
      }),
    uploadImage: (dataUrl, fileName, signal) =>
      retried(signal, async () => {
        const image = decodeDataUrl(dataUrl);
        const boundary = pickBoundary();
        const body = encodeMultipart(
          [
            { name: 'purpose', value: 'vision' },
            // Vision files never expire by default: the user's images would stay at OpenAI after the
            // batch. The longest expiry allowed (30 days, docs/providers.md §7.3) outlasts the batch's
            // 24 h window and a late resume; the results never need them.
            { name: 'expires_after[anchor]', value: 'created_at' },
            { name: 'expires_after[seconds]', value: String(visionFileExpirySeconds) },
            { name: 'file', fileName: `${fileName}.${image.extension}`, contentType: image.mediaType, data: image.bytes },
          ],
          boundary,
        );
        const response = await send('POST', '/files', { body, contentType: multipartContentType(boundary), timeoutMs: context.requestTimeoutMs, signal });
        const parsed = fileSchema.safeParse(await json(response, 'the image upload'));
        if (!parsed.success) throw new ProviderError({ kind: 'invalidResponse', provider: 'openai', message: `${label}'s answer to the image upload names no file id.` });
        return { fileId: parsed.data.id };
      }),
    // Paid: retried only when nothing can have been created (a 429, a connection that never left).
    create: (input, signal, onSent) =>
      withRetry(
        async () => {
          const body = JSON.stringify({ input_file_id: input.inputFileId, endpoint: input.endpoint, completion_window: '24h', metadata: input.metadata });
          const response = await send('POST', '/batches', { body, contentType: 'application/json', paid: true, timeoutMs: context.requestTimeoutMs, signal, onSent });
          try {
            return await batchFrom(response, 'the batch creation');
          } catch (error) {
            // A 2xx we cannot read: the batch probably exists, and we do not know its id.
            throw new ProviderError({ kind: 'unknownOutcome', provider: 'openai', message: `${label} accepted the batch but its answer could not be read.`, cause: error });
          }
        },
        { retries: 2, signal, shouldRetry: (error) => isProviderError(error) && error.retryable && (error.kind === 'rateLimit' || error.kind === 'network') },
      ),
    get: (batchId, signal) => retried(signal, async () => batchFrom(await send('GET', `/batches/${encodeURIComponent(batchId)}`, { signal }), 'a status read')),
    cancel: (batchId, signal) => retried(signal, async () => batchFrom(await send('POST', `/batches/${encodeURIComponent(batchId)}/cancel`, { signal }), 'the cancel')),
    results: (fileId, signal) => ({
      [Symbol.asyncIterator]: async function* () {
        const response = await retried(signal, () => send('GET', `/files/${encodeURIComponent(fileId)}/content`, { signal, timeoutMs: context.requestTimeoutMs }));
        yield* readLines(response);
      },
    }),
  };
}

/** A `data:<type>;base64,…` URL as built by batchLines.ts, as the bytes and type of a file part. */
function decodeDataUrl(dataUrl: string): { readonly mediaType: string; readonly extension: string; readonly bytes: Uint8Array } {
  const match = /^data:(image\/(png|jpeg|webp));base64,/.exec(dataUrl);
  if (!match) throw new ProviderError({ kind: 'badRequest', provider: 'openai', message: 'An edit image of the batch is not a PNG, JPEG or WebP data URL.' });
  const mediaType = match[1] as string;
  const extension = match[2] === 'jpeg' ? 'jpg' : (match[2] as string);
  return { mediaType, extension, bytes: new Uint8Array(Buffer.from(dataUrl.slice(match[0].length), 'base64')) };
}

/** The file's lines as they arrive, each parsed on its own; a line longer than `maxLineBytes` is refused. */
async function* readLines(response: HttpResponse): AsyncGenerator<BatchLineResult> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (tail: Buffer): string => {
    const line = Buffer.concat([...pending, tail]).toString('utf8');
    pending = [];
    pendingBytes = 0;
    return line;
  };
  const chunks = response.body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      // A body that broke midway: the lines before it are written, a resume downloads again.
      throw response.bodyError(error);
    }
    if (next.done) break;
    let chunk = Buffer.from(next.value);
    for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10)) {
      yield* parseBatchResults(take(chunk.subarray(0, end)));
      chunk = chunk.subarray(end + 1);
    }
    if (chunk.byteLength === 0) continue;
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    if (pendingBytes > maxLineBytes) {
      response.body.destroy();
      throw new ProviderError({ kind: 'invalidResponse', provider: 'openai', message: `A line of OpenAI's batch output is larger than ${maxLineBytes / 1024 / 1024} MB; it is not read.` });
    }
  }
  if (pendingBytes > 0) yield* parseBatchResults(take(Buffer.alloc(0)));
}
