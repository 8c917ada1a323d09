import { z } from 'zod';
import { ProviderError } from '../core/errors';
import { kindForStatus, readText, retryAfterFromHeaders } from './http';
import type { HttpResponse } from '../core/httpClient';
import { scrubSecret, scrubSecretDeep } from '../core/secrets';

/**
 * Helpers shared by the submit-then-poll providers (Modellix, APIXO): reading their JSON envelopes
 * and deciding what an HTTP status means for a paid request.
 */

/** A response body read as text and, when it parses, as JSON. */
export interface JsonReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** undefined when the body is not JSON. */
  readonly json: unknown;
  readonly text: string;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
}

/**
 * Reads a reply, with `secret` (the API key it was sent with) taken out of its text and JSON: the
 * provider's words are quoted in errors, and a gateway may echo the key.
 */
export async function readJsonReply(response: HttpResponse, secret?: string): Promise<JsonReply> {
  const raw = await readText(response);
  let json: unknown;
  try {
    json = raw.trim() === '' ? undefined : scrubSecretDeep(JSON.parse(raw), secret);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    json,
    text: scrubSecret(raw, secret),
    requestId: response.headers['x-request-id'] ?? undefined,
    retryAfterMs: retryAfterFromHeaders(response.headers),
  };
}

/**
 * The JSON envelope both wrap every answer in (docs/providers.md §5.5, §6.4), parsed only as far as we
 * read it. `code` mirrors an HTTP status (Modellix sends 0 on success, APIXO 200) and some
 * gateways send it as a string.
 */
const taskEnvelopeSchema = z.object({
  code: z.union([z.number(), z.string()]).nullish(),
  message: z.string().nullish(),
  data: z.unknown().nullish(),
});

/** What a reply's envelope says. */
export interface ReplyEnvelope {
  /** false when the body is not the JSON envelope at all (then message and data are undefined). */
  readonly valid: boolean;
  readonly message: string | undefined;
  readonly data: unknown;
  /**
   * The status the reply stands for: its HTTP status, or on a 2xx a non-zero error `code` inside
   * the envelope, mapped as that status (an error inside HTTP 200 is still an error: U-M9).
   */
  readonly status: number;
  /** `status` came from the envelope `code` rather than from HTTP (for the wording of errors). */
  readonly fromEnvelope: boolean;
}

export function envelopeOf(reply: JsonReply): ReplyEnvelope {
  const parsed = taskEnvelopeSchema.safeParse(reply.json);
  if (!parsed.success) return { valid: false, message: undefined, data: undefined, status: reply.status, fromEnvelope: false };
  const message = nonEmptyString(parsed.data.message);
  const data = parsed.data.data;
  const code = codeOf(parsed.data.code);
  if (isSuccessStatus(reply.status) && code !== undefined && code !== 0 && !isSuccessStatus(code)) {
    return { valid: true, message, data, status: code, fromEnvelope: true };
  }
  return { valid: true, message, data, status: reply.status, fromEnvelope: false };
}

function codeOf(code: number | string | null | undefined): number | undefined {
  if (code === null || code === undefined) return undefined;
  const value = typeof code === 'number' ? code : Number(code.trim());
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Statuses that prove a paid POST was refused, so nothing was charged and nothing runs. Everything
 * else that is not a success (408/409/425/429, 5xx, an unexpected 3xx) leaves the outcome open:
 * Modellix's own clients never resend a paid POST after those (docs/providers.md §2.2, §5.7).
 */
export function isDefiniteRejection(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 425 && status !== 429;
}

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** A paid request that may or may not have been accepted: never resent automatically. */
export function unknownOutcomeError(options: {
  provider: string;
  what: string;
  detail: string;
  status?: number | undefined;
  requestId?: string | undefined;
}): ProviderError {
  return new ProviderError({
    kind: 'unknownOutcome',
    status: options.status,
    requestId: options.requestId,
    retryable: false,
    message:
      `${options.provider} ${options.detail}; the ${options.what} may still have been accepted (and charged), ` +
      'so it is not sent again automatically. Check your account before resubmitting.',
  });
}

/**
 * A paid request answered with a status that does not prove it was refused (see
 * isDefiniteRejection): it may have been accepted, so it becomes 'unknownOutcome'.
 */
export function unprovenRejectionError(options: {
  provider: string;
  what: string;
  /** What the request was, for the message: "image request", "image upload". */
  noun: string;
  status: number;
  /** The status came from the envelope `code` of an HTTP 200 rather than from HTTP. */
  fromEnvelope?: boolean | undefined;
  detail: string | undefined;
  requestId: string | undefined;
}): ProviderError {
  const via = options.fromEnvelope ? `error code ${options.status}` : `HTTP ${options.status}`;
  return unknownOutcomeError({
    provider: options.provider,
    what: options.what,
    status: options.status,
    requestId: options.requestId,
    detail: `answered the ${options.noun} with ${via}${options.detail ? ` (${clip(options.detail)})` : ''}`,
  });
}

/** How much of an answer without a readable task id is kept in the job, for finding the task by hand. */
const keptAnswerChars = 500;

/**
 * A 2xx without a readable task id may still have started a paid task (docs/providers.md §5.5): the
 * job becomes 'unknown', and its message keeps the provider's answer (already scrubbed of the key by
 * readJsonReply, clipped) and request id, so the user can find the task in their account.
 */
export function missingTaskIdError(provider: string, reply: JsonReply): ProviderError {
  const what = reply.json === undefined ? 'answered the submit with something that is not JSON' : 'accepted the submit, but its answer holds no task id we can read';
  const answer = clip(reply.text, keptAnswerChars) || 'an empty body';
  const requestId = reply.requestId ? `, request id ${reply.requestId}` : '';
  return unknownOutcomeError({
    provider,
    what: 'task',
    status: reply.status,
    requestId: reply.requestId,
    detail: `${what} (HTTP ${reply.status}${requestId}; it answered: ${answer})`,
  });
}

/**
 * The task id in a submit answer's `data`, read as the providers' own clients read it (Modellix's
 * DSH client: `task_id`, `taskId` or `id`, docs/providers.md §5.5): the first of `names` holding a
 * non-empty string or a number. A number beyond 2^53 has already been rounded by JSON.parse, and
 * polling a rounded id would ask for someone else's task, so it counts as no id at all.
 */
export function taskIdIn(data: unknown, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = field(data, name);
    if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
    const text = nonEmptyString(value);
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * An error for a status on a request that is safe to repeat (a poll, a delete, a download):
 * 408/429/5xx are retryable, with the server's Retry-After.
 */
export function statusError(options: {
  provider: string;
  status: number;
  message: string;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  taskId?: string | undefined;
}): ProviderError {
  const { kind, retryable } = kindForStatus(options.status);
  return new ProviderError({
    kind,
    retryable,
    status: options.status,
    message: options.message,
    requestId: options.requestId,
    retryAfterMs: options.retryAfterMs,
    taskId: options.taskId,
  });
}

/** Reads an object property without trusting the shape of the value. */
export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * An expiry given as unix seconds, unix milliseconds or an ISO date (Modellix's canvas accepts all
 * three), as ms since the epoch.
 */
export function parseExpiry(value: unknown): number | undefined {
  const numeric = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
  if (numeric !== undefined) {
    if (!Number.isFinite(numeric) || numeric <= 0) return undefined;
    // Below 10^11 it cannot be milliseconds (that would be 1973); it is seconds.
    return numeric < 1e11 ? Math.round(numeric * 1000) : Math.round(numeric);
  }
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Keeps a provider message short enough for one line of a notification. */
export function clip(text: string, max = 300): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}
