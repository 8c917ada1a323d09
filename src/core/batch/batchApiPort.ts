import type { BatchCounts, BatchEndpoint } from './batchApiJob';
import type { ImageUsage } from '../provider';

/** A batch as `GET /v1/batches/{id}` describes it (docs/providers.md §7.3), reduced to what we read. */
export interface OpenAiBatchStatus {
  readonly id: string;
  readonly status: string;
  readonly outputFileId: string | undefined;
  readonly errorFileId: string | undefined;
  readonly counts: BatchCounts | undefined;
  /** Validation errors of a failed batch; `line` is the 1-based JSONL line. */
  readonly errors: readonly { readonly line: number | undefined; readonly message: string; readonly code: string | undefined }[];
}

/** One line of an output or error file, matched to its request by custom_id. */
export type BatchLineResult =
  | {
      readonly customId: string;
      readonly ok: true;
      /** Decoded images, in answer order. */
      readonly images: readonly Uint8Array[];
      readonly usage: ImageUsage | undefined;
      readonly requestId: string | undefined;
    }
  | { readonly customId: string; readonly ok: false; readonly message: string; readonly status: number | undefined; readonly code: string | undefined };

/**
 * OpenAI's Batch API as the batch runner needs it (providers/openai/batchApi.ts implements it).
 * Only `create` is paid: the others read, upload or cancel and may be repeated.
 */
export interface BatchApi {
  upload(jsonl: string, fileName: string, signal: AbortSignal): Promise<{ readonly fileId: string }>;
  /** One image of an edit as a `purpose=vision` file (free, may be repeated); `dataUrl` is `data:<type>;base64,…`. */
  uploadImage(dataUrl: string, fileName: string, signal: AbortSignal): Promise<{ readonly fileId: string }>;
  /** The paid call: a lost answer is ProviderError 'unknownOutcome', never retried. */
  create(
    input: { readonly inputFileId: string; readonly endpoint: BatchEndpoint; readonly metadata: Readonly<Record<string, string>> },
    signal: AbortSignal,
    onSent: () => void,
  ): Promise<OpenAiBatchStatus>;
  get(batchId: string, signal: AbortSignal): Promise<OpenAiBatchStatus>;
  cancel(batchId: string, signal: AbortSignal): Promise<OpenAiBatchStatus>;
  /**
   * The lines of an output or error file, each as soon as it has arrived (a file holds every image of
   * the batch). A download that breaks midway throws after the lines read so far.
   */
  results(fileId: string, signal: AbortSignal): AsyncIterable<BatchLineResult>;
}
