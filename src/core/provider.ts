import type { ProviderError } from './errors';
import type { HttpClient } from './httpClient';
import type { ProviderId } from './ids';
import type { Logger } from './logger';
import type { CheckedInputImage, ResolvedRequest } from './request';

/**
 * What the host gives a provider (after GitLens' provider context). A provider never touches
 * SecretStorage, settings or UI; the key is read per request so changing it needs no reload.
 */
export interface ProviderContext {
  /** Validated base URL the documented paths are appended to, without a trailing slash. */
  readonly baseUrl: string;
  readonly http: HttpClient;
  /** Throws ProviderError(kind 'auth') when no key is set. */
  getApiKey(): Promise<string>;
  readonly log: Logger;
  now(): number;
  /** Per-attempt timeout for synchronous generation calls (≥ 300 s by default). */
  readonly requestTimeoutMs: number;
}

/** Token usage as OpenAI reports it; providers that report nothing leave it undefined. */
export interface ImageUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly totalTokens?: number | undefined;
  readonly inputImageTokens?: number | undefined;
  readonly inputTextTokens?: number | undefined;
  readonly outputImageTokens?: number | undefined;
}

/** A decoded result image. */
export interface GeneratedImage {
  readonly bytes: Uint8Array;
}

export interface ResponseMetadata {
  readonly requestId?: string | undefined;
  readonly model?: string | undefined;
  /** What the provider says it used (OpenAI echoes these), kept beside what was asked in provenance. */
  readonly reported?: ReportedOptions | undefined;
}

export interface ReportedOptions {
  readonly size?: string | undefined;
  readonly quality?: string | undefined;
  readonly background?: string | undefined;
  readonly outputFormat?: string | undefined;
  readonly revisedPrompt?: string | undefined;
}

/** Finished images from a synchronous provider (OpenAI, Gravitex). */
export interface ImagesOutcome {
  readonly kind: 'images';
  readonly images: readonly GeneratedImage[];
  readonly warnings: readonly string[];
  readonly usage: ImageUsage | undefined;
  readonly response: ResponseMetadata;
}

/** A paid task accepted by an async provider (Modellix, APIXO); poll it with its id. */
export interface TaskOutcome {
  readonly kind: 'task';
  readonly taskId: string;
  readonly warnings: readonly string[];
  readonly response: ResponseMetadata;
}

export type SubmitOutcome = ImagesOutcome | TaskOutcome;

export type PollOutcome =
  | { readonly state: 'running'; readonly providerState?: string | undefined }
  | {
      readonly state: 'succeeded';
      readonly resultUrls: readonly string[];
      /** When the result URLs stop working, if the provider says (ms since epoch). */
      readonly expiresAt?: number | undefined;
    }
  | { readonly state: 'failed'; readonly error: ProviderError };

/** An upload made so that a provider could reference a local file by URL; deleted when the task ends. */
export interface UploadedInput {
  readonly fileId: string;
  readonly url: string;
}

export interface PreparedInputs {
  /** The same images with every local file replaced by its uploaded URL. */
  readonly inputImages: readonly CheckedInputImage[];
  readonly mask: CheckedInputImage | undefined;
  readonly uploads: readonly UploadedInput[];
}

/** When to poll: first after `firstPollMs`, then every `intervalMs`, giving up after `deadlineMs`. */
export interface PollSchedule {
  readonly firstPollMs: number;
  readonly intervalMs: number;
  readonly deadlineMs: number;
}

/** A streamed preview of the image being made (OpenAI's partial_images); never a result. */
export interface PartialImage {
  /** 0-based, as the provider numbers it. */
  readonly index: number;
  /** Decodes the base64 on first call, so a partial nobody looks at costs no decode. */
  bytes(): Uint8Array;
}

/** What the runner hears from a paid submit while it runs. */
export interface SubmitHooks {
  /**
   * The paid request was handed whole to the connection (http.ts's "sent" signal): from now on it
   * may be accepted and charged, so a cancel is no longer free. May be called once per attempt.
   */
  readonly onSent?: (() => void) | undefined;
  /**
   * The last attempt provably made nothing (a 429, or a connection that never left this machine)
   * and the next one waits `delayMs`: nothing is in flight meanwhile, so a cancel is free again.
   */
  readonly onRetryWait?: ((delayMs: number) => void) | undefined;
  /** A streamed partial image arrived (only when the request asked for partial images). */
  readonly onPartialImage?: ((partial: PartialImage) => void) | undefined;
}

/**
 * One back end. Options are required-but-undefinable in ResolvedRequest, after vercel/ai's image
 * model, so a provider cannot silently drop one: it sends it or reports a warning.
 */
export interface ImageProvider {
  readonly id: ProviderId;
  /**
   * The paid call. Throws ProviderError; a failure after the request may have reached the provider
   * (reset, timeout, ambiguous 5xx) has kind 'unknownOutcome' and must never be resent automatically.
   */
  submit(request: ResolvedRequest, signal: AbortSignal, hooks?: SubmitHooks): Promise<SubmitOutcome>;
  /** Async providers: turn local files into URLs the provider can fetch (Modellix's upload). */
  prepareInputs?(request: ResolvedRequest, signal: AbortSignal): Promise<PreparedInputs>;
  /** Async providers: one status read. GET, so the caller may retry it. */
  poll?(task: { readonly taskId: string; readonly request: Pick<ResolvedRequest, 'model' | 'size' | 'inputImages'> }, signal: AbortSignal): Promise<PollOutcome>;
  pollSchedule?(request: Pick<ResolvedRequest, 'size'>): PollSchedule;
  /** Best effort: delete uploads once every task that used them has ended. */
  deleteUploads?(uploads: readonly UploadedInput[], signal: AbortSignal): Promise<void>;
}
