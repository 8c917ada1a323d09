import { InputError, ProviderError, errorMessage, isInputError, isProviderError } from './errors';
import { ImagesNotWrittenError } from './output';
import type { GenerationRequest, InputImage, ResolvedRequest, ValidatedPlan } from './request';
import { overallState } from './journal';
import { storableUrl } from './signedUrl';
import type { InputReference, JobError, JobOutput, JobRecord, JobState, JobTask, JournalRequest } from './journal';

/**
 * States after which a task is never touched again on its own (no poll, no write). A task that
 * needs attention is moved into place only when the user asks (resume by id).
 */
export const terminalStates: readonly JobState[] = ['saved', 'failed', 'unknown', 'cancelled', 'needsAttention'];

export function isTerminal(state: JobState): boolean {
  return terminalStates.includes(state);
}

/** `20260511-142233-3f9a1c`: sortable, short enough to type, unique enough for one journal. */
export function newJobId(now: number): string {
  const date = new Date(now);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  const random = new Uint8Array(3);
  globalThis.crypto.getRandomValues(random);
  return `${stamp}-${[...random].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function reference(image: InputImage): InputReference {
  if (image.kind === 'file') return { kind: 'file', source: image.source };
  // A presigned link is a credential: the journal and every sidecar keep it without its signature.
  const url = storableUrl(image.url);
  return url === image.url ? { kind: 'url', url } : { kind: 'url', url, redacted: true };
}

/** What the journal keeps of a request: references to inputs, never their bytes. */
export function toJournalRequest(request: GenerationRequest, plan: ValidatedPlan): JournalRequest {
  const first = plan.calls[0] as ResolvedRequest;
  return {
    prompt: first.prompt,
    size: request.size.trim() || 'auto',
    wireSize: first.size,
    quality: first.quality,
    n: plan.totalImages,
    background: first.background,
    outputFormat: first.outputFormat,
    outputCompression: first.outputCompression,
    inputImages: (request.inputImages ?? []).map(reference),
    mask: request.mask ? reference(request.mask) : undefined,
    moderation: first.moderation,
    customModel: first.customModel,
    partialImages: first.partialImages,
  };
}

/** A new job with one task per paid call, every task still 'submitting' (nothing sent yet). */
export function createJobRecord(id: string, request: GenerationRequest, plan: ValidatedPlan, output: JobOutput, now: number): JobRecord {
  const first = plan.calls[0] as ResolvedRequest;
  return {
    version: 1,
    id,
    createdAt: now,
    updatedAt: now,
    state: 'submitting',
    provider: first.provider,
    model: first.model,
    request: toJournalRequest(request, plan),
    output,
    tasks: plan.calls.map((call) => ({ state: 'submitting', n: call.n, files: [] })),
    uploads: [],
    warnings: [...plan.warnings],
  };
}

/** Recomputes the job's state from its tasks; the job error is the most important task error. */
export function refreshJob(job: JobRecord, now: number): void {
  job.state = overallState(job.tasks);
  job.updatedAt = now;
  job.error = primaryTask(job)?.error;
}

/**
 * The task whose error matters most: an unknown outcome (money may be spent), then paid images
 * waiting outside their folder, then a failure.
 */
export function primaryTask(job: JobRecord): JobTask | undefined {
  return (
    job.tasks.find((task) => task.state === 'unknown' && task.error) ??
    job.tasks.find((task) => task.state === 'needsAttention' && task.error) ??
    job.tasks.find((task) => task.state === 'failed' && task.error) ??
    job.tasks.find((task) => task.error !== undefined)
  );
}

export function addWarnings(job: JobRecord, warnings: readonly string[]): void {
  for (const warning of warnings) if (!job.warnings.includes(warning)) job.warnings.push(warning);
}

export function toJobError(error: unknown): JobError {
  if (isProviderError(error)) return { kind: error.kind, message: error.message };
  if (isInputError(error)) return { kind: 'input', message: error.message };
  return { kind: 'write', message: errorMessage(error) };
}

/** Turns a journal error back into something callers can branch on (CLI exit codes, host messages). */
export function toProviderError(job: JobRecord, task: JobTask | undefined): ProviderError {
  const error = task?.error ?? job.error;
  if (error === undefined || error.kind === 'input' || error.kind === 'write') {
    return new ProviderError({
      kind: 'invalidResponse',
      provider: job.provider,
      taskId: task?.taskId,
      message: error?.message ?? `Job ${job.id} ended as ${job.state}.`,
    });
  }
  return new ProviderError({ kind: error.kind, provider: job.provider, taskId: task?.taskId, message: error.message });
}

/** What a job that did not end saved throws to its caller (CLI exit code, host message). */
export function jobFailure(job: JobRecord): Error {
  if (job.state === 'needsAttention') {
    const task = job.tasks.find((candidate) => candidate.state === 'needsAttention');
    return new ImagesNotWrittenError(task?.error?.message ?? `Job ${job.id} has images that could not be written.`, keptImages(job));
  }
  return toProviderError(job, primaryTask(job));
}

/** Where the job's images that could not be written are kept (the journal's own storage). */
export function keptImages(job: JobRecord): string[] {
  return job.tasks.flatMap((task) => (task.images ?? []).flatMap((image) => (image.state === 'kept' && image.kept ? [image.kept] : [])));
}

/** Every written file of the job, in image order. */
export function jobFiles(job: JobRecord): string[] {
  return job.tasks.flatMap((task) => task.files);
}

/** 1-based number of the first image of task `taskIndex` within the whole job. */
export function firstImageIndex(job: JobRecord, taskIndex: number): number {
  return 1 + job.tasks.slice(0, taskIndex).reduce((sum, task) => sum + task.n, 0);
}

/** The name a file-backed reference is sent under: the last path segment. */
export function baseName(location: string): string {
  const parts = location.split(/[\\/]/);
  return parts[parts.length - 1] || location;
}

/**
 * The options a recorded request runs again with (resubmit, regenerate, vary): one list, so an
 * option added later cannot be dropped by one of those paths.
 */
export function rerunOptions(
  request: JournalRequest,
): Pick<JournalRequest, 'prompt' | 'size' | 'quality' | 'n' | 'background' | 'outputFormat' | 'outputCompression' | 'moderation' | 'customModel' | 'partialImages'> {
  return {
    prompt: request.prompt,
    size: request.size,
    quality: request.quality,
    n: request.n,
    background: request.background,
    outputFormat: request.outputFormat,
    outputCompression: request.outputCompression,
    moderation: request.moderation,
    customModel: request.customModel,
    partialImages: request.partialImages,
  };
}

/** For resubmit: the original request again, input files re-read from where they were. */
export async function fromJournalRequest(
  job: JobRecord,
  readInput: ((reference: Extract<InputReference, { kind: 'file' }>) => Promise<Uint8Array>) | undefined,
): Promise<GenerationRequest> {
  const load = async (input: InputReference): Promise<InputImage> => {
    if (input.kind === 'url' && input.redacted) {
      // Sending the link without its signature would only make the provider fail (or charge) on it.
      throw new InputError([`The signed link of reference image ${input.url} was not kept; give the image again to resubmit.`]);
    }
    if (input.kind === 'url') return { kind: 'url', url: input.url };
    if (!readInput) throw new Error('This host cannot re-read input files for a resubmit.');
    return { kind: 'file', source: input.source, fileName: baseName(input.source), bytes: await readInput(input) };
  };
  const request = job.request;
  return {
    provider: job.provider,
    model: job.model,
    ...rerunOptions(request),
    inputImages: await Promise.all(request.inputImages.map(load)),
    mask: request.mask ? await load(request.mask) : undefined,
  };
}
