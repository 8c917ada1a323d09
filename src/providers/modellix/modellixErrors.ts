import { ProviderError } from '../../core/errors';
import { providerLabels } from '../../core/ids';
import { kindForStatus } from '../http';
import { clip, isDefiniteRejection, statusError, unprovenRejectionError } from '../asyncTask';

export const modellixLabel = providerLabels.modellix;

/** What a failing request was doing, for the wording of its message. */
export type ModellixOperation = 'submit' | 'upload' | 'poll' | 'delete';

const nouns: Readonly<Record<ModellixOperation, string>> = {
  submit: 'image request',
  upload: 'image upload',
  poll: 'task status request',
  delete: 'upload deletion',
};

/**
 * One sentence per status (HTTP, or the envelope `code` that mirrors it: U-M9), with Modellix's
 * own "<Category>: <detail>" message when it sent one (docs/providers.md §5.7).
 */
export function modellixStatusMessage(status: number, detail: string | undefined, operation: ModellixOperation, taskId?: string): string {
  const noun = nouns[operation];
  const said = detail ? ` (${clip(detail)})` : '';
  if (status === 400) return `Modellix rejected the ${noun}: ${detail ? clip(detail) : 'invalid parameters'}.`;
  // Never the provider's words here: a 401's text is the likeliest to repeat the key.
  if (status === 401) return `Modellix did not accept the API key: check that the Modellix key is set and still valid.`;
  if (status === 402) return 'Your Modellix balance is insufficient: top up at modellix.ai.';
  if (status === 403) return `Modellix refused the ${noun}${said}: the key may not be allowed to use this model.`;
  if (status === 404) {
    if (operation === 'poll' && taskId) return `Modellix does not know task ${taskId}${said}: it may have expired or belong to another key.`;
    return `Modellix answered "not found" to the ${noun}${said}: check the Modellix base URL (it normally ends in /api/v1).`;
  }
  if (status === 429) return `Modellix is limiting requests${said}: too many requests or tasks at once.`;
  if (status >= 500) return `Modellix had a server error (HTTP ${status})${said}.`;
  return `Modellix answered HTTP ${status} to the ${noun}${said}.`;
}

/**
 * A failed paid request (submit, upload). 400/401/402/403/404 prove it was refused; anything
 * else (429, 5xx, 408, …) leaves it open whether Modellix accepted it, so it becomes
 * 'unknownOutcome' and is never resent automatically.
 */
export function modellixPaidError(options: {
  status: number;
  detail: string | undefined;
  operation: 'submit' | 'upload';
  requestId: string | undefined;
  /** The status came from the envelope `code` of an HTTP 200 rather than from HTTP. */
  fromEnvelope?: boolean;
}): ProviderError {
  const message = modellixStatusMessage(options.status, options.detail, options.operation);
  if (!isDefiniteRejection(options.status)) {
    const { operation, status, detail, requestId, fromEnvelope } = options;
    const what = operation === 'submit' ? 'task' : 'upload';
    return unprovenRejectionError({ provider: modellixLabel, what, noun: nouns[operation], status, detail, requestId, fromEnvelope });
  }
  return new ProviderError({
    ...kindForStatus(options.status),
    // A definite refusal is final: resending the same paid request cannot succeed on its own.
    retryable: false,
    provider: 'modellix',
    status: options.status,
    requestId: options.requestId,
    message,
  });
}

/** A failed request that is safe to repeat (poll, delete): 408/429/5xx stay retryable. */
export function modellixRepeatableError(options: {
  status: number;
  detail: string | undefined;
  operation: 'poll' | 'delete';
  requestId: string | undefined;
  retryAfterMs: number | undefined;
  taskId?: string | undefined;
}): ProviderError {
  return statusError({
    provider: modellixLabel,
    status: options.status,
    requestId: options.requestId,
    retryAfterMs: options.retryAfterMs,
    taskId: options.taskId,
    message: modellixStatusMessage(options.status, options.detail, options.operation, options.taskId),
  });
}

export function modellixInvalidResponse(message: string, requestId?: string, taskId?: string): ProviderError {
  return new ProviderError({ kind: 'invalidResponse', provider: 'modellix', message, requestId, taskId });
}
