import { ProviderError } from '../../core/errors';
import { providerLabels } from '../../core/ids';
import type { ProviderErrorKind } from '../../core/errors';
import { kindForStatus } from '../http';
import { clip, isDefiniteRejection, statusError, unprovenRejectionError } from '../asyncTask';

export const apixoLabel = providerLabels.apixo;

/** Balance problems sometimes arrive as a 400 ("Insufficient credits", docs/providers.md §6.4). */
const balanceWords = /insufficient|credit|balance|quota/i;

/** One sentence per status (docs/providers.md §6.6), with APIXO's message when it sent one. */
export function apixoStatusMessage(status: number, detail: string | undefined, operation: 'submit' | 'poll', taskId?: string): string {
  const noun = operation === 'submit' ? 'image request' : 'task status request';
  const said = detail ? ` (${clip(detail)})` : '';
  if (status === 402 || (status === 400 && detail !== undefined && balanceWords.test(detail))) {
    return `Your APIXO balance is insufficient${said}: top up at apixo.ai.`;
  }
  if (status === 400) return `APIXO rejected the ${noun}: ${detail ? clip(detail) : 'invalid body, mode, parameter or URL'}.`;
  // Never the provider's words here: a 401's text is the likeliest to repeat the key.
  if (status === 401) return `APIXO did not accept the API key: check that the APIXO key is set and still valid.`;
  if (status === 403) return `APIXO refused the ${noun}${said}: the key or its route is not allowed to use gpt-image-2.`;
  if (status === 404) {
    if (taskId) return `APIXO does not know task ${taskId}${said}: it may have expired, or was submitted for another model.`;
    return `APIXO answered "not found" to the ${noun}${said}: check the APIXO base URL (it normally ends in /api/v1).`;
  }
  if (status === 429) return `APIXO is limiting requests${said}: too many requests or tasks at once.`;
  if (status === 504) return `APIXO's upstream timed out (HTTP 504)${said}.`;
  if (status >= 500) return `APIXO had a server error (HTTP ${status})${said}.`;
  return `APIXO answered HTTP ${status} to the ${noun}${said}.`;
}

function kindFor(status: number, detail: string | undefined): ProviderErrorKind {
  if (status === 400 && detail !== undefined && balanceWords.test(detail)) return 'quota';
  return kindForStatus(status).kind;
}

/** A failed submit: 4xx other than 408/409/425/429 is a definite refusal; the rest is 'unknownOutcome'. */
export function apixoSubmitError(options: { status: number; detail: string | undefined; requestId: string | undefined; fromEnvelope?: boolean }): ProviderError {
  if (!isDefiniteRejection(options.status)) {
    const { status, detail, requestId, fromEnvelope } = options;
    return unprovenRejectionError({ provider: apixoLabel, what: 'task', noun: 'image request', status, detail, requestId, fromEnvelope });
  }
  return new ProviderError({
    kind: kindFor(options.status, options.detail),
    retryable: false,
    provider: 'apixo',
    status: options.status,
    requestId: options.requestId,
    message: apixoStatusMessage(options.status, options.detail, 'submit'),
  });
}

/** A failed status read: 408/429/5xx stay retryable (the runner retries polls). */
export function apixoPollError(options: {
  status: number;
  detail: string | undefined;
  requestId: string | undefined;
  retryAfterMs: number | undefined;
  taskId: string;
}): ProviderError {
  return statusError({
    provider: apixoLabel,
    status: options.status,
    requestId: options.requestId,
    retryAfterMs: options.retryAfterMs,
    taskId: options.taskId,
    message: apixoStatusMessage(options.status, options.detail, 'poll', options.taskId),
  });
}

/** What each documented failCode means for the user (docs/providers.md §6.6), one actionable sentence each. */
const failures: Readonly<Record<string, { kind: ProviderErrorKind; sentence: string }>> = {
  CONTENT_VIOLATION: {
    kind: 'contentPolicy',
    sentence: 'APIXO refused the prompt or a reference image under its content policy: rephrase the prompt or use another image.',
  },
  INVALID_IMAGE_URL: {
    kind: 'badRequest',
    sentence:
      'APIXO could not fetch a reference image: each URL must be public and directly fetchable (no login, no HTML page) and point to a PNG, JPEG or WebP file.',
  },
  INVALID_PARAMETER: {
    kind: 'badRequest',
    sentence: 'APIXO rejected a parameter: check the aspect ratio, the resolution, the prompt length (at most 20,000 characters) and the number of reference images.',
  },
  INSUFFICIENT_BALANCE: {
    kind: 'quota',
    sentence: 'Your APIXO balance is insufficient: top up at apixo.ai, then resubmit.',
  },
  UPSTREAM_ERROR: {
    kind: 'taskFailed',
    sentence: "APIXO's upstream model failed on this task: resubmit it, or try another provider if it keeps failing.",
  },
  TIMEOUT: {
    kind: 'taskFailed',
    sentence: 'APIXO gave up on the task after its own time limit: resubmit it, perhaps at a lower resolution.',
  },
};

const unknownFailure = {
  kind: 'taskFailed' as const,
  sentence: 'APIXO reports the task failed: resubmit it, and check the prompt and images if it fails again.',
};

/** A failed task (HTTP 200, code 200, state "failed": U-A7) as one clear line with the task id. */
export function apixoTaskFailure(taskId: string, failCode: string | undefined, failMsg: string | undefined): ProviderError {
  const code = failCode?.trim().toUpperCase() || undefined;
  const failure = (code !== undefined ? failures[code] : undefined) ?? unknownFailure;
  const said = [code, failMsg ? clip(failMsg, 200) : undefined].filter((part) => part !== undefined).join(': ');
  return new ProviderError({
    kind: failure.kind,
    provider: 'apixo',
    taskId,
    code,
    retryable: false,
    message: `${failure.sentence} (task ${taskId}${said ? `, ${said}` : ''})`,
  });
}
