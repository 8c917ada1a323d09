import type { BatchApi, BatchLineResult } from './batchApiPort';
import { entryOf } from './batchApiJob';
import type { BatchJobEntry, BatchJobRecord, BatchLine, BatchPart } from './batchApiJob';
import type { BatchRunnerDeps } from './batchApiRunner';
import { errorMessage, isProviderError } from '../errors';
import type { JobRecord, TaskImage } from '../journal';
import { describeWriteError, keptImageName, saveImage } from '../resultSaver';

/** Whole downloads of one file per pass; after that the job stays resumable. */
const downloadAttempts = 3;

export interface WriteResultsOptions {
  readonly deps: BatchRunnerDeps;
  readonly job: BatchJobRecord;
  readonly part: BatchPart;
  readonly api: BatchApi;
  readonly signal: AbortSignal;
  save(): Promise<void>;
}

/**
 * Downloads a finished batch's output and error files and writes every line that is not settled
 * yet, recording each line as soon as it is. Matched on custom_id (the output order differs from
 * the input's, docs/providers.md §7.3). Downloading again is free while OpenAI keeps the files
 * (30 days), so a crash anywhere here is finished by a resume; the writer finds images already on
 * disk instead of writing them twice.
 */
export async function writeBatchResults(options: WriteResultsOptions): Promise<void> {
  const { part, api, signal } = options;
  const lines = new Map(part.lines.map((line) => [line.customId, line]));
  const seen = new Set<string>();
  // One line at a time as the file arrives: an output file holds every image, and may be large.
  for (const fileId of [part.outputFileId, part.errorFileId]) {
    if (fileId === undefined) continue;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const result of api.results(fileId, signal)) {
          seen.add(result.customId);
          const line = lines.get(result.customId);
          if (line === undefined || line.state === 'saved' || line.state === 'failed') continue;
          await settleLine(options, line, result);
        }
        break;
      } catch (error) {
        // A download cut short: again from the start (free), skipping the lines already written.
        if (!(isProviderError(error) && error.retryable) || attempt >= downloadAttempts) throw error;
        options.deps.log.warn(`The download of ${fileId} broke (${errorMessage(error)}); downloading it again.`);
      }
    }
  }
  for (const line of part.lines) {
    if (line.state === 'saved' || line.state === 'failed' || seen.has(line.customId)) continue;
    await settleLine(options, line, undefined);
  }
  // Images kept aside or still pending keep the part open for a resume; otherwise it is done.
  if (part.lines.every((line) => line.state === 'saved' || line.state === 'failed')) part.state = part.batchStatus === 'cancelled' ? 'cancelled' : 'saved';
  await options.save();
}

/** One line's result (undefined: in neither file), written or named, then recorded. */
async function settleLine(options: WriteResultsOptions, line: BatchLine, result: BatchLineResult | undefined): Promise<void> {
  const { job, part } = options;
  const entry = entryOf(job, line);
  if (result === undefined && !hasKeptImages(line)) {
    line.state = 'failed';
    line.error = `Entry "${entry.name}": OpenAI returned no result for it (batch ${part.batchStatus ?? 'ended'}).`;
  } else if (result !== undefined && !result.ok) {
    line.state = 'failed';
    line.error = `Entry "${entry.name}": ${result.message}${result.status !== undefined ? ` (HTTP ${result.status})` : ''}`;
  } else {
    await writeLine(options, entry, line, result?.ok ? result : undefined);
  }
  await options.save();
}

function hasKeptImages(line: BatchLine): boolean {
  return (line.images ?? []).some((image) => image.kept !== undefined);
}

/** The job record a synchronous run of the entry would have had: the CLI's writer, names and sidecars, unchanged. */
function entryJob(job: BatchJobRecord, entry: BatchJobEntry): JobRecord {
  return {
    version: 1,
    id: job.id,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    state: 'downloading',
    provider: 'openai',
    model: entry.model,
    request: entry.request,
    output: entry.output,
    tasks: [],
    uploads: [],
    // The same array: a warning about one image (no transparent pixels, no sidecar) lands in the batch job.
    warnings: job.warnings,
    baseUrl: job.baseUrl,
  };
}

async function writeLine(
  options: WriteResultsOptions,
  entry: BatchJobEntry,
  line: BatchLine,
  result: Extract<BatchLineResult, { ok: true }> | undefined,
): Promise<void> {
  const { deps, job, part } = options;
  const record = entryJob(job, entry);
  const images: TaskImage[] = line.images ?? Array.from({ length: line.n }, () => ({ state: 'pending' as const }));
  line.images = images;
  for (const [position, image] of images.entries()) {
    if (image.state === 'saved' || image.state === 'failed') continue;
    const number = line.firstImage + position;
    const subject = `Image ${number} of entry "${entry.name}"`;
    let bytes: Uint8Array | undefined = result?.images[position];
    if (image.kept !== undefined) bytes = await deps.rescue.read(image.kept).catch(() => bytes);
    if (bytes === undefined) {
      image.state = 'failed';
      image.error = `${subject} was not in OpenAI's answer (${result?.images.length ?? 0} of ${line.n} images came back).`;
      continue;
    }
    try {
      image.file = await saveImage({
        writer: deps.writer,
        job: record,
        index: number,
        bytes,
        call: { taskId: part.batchId, requestId: result?.requestId, usage: result?.usage, images: result?.images.length ?? line.n, batchApi: true },
        now: deps.now(),
        checkExisting: true,
        rates: deps.rates,
      });
      image.state = 'saved';
      image.error = undefined;
      if (image.kept !== undefined) {
        const copy = image.kept;
        image.kept = undefined;
        await deps.rescue.remove(copy).catch(() => undefined);
      }
    } catch (error) {
      if (isProviderError(error)) {
        image.state = 'failed';
        image.error = `${subject}: ${error.message}`;
        continue;
      }
      const where = `${subject} could not be saved in ${entry.output.dir} (${describeWriteError(error)})`;
      try {
        image.kept ??= await deps.rescue.keep(job.id, `${line.customId.replace(/[^A-Za-z0-9._-]/g, '_')}-${keptImageName(number, bytes)}`, bytes);
        image.state = 'kept';
        image.error = `${where}; it is kept at ${image.kept}: run "gpt-image resume" once the folder can be written.`;
      } catch (keepError) {
        // OpenAI keeps the output file for 30 days: a resume downloads it again.
        image.state = 'pending';
        image.error = `${where}, nor kept aside (${errorMessage(keepError)}); "gpt-image resume" downloads it again.`;
      }
    }
  }
  line.files = images.flatMap((image) => (image.state === 'saved' && image.file ? [image.file] : []));
  const problems = images.flatMap((image) => (image.state !== 'saved' && image.error ? [image.error] : []));
  line.error = problems.length > 0 ? problems.join(' ') : undefined;
  if (images.every((image) => image.state === 'saved')) line.state = 'saved';
  else if (images.some((image) => image.state === 'kept')) line.state = 'needsAttention';
  else if (images.some((image) => image.state === 'pending')) line.state = 'waiting';
  else line.state = 'failed';
}
