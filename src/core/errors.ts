import type { ProviderId } from './ids';

/** What went wrong, in terms a message and a retry policy can act on. */
export type ProviderErrorKind =
  | 'auth'
  | 'permission'
  | 'quota'
  | 'badRequest'
  | 'contentPolicy'
  | 'rateLimit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'invalidResponse'
  | 'notFound'
  | 'taskFailed'
  /** A paid request may or may not have been accepted: never resent automatically. */
  | 'unknownOutcome';

export interface ProviderErrorOptions {
  kind: ProviderErrorKind;
  message: string;
  /** Always the provider's id (messages say its label); set at the provider boundary when a helper did not. */
  provider?: ProviderId | undefined;
  status?: number;
  /** The provider's own error code (OpenAI `error.code`, APIXO `failCode`, …). */
  code?: string;
  requestId?: string;
  taskId?: string;
  retryable?: boolean;
  /** From a Retry-After header, already capped. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: ProviderId | undefined;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly taskId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(options: ProviderErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    // Set explicitly: esbuild's minifier renames classes.
    this.name = 'ProviderError';
    this.kind = options.kind;
    this.provider = options.provider;
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.taskId = options.taskId;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The same error with more context (the provider id at the provider boundary, a request or task id
 * learned later, a scrubbed message): every field carried over, none written by hand twice.
 * `message` and `code` replace; the ids fill in only what is still unknown.
 */
export function withContext(
  error: ProviderError,
  context: { readonly provider?: ProviderId; readonly requestId?: string | undefined; readonly taskId?: string | undefined; readonly message?: string; readonly code?: string | undefined },
): ProviderError {
  return new ProviderError({
    kind: error.kind,
    provider: error.provider ?? context.provider,
    status: error.status,
    code: 'code' in context ? context.code : error.code,
    requestId: error.requestId ?? context.requestId,
    taskId: error.taskId ?? context.taskId,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    message: context.message ?? error.message,
    cause: error.cause,
  });
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof Error && error.name === 'ProviderError' && 'kind' in error;
}

/** Bad input caught before anything was sent (CLI exit code 2). */
export class InputError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join(' '));
    this.name = 'InputError';
    this.issues = issues;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof Error && error.name === 'InputError';
}

export function isAbortError(error: unknown): boolean {
  if (isProviderError(error)) return error.kind === 'aborted';
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** An error's message for a log line, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
