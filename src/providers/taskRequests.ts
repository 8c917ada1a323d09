import type { ProviderError} from '../core/errors';
import { isProviderError, withContext } from '../core/errors';
import { authorizationFor } from './http';
import type { HttpRequest, HttpResponse } from '../core/httpClient';
import { readJsonReply, unknownOutcomeError } from './asyncTask';
import type { JsonReply } from './asyncTask';
import type { ProviderContext } from '../core/provider';

/**
 * The HTTP calls the submit-then-poll providers (Modellix, APIXO) make, each with the rule for a
 * body that breaks while it is read: a repeatable read may be retried, a paid one never.
 */

/** A status read that hangs only delays the next one, so it gets a short timeout of its own. */
const pollTimeoutMs = 30_000;

/** One call, with the key only for the configured origin and JSON asked for. */
export async function sendWithKey(
  context: ProviderContext,
  request: Omit<HttpRequest, 'headers'> & { readonly contentType?: string },
): Promise<HttpResponse> {
  return (await sendKeyed(context, request)).response;
}

/** sendWithKey, also returning the key, so the reply can be scrubbed of it. */
async function sendKeyed(
  context: ProviderContext,
  request: Omit<HttpRequest, 'headers'> & { readonly contentType?: string },
): Promise<{ response: HttpResponse; apiKey: string }> {
  const { contentType, ...rest } = request;
  const apiKey = await context.getApiKey();
  const headers: Record<string, string> = { ...authorizationFor(context.baseUrl, request.url, apiKey) };
  if (contentType !== undefined) headers['content-type'] = contentType;
  headers.accept = 'application/json';
  return { response: await context.http.send({ ...rest, headers }), apiKey };
}

/** GET a task's status. Reading it again is harmless, so a broken body is a retryable network error. */
export async function getTaskStatus(
  context: ProviderContext,
  request: { readonly provider: string; readonly url: string; readonly taskId: string; readonly signal: AbortSignal },
): Promise<JsonReply> {
  const { provider, taskId } = request;
  const { response, apiKey } = await sendKeyed(context, { method: 'GET', url: request.url, timeoutMs: pollTimeoutMs, signal: request.signal, paid: false, provider });
  try {
    return await readJsonReply(response, apiKey);
  } catch (error) {
    // readBytes already made a broken body retryable and a cancel 'aborted'; this adds the task id.
    if (isProviderError(error) && error.taskId === undefined && error.kind !== 'aborted') throw withTaskId(error, taskId);
    throw error;
  }
}

function withTaskId(error: ProviderError, taskId: string): ProviderError {
  return withContext(error, { taskId });
}

/**
 * POST a paid request: a submit, or an upload (not charged, but it creates a file we could not find
 * again if the answer is lost). Once it was sent and answered, whatever breaks while reading the
 * answer leaves it open whether it was accepted, so it is never resent.
 */
export async function postPaid(
  context: ProviderContext,
  request: {
    readonly provider: string;
    readonly operation: 'submit' | 'upload';
    readonly url: string;
    readonly contentType: string;
    readonly body: string | Uint8Array;
    readonly signal: AbortSignal;
    /** The submit was handed whole to the connection (SubmitHooks.onSent). */
    readonly onSent?: (() => void) | undefined;
  },
): Promise<JsonReply> {
  const { provider, operation } = request;
  const { response, apiKey } = await sendKeyed(context, {
    method: 'POST',
    url: request.url,
    contentType: request.contentType,
    body: request.body,
    timeoutMs: context.requestTimeoutMs,
    signal: request.signal,
    paid: true,
    provider,
    onSent: request.onSent,
  });
  try {
    return await readJsonReply(response, apiKey);
  } catch (error) {
    // A cancel while the answer arrived already says so (and that it may have been charged).
    if (request.signal.aborted && isProviderError(error)) throw error;
    throw unknownOutcomeError({
      provider,
      what: operation === 'submit' ? 'task' : 'upload',
      status: response.status,
      detail: `broke the connection while answering the ${operation}`,
    });
  }
}
