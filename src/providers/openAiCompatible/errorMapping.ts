import { z } from 'zod';
import { ProviderError } from '../../core/errors';
import { apiKeyEnvVars } from '../../core/ids';
import { kindForStatus, retryAfterFromHeaders } from '../http';
import { scrubSecret } from '../../core/secrets';
import type { OpenAiCompatibleFlavour } from './flavour';

/** `{"error":{"message","type","param","code"}}`; every field may be null or missing (gateways vary). */
const errorBodySchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    param: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    moderation_details: z.object({ categories: z.array(z.string()).nullish() }).nullish(),
  }),
});

export interface ErrorDetails {
  readonly message: string | undefined;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly code: string | undefined;
  readonly categories: readonly string[];
}

/** The provider's error object, or empty details when the body is not one (an HTML page from a proxy). */
export function parseErrorBody(text: string): ErrorDetails {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  const error = parsed.success ? parsed.data.error : undefined;
  const blank = (value: string | number | null | undefined): string | undefined =>
    value === null || value === undefined || String(value).trim() === '' ? undefined : String(value).trim();
  return {
    message: blank(error?.message),
    type: blank(error?.type),
    param: blank(error?.param),
    code: blank(error?.code),
    categories: error?.moderation_details?.categories ?? [],
  };
}

const contentPolicyCodes = new Set(['moderation_blocked', 'content_policy_violation', 'sensitive_words_detected', 'content_filter']);
const quotaCodes = new Set(['insufficient_quota', 'insufficient_user_quota', 'billing_hard_limit_reached', 'billing_not_active']);
/** Reason phrases for the statuses that leave a paid request's outcome open. */
const reasons: Readonly<Record<number, string>> = {
  408: 'request timeout',
  409: 'conflict',
  425: 'too early',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
  524: 'gateway timeout',
};

function quoted(details: ErrorDetails, apiKey: string | undefined): string {
  return details.message ? `"${scrubSecret(details.message, apiKey).replace(/\s+$/, '').replace(/[.]$/, '')}"` : '';
}

/**
 * Maps an error response to one ProviderError with one actionable sentence. The provider's own
 * words are quoted where they help (a refused parameter, a content-policy reason), never where the
 * sentence must tell the user what to do (a refused key).
 */
export function mapErrorResponse(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  bodyText: string,
  flavour: OpenAiCompatibleFlavour,
  apiKey?: string,
): ProviderError {
  const details = parseErrorBody(bodyText);
  const label = flavour.label;
  const requestId = headers['x-request-id'] || headers['x-oneapi-request-id'] || undefined;
  const base = { provider: flavour.id, status, requestId, code: details.code };
  const words = quoted(details, apiKey);
  const code = details.code?.toLowerCase();

  if (code !== undefined && contentPolicyCodes.has(code)) {
    const categories = details.categories.length > 0 ? ` (${details.categories.join(', ')})` : '';
    return new ProviderError({
      ...base,
      kind: 'contentPolicy',
      message: `${label} blocked the request under its content policy${categories}${words ? `: ${words}` : ''}; rephrase the prompt or change the image.`,
    });
  }
  if ((code !== undefined && quotaCodes.has(code)) || status === 402 || details.type === 'insufficient_quota') {
    return new ProviderError({
      ...base,
      kind: 'quota',
      message: `${label} says the account is out of credit or quota${words ? ` (${words})` : ''}; add credit or raise the limit in ${label}'s billing settings.`,
    });
  }
  if (status === 401) {
    return new ProviderError({
      ...base,
      kind: 'auth',
      message: `${label} refused the API key: set a valid key with "GPT Image: Set API Key…" or ${apiKeyEnvVars[flavour.id]}.`,
    });
  }
  if (status === 403) {
    return new ProviderError({
      ...base,
      kind: 'permission',
      message: `${label} refused access to the model${words ? ` (${words})` : ''}: ${flavour.permissionHint}.`,
    });
  }
  const { kind, retryable } = kindForStatus(status);
  if (status === 429) {
    return new ProviderError({
      ...base,
      kind,
      retryable,
      retryAfterMs: retryAfterFromHeaders(headers),
      message: `${label} is rate limiting requests${words ? ` (${words})` : ''}; wait a minute and try again.`,
    });
  }
  if (status >= 500 || status === 408 || status === 409 || status === 425) {
    // Only a 429 (or a 4xx that names the problem) proves nothing was made: a relay's 500 or 502 may
    // come after the upstream generated and charged (docs/providers.md §2.2), so it is never resent.
    const reason = reasons[status] ?? (status >= 500 ? 'server error' : 'no result');
    return new ProviderError({
      ...base,
      kind: 'unknownOutcome',
      retryable: false,
      message: `${label} answered ${status} (${reason}) after the request was sent${words ? `, saying ${words}` : ''}; it may have been generated and charged. Check your account, then resubmit by hand.`,
    });
  }
  const param = details.param ? ` (parameter ${details.param})` : '';
  const notFound = status === 404 ? `; check the base URL and that it offers the images API` : '';
  return new ProviderError({
    ...base,
    kind: kind === 'notFound' ? 'notFound' : 'badRequest',
    message: `${label} rejected the request (${status})${words ? `: ${words}` : ''}${param}${notFound}.`,
  });
}
