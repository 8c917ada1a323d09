import type { BatchOrigin, JournalRequest } from './journal';
import type { ModelId, ProviderId } from './ids';
import type { ReportedOptions } from './provider';

/**
 * What is kept with every written image so it can be shown and regenerated: a JSON sidecar
 * `<output folder>/.gpt-image/<file name>.json`. A sidecar (rather than a PNG text chunk) works for
 * JPEG and WebP too, and listing history reads one small folder instead of every image.
 */
export interface Provenance {
  readonly version: 1;
  readonly file: string;
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly request: JournalRequest;
  /** 1-based image number within the job. */
  readonly index: number;
  readonly jobId: string;
  readonly taskId?: string | undefined;
  readonly requestId?: string | undefined;
  readonly createdAt: string;
  readonly durationMs: number;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly usage?: Readonly<Record<string, number | undefined>> | undefined;
  readonly costEstimateUsd?: number | undefined;
  readonly warnings: readonly string[];
  /** What the provider reported using (size, quality, background, format, a revised prompt), beside `request`. */
  readonly reported?: ReportedOptions | undefined;
  /** The batch file and entry that made the image; absent for other images and in older sidecars. */
  readonly batch?: BatchOrigin | undefined;
}

export const provenanceFolderName = '.gpt-image';

/** Appended to the image's file name; core/naming.ts leaves room for it within the name limit. */
export const provenanceSuffix = '.json';

export function provenanceFileName(imageFileName: string): string {
  return `${imageFileName}${provenanceSuffix}`;
}
