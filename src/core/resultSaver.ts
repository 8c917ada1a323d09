import { capabilityFor } from './capabilities';
import { estimateCost, perImageUsd } from './cost';
import type { TokenRates } from './cost';
import { errorMessage, ProviderError } from './errors';
import { fileExtensions, incompleteImage, isSupportedImageFormat, readImageInfo, sniffImageFormat } from './imageFormat';
import type { JobRecord } from './journal';
import { addWarnings, baseName } from './jobRecords';
import { renderFileName } from './naming';
import { wireSizeText } from './size';
import type { ImageWriter } from './output';
import type { Provenance } from './provenance';
import type { ImageUsage, ReportedOptions } from './provider';

/** What the runner knows about the call that produced an image, for its provenance. */
export interface CallFacts {
  readonly taskId?: string | undefined;
  readonly requestId?: string | undefined;
  readonly usage?: ImageUsage | undefined;
  /** What the provider says it used, if it says. */
  readonly reported?: ReportedOptions | undefined;
  /** Images the call produced (its cost is shared between them). */
  readonly images: number;
  /** Made through OpenAI's Batch API, at half the price (docs/providers.md §7.3). */
  readonly batchApi?: boolean | undefined;
}

export interface SaveImageOptions {
  readonly writer: ImageWriter;
  readonly job: JobRecord;
  /** 1-based across the whole job. */
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly call: CallFacts;
  readonly now: number;
  /** A resume asks the writer whether this exact image was already written (crash before the journal put). */
  readonly checkExisting: boolean;
  readonly rates?: TokenRates | undefined;
}

/**
 * Sniffs, names, writes and records provenance for one image. The name uses the job's creation
 * date so a resumed job names its files as the original run would have.
 */
export async function saveImage(options: SaveImageOptions): Promise<string> {
  const { job, bytes } = options;
  const info = readImageInfo(bytes);
  if (!info) {
    throw new ProviderError({
      kind: 'invalidResponse',
      provider: job.provider,
      taskId: options.call.taskId,
      message: `The result for image ${options.index} is not a PNG, JPEG or WebP image (${bytes.byteLength} bytes); nothing was written.`,
    });
  }
  // Decoded base64 can be short too (a provider or gateway that cut the string): never saved as a success.
  const short = incompleteImage(bytes, info.format);
  if (short) {
    throw new ProviderError({ kind: 'invalidResponse', provider: job.provider, taskId: options.call.taskId, message: `Image ${options.index} arrived incomplete (${short}); nothing was written.` });
  }
  const fileName = renderFileName(job.output.template, {
    prompt: job.request.prompt,
    provider: job.provider,
    model: job.model,
    index: options.index,
    extension: fileExtensions[info.format],
    date: new Date(job.createdAt),
    sourceName: job.output.sourceName,
  });
  // A resume: a crash may have left this image's temporary file behind; it is written anew.
  if (options.checkExisting) await options.writer.removeLeftovers?.(job.output.dir);
  const existing = options.checkExisting ? await options.writer.findExisting?.(job.output.dir, fileName, bytes) : undefined;
  const location = existing ?? (await options.writer.writeImage(job.output.dir, fileName, bytes));
  const cost = estimateCost({
    capability: capabilityFor(job.provider, job.model),
    size: wireSizeText(job.request.wireSize),
    quality: job.request.quality,
    images: options.call.images,
    promptLength: job.request.prompt.length,
    usage: options.call.usage,
    rates: options.rates,
    batchApi: options.call.batchApi,
  });
  // The provider accepted "transparent" but may still draw an opaque picture: say so rather than assume.
  if (job.request.background === 'transparent' && options.writer.hasTransparentPixels?.(bytes) === false) {
    addWarnings(job, [`${baseName(location)} was asked with a transparent background but has no transparent pixels.`]);
  }
  const provenance: Provenance = {
    version: 1,
    file: baseName(location),
    provider: job.provider,
    model: job.model,
    request: job.request,
    index: options.index,
    jobId: job.id,
    taskId: options.call.taskId,
    requestId: options.call.requestId,
    createdAt: new Date(options.now).toISOString(),
    durationMs: options.now - job.createdAt,
    width: info.width,
    height: info.height,
    usage: options.call.usage ? { ...options.call.usage } : undefined,
    costEstimateUsd: perImageUsd(cost, options.call.images),
    warnings: [...job.warnings],
    reported: options.call.reported,
    ...(job.output.batch ? { batch: { file: job.output.batch.file, entry: job.output.batch.entry } } : {}),
  };
  try {
    await options.writer.writeProvenance(location, provenance);
  } catch (error) {
    // The image is written and paid for: a missing sidecar must not make it count as lost.
    addWarnings(job, [`The provenance sidecar of ${baseName(location)} could not be written (${errorMessage(error)}); the image itself is saved.`]);
  }
  return location;
}

/** The name a kept copy of image `index` gets in the journal's storage: short, and unique in its job. */
export function keptImageName(index: number, bytes: Uint8Array): string {
  const format = sniffImageFormat(bytes);
  return `image-${index}.${isSupportedImageFormat(format) ? fileExtensions[format] : 'bin'}`;
}

/** Why a write failed, in words: node:fs codes (CLI) and workspace.fs codes (extension). */
export function describeWriteError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  const words: Readonly<Record<string, string>> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    NoPermissions: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'a file is where the folder should be',
    FileExists: 'a file is where the folder should be',
    FileNotADirectory: 'a part of the path is a file, not a folder',
    ENOENT: 'the folder no longer exists',
    FileNotFound: 'the folder no longer exists',
    EIO: 'an input/output error',
    Unavailable: 'the file system is unavailable',
  };
  const known = code === undefined ? undefined : words[code];
  return known === undefined ? errorMessage(error) : `${known}, ${code}`;
}
